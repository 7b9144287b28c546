"""Command line: ``python -m analysis build``.

Examples
--------
``python -m analysis build --manifest my/manifest.csv --out my/processed``
"""

from __future__ import annotations

import argparse
import sys

from . import config


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m analysis", description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    build = sub.add_parser("build", help="build the corpus and write data/processed/")
    build.add_argument("--manifest", default=str(config.MANIFEST))
    build.add_argument("--posts", default=str(config.POST_METADATA),
                       help="per-post metadata CSV (dates of listing-page posts)")
    build.add_argument("--out", default=str(config.PROCESSED))
    build.add_argument("--record-errors", action="store_true",
                       help="leave bad documents out and record them in the audit "
                            "instead of stopping")
    args = parser.parse_args(argv)

    from .load import CorpusInputError

    if args.command == "build":
        from .corpus import build_corpus

        try:
            corpus = build_corpus(args.manifest, post_metadata=args.posts, out_dir=args.out,
                                  on_error="record" if args.record_errors else "raise")
        except CorpusInputError as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        print(corpus.report)
        print(f"wrote {args.out}/")
    return 0


if __name__ == "__main__":
    sys.exit(main())
