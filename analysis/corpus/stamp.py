"""Skip a corpus build whose inputs have not changed: a stamp keyed by their hashes.

``make corpus`` runs ``python analysis/corpus/stamp.py check`` first and builds only
when it fails; after a build, ``python analysis/corpus/stamp.py write`` records the
stamp.  The key is a SHA-256 over

* the manifest, every raw file and ``posts.csv`` (all of ``data/raw/``),
* the framing lexicon and every file of ``data/lexicons/``,
* the package's own source (cleaning rules, segmentation, language
  policy: any change to ``analysis/`` rebuilds), and
* the versions of the libraries that shape the tables (pandas, pyarrow,
  ftfy, lingua, trafilatura, datasketch, numpy).

The stamp also holds the size and hash of every table written, so a table
deleted or edited by hand is rebuilt too.  Notebooks are not covered: they
always execute, so figures always come from the code.

Examples
--------
>>> key = input_key()
>>> len(key), key == input_key()
(64, True)
"""

from __future__ import annotations

import hashlib
import json
import sys
from importlib import metadata
from pathlib import Path

__all__ = ["input_key", "is_current", "write_stamp", "STAMP_NAME"]

STAMP_NAME = ".build-stamp.json"
#: Run as a script (``python analysis/corpus/stamp.py``, as ``make corpus`` does) this
#: module imports nothing of the package, whose ``__init__`` costs seconds.
_ROOT = Path(__file__).resolve().parents[2]


def _config():
    if __package__:
        from .. import config

        return config.RAW, config.DATA / "lexicons", config.PROCESSED
    return _ROOT / "data" / "raw", _ROOT / "data" / "lexicons", _ROOT / "data" / "processed"

_LIBRARIES = ("pandas", "pyarrow", "numpy", "ftfy", "lingua-language-detector", "trafilatura",
              "datasketch")


def _files(folder: Path, pattern: str = "*") -> list[Path]:
    return sorted(p for p in folder.rglob(pattern) if p.is_file() and "__pycache__" not in p.parts)


def _hash_files(h, root: Path, files: list[Path]) -> None:
    for path in files:
        h.update(str(path.relative_to(root)).encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())


def input_key(*, raw: Path | None = None, lexicons: Path | None = None) -> str:
    """SHA-256 of everything a corpus build reads (see the module docstring)."""
    default_raw, default_lexicons, _ = _config()
    raw = Path(raw) if raw is not None else default_raw
    lexicons = Path(lexicons) if lexicons is not None else default_lexicons
    package = Path(__file__).resolve().parents[1]
    h = hashlib.sha256()
    for label, folder, pattern in (("raw", raw, "*"), ("lexicons", lexicons, "*"),
                                   ("package", package, "*.py")):
        h.update(f"[{label}]".encode())
        if folder.is_dir():
            _hash_files(h, folder, _files(folder, pattern))
    for name in _LIBRARIES:
        try:
            version = metadata.version(name)
        except metadata.PackageNotFoundError:
            version = "-"
        h.update(f"{name}=={version}\n".encode())
    h.update(sys.version.encode())
    return h.hexdigest()


def _outputs(out_dir: Path) -> dict[str, str]:
    return {str(p.relative_to(out_dir)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in _files(out_dir) if p.name != STAMP_NAME}


def is_current(out_dir: Path | str | None = None, **kwargs) -> bool:
    """True when ``out_dir`` holds tables built from unchanged inputs, unchanged since."""
    out_dir = Path(out_dir) if out_dir is not None else _config()[2]
    stamp = out_dir / STAMP_NAME
    if not stamp.is_file():
        return False
    try:
        saved = json.loads(stamp.read_text())
    except (OSError, ValueError):
        return False
    outputs = _outputs(out_dir)
    return bool(outputs) and saved.get("inputs") == input_key(**kwargs) \
        and saved.get("outputs") == outputs


def write_stamp(out_dir: Path | str | None = None, **kwargs) -> Path:
    """Record the inputs' key and the tables now in ``out_dir``."""
    out_dir = Path(out_dir) if out_dir is not None else _config()[2]
    stamp = out_dir / STAMP_NAME
    stamp.write_text(json.dumps({"inputs": input_key(**kwargs), "outputs": _outputs(out_dir)},
                                indent=1, sort_keys=True) + "\n")
    return stamp


def main(argv: list[str]) -> int:
    """``check``: exit 0 when the corpus is current, 1 otherwise; ``write``: record it."""
    if argv[:1] == ["check"]:
        current = is_current()
        out_dir = _config()[2]
        print(f"corpus in {out_dir} is up to date: nothing to build" if current
              else f"corpus in {out_dir} needs a build")
        return 0 if current else 1
    if argv[:1] == ["write"]:
        print(f"wrote {write_stamp()}")
        return 0
    print("usage: python analysis/corpus/stamp.py check|write", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
