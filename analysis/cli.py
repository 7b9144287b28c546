"""Command line: ``analysis build`` and ``analysis framing`` (or ``python -m analysis``).

Examples
--------
``analysis build --manifest my/manifest.csv --out my/processed``

``analysis framing my_texts.jsonl -o framing.csv --id-col id --text-col text``
"""

from __future__ import annotations

import argparse
import sys

from . import config

DESCRIPTION = """Build the corpus and measure framing of imperialism.

examples:
  analysis build --manifest my/manifest.csv --out my/processed
  analysis framing my_texts.jsonl -o framing.csv --id-col id --text-col text"""


def version() -> str:
    """The installed version of the package (``0+unknown`` from a bare source tree)."""
    from importlib import metadata

    try:
        return metadata.version("analysis")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def known_language(code: object) -> bool:
    """Whether ``code`` is an ISO 639-1 code the language detector knows.

    Examples
    --------
    >>> known_language("fr"), known_language("xx"), known_language("__class__")
    (True, False, False)
    """
    from lingua import IsoCode639_1

    return (isinstance(code, str) and len(code) == 2 and code.isascii() and code.isalpha()
            and hasattr(IsoCode639_1, code.upper()))


def show_progress(args) -> bool:
    """Progress bars unless ``--no-progress`` or stderr is not a terminal."""
    return not args.no_progress and sys.stderr.isatty()


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="analysis", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"%(prog)s {version()}")
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the corpus and write data/processed/")
    build.add_argument("--manifest", default=str(config.MANIFEST))
    build.add_argument("--posts", default=None,
                       help="per-post metadata CSV (dates of listing-page posts); default: "
                            "posts.csv beside the manifest, if there is one")
    build.add_argument("--project", default=None, metavar="DIR",
                       help="output root of your project: the tables go to DIR/processed/, "
                            "and nothing is written inside the package")
    build.add_argument("--out", default=None,
                       help="folder of the built tables (default: DIR/processed/ with "
                            "--project, else the package's data/processed/)")
    build.add_argument("--languages", default=None, metavar="CODES",
                       help="comma-separated ISO 639-1 codes the language detector chooses "
                            f"between (default: {','.join(config.LANGUAGES)})")
    build.add_argument("--record-errors", action="store_true",
                       help="leave bad documents out and record them in the audit "
                            "instead of stopping")
    build.add_argument("--no-progress", action="store_true",
                       help="no progress bar (none is shown when stderr is not a terminal)")
    build.add_argument("--allow-root", action="append", default=[], metavar="DIR",
                       help="a folder besides the manifest's own that its files may lie in "
                            "(repeatable); by default a file that resolves outside the "
                            "manifest's folder, through '..', an absolute path or a symlink, "
                            "is rejected")
    build.add_argument("--max-document-mb", type=float, default=None, metavar="MB",
                       help="largest document read, in MB (default: 20); bigger ones are "
                            "rejected unread")
    framing = sub.add_parser(
        "framing", help="score how texts frame imperialism (anti-US vs all imperialisms)",
        description="Score each text of INPUT (.jsonl, .csv or .parquet; raw text is fine) "
                    "and write one row per text: the id, framing (anti_us, "
                    "all_imperialisms, mixed, none), framing_score (positive: against all "
                    "imperialisms; negative: anti-US), per-method scores and the evidence.")
    framing.add_argument("input", help="a .jsonl, .csv or .parquet file")
    framing.add_argument("-o", "--output", required=True, help="the CSV file to write")
    framing.add_argument("--id-col", default="id", help="column with the text ids (default: id)")
    framing.add_argument("--text-col", default="text",
                         help="column with the raw texts (default: text)")
    framing.add_argument("--language", default=None,
                         help="ISO 639-1 code of every text (default: detect per paragraph)")
    framing.add_argument("--language-col", default=None,
                         help="column with each text's ISO 639-1 code")
    framing.add_argument("--measure", choices=("document", "paragraph"), default=None,
                         help="document (default): one decision per text from the model "
                              "trained on the real corpus; paragraph: the earlier four-method "
                              "measure, aggregated over paragraphs")
    framing.add_argument("--methods", default=None,
                         help="paragraph measure only: comma-separated methods of "
                              "lexicon,lss,prototypes,classifier (the lexicon is always used); "
                              "implies --measure paragraph")
    framing.add_argument("--lexicon", default=None,
                         help="paragraph measure only: a framing lexicon YAML file (default: the "
                              "packaged one); implies --measure paragraph")
    framing.add_argument("--no-progress", action="store_true", help="no progress bars")
    framing.add_argument("--project", default=None, metavar="DIR",
                         help="output root for the embedding cache (DIR/cache/); default: "
                              "the folder of the output file")
    args = parser.parse_args(argv)

    from .errors import ERROR_TYPES

    try:
        return _run(args)
    except ERROR_TYPES as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing was written (an output folder keeps its previous build)",
              file=sys.stderr)
        return 130


def _run(args) -> int:
    """Run one subcommand; named errors propagate to :func:`main`."""
    if args.command == "build":
        from .corpus.build import BESIDE_MANIFEST, build_corpus

        previous = config.PROJECT
        if args.project is not None:
            config.use_project(args.project)
        args.out = args.out or str(config.PROCESSED)
        try:
            languages = (tuple(c.strip().lower() for c in args.languages.split(",") if c.strip())
                         if args.languages else config.LANGUAGES)
            unknown = [c for c in languages if not known_language(c)]
            if unknown:
                print(f"error: --languages: unknown ISO 639-1 code(s) {', '.join(unknown)}",
                      file=sys.stderr)
                return 2
            limit = {} if args.max_document_mb is None else {
                "max_document_bytes": int(args.max_document_mb * 1024 * 1024)}
            corpus = build_corpus(args.manifest, out_dir=args.out, languages=languages,
                                  post_metadata=args.posts or BESIDE_MANIFEST,
                                  on_error="record" if args.record_errors else "raise",
                                  progress=show_progress(args), allow_roots=args.allow_root,
                                  **limit)
        finally:
            config.use_project(previous)
        print(corpus.report)
        print(f"wrote {args.out}/")
    elif args.command == "framing":
        from pathlib import Path

        previous = config.PROJECT
        config.use_project(args.project or Path(args.output).parent)
        try:
            return _framing(args)
        finally:
            config.use_project(previous)
    return 0


def _framing(args) -> int:
    """Run ``python -m analysis framing``; returns the exit status."""
    from pathlib import Path

    from .framing import METHODS, FramingModel, read_texts, score_framing
    from .framing.lexicon import load_lexicon
    from .framing.output import summarise_languages, write_csv_atomically

    measure = args.measure or ("paragraph" if args.methods or args.lexicon else "document")
    if (args.methods or args.lexicon) and measure == "document":
        print("error: --methods and --lexicon apply to --measure paragraph", file=sys.stderr)
        return 2
    methods = tuple(m.strip() for m in (args.methods or ",".join(METHODS)).split(",")
                    if m.strip())
    unknown = sorted(set(methods) - set(METHODS))
    if unknown:
        print(f"error: unknown method(s) {', '.join(unknown)}; choose from "
              f"{', '.join(METHODS)}", file=sys.stderr)
        return 2
    if args.language and args.language_col:
        print("error: give --language or --language-col, not both", file=sys.stderr)
        return 2
    if args.language is not None and not known_language(args.language):
        print(f"error: --language {args.language!r} is not an ISO 639-1 code the language "
              "detector knows (e.g. en, fr, ar)", file=sys.stderr)
        return 2
    out_path, in_path = Path(args.output), Path(args.input)
    if not out_path.parent.is_dir():
        print(f"error: {out_path}: the folder {out_path.parent} does not exist", file=sys.stderr)
        return 2
    if out_path.resolve() == in_path.resolve() or (
            out_path.exists() and in_path.exists() and out_path.samefile(in_path)):
        print(f"error: {out_path}: the output would replace the input; choose another "
              "output file", file=sys.stderr)
        return 2
    if out_path.is_dir():
        print(f"error: {out_path}: cannot write there: it is a folder; give a file name "
              "for the CSV", file=sys.stderr)
        return 2
    table = read_texts(args.input, id_col=args.id_col, text_col=args.text_col,
                       language_col=args.language_col)
    if args.language_col:
        bad = table.loc[table["language"].notna()
                        & ~table["language"].map(known_language).astype(bool), "language"]
        if len(bad):
            print(f"error: {args.input}: column {args.language_col!r} holds code(s) that are not "
                  f"ISO 639-1 codes the detector knows: "
                  f"{', '.join(sorted(map(repr, set(bad.astype(str))))[:10])}", file=sys.stderr)
            return 2
    lexicon = load_lexicon(args.lexicon) if args.lexicon else load_lexicon()
    language = table["language"].tolist() if args.language_col else args.language
    progress = not args.no_progress and len(table) >= 20
    if measure == "paragraph":
        model = FramingModel(lexicon=lexicon, methods=methods).fit() if args.lexicon else None
        scores = score_framing(table["text"].tolist(), language=language, measure=measure,
                               methods=methods, model=model, progress=progress)
        version = f"paragraph measure, lexicon {scores['lexicon_version'].iloc[0]}"
    else:
        scores = score_framing(table["text"].tolist(), language=language)
        version = (f"document measure {scores['model_version'].iloc[0]}, "
                   f"lexicon {scores['lexicon_version'].iloc[0]}")
    scores.insert(0, args.id_col, table["id"].to_numpy())
    warning = summarise_languages(scores, readable=lexicon.config.get("languages", []))
    if warning:
        print(f"warning: {warning}", file=sys.stderr)
    write_csv_atomically(scores, out_path)
    counts = scores["framing"].value_counts()
    summary = ", ".join(f"{label} {int(counts.get(label, 0))}"
                        for label in ("anti_us", "all_imperialisms", "mixed", "none"))
    print(f"scored {len(scores)} texts ({summary}) with the {version} -> {out_path}")
    return 0


def run(argv: list[str] | None = None) -> None:
    """Run :func:`main` and exit with its status (``python -m analysis``)."""
    status = main(argv)
    if status == 130:  # interrupted: cleanup is done; skip the slow interpreter teardown
        import os

        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)


if __name__ == "__main__":
    run()
