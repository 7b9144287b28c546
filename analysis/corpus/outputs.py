"""Atomic, locked output folders: a build's tables appear all together or not at all.

:func:`output_lock` takes a lock file beside the output folder (held for the
whole build, released by the OS if the process dies), after checking that
the folder can be written.  :func:`write_atomically` writes every file into a
temporary folder beside the output, writes :data:`MARKER` last (the files'
SHA-256 and the package version) and then swaps the folder into place, so
the output folder holds the previous complete build or the new one, never a
mix.  :func:`check_marker` is what :func:`analysis.corpus.build.read_corpus` asks.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import datetime as dt
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

from ..errors import BuildLockedError, CorpusOutputError, IncompleteCorpusError
from .stamp import STAMP_NAME

__all__ = ["MARKER", "output_lock", "check_output", "write_atomically", "check_marker",
           "write_file_atomically"]

#: Written last into a complete output folder.
MARKER = "complete.json"
_HELD: dict[Path, int] = {}  # lock paths held by this process, with their depth


def _version() -> str:
    from importlib import metadata

    try:
        return metadata.version("analysis")
    except metadata.PackageNotFoundError:
        return "0+unknown"


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_output(out: Path | str, *, expected: tuple[str, ...]) -> Path:
    """Check, before any work, that ``out`` can become an output folder.

    ``out`` may be missing, empty, or hold a previous output (only the names
    in ``expected``, :data:`MARKER` and the input stamp of ``make corpus``,
    :data:`analysis.corpus.stamp.STAMP_NAME`); its parent must be writable.

    Raises
    ------
    CorpusOutputError
        Naming the folder and the cause.
    """
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise CorpusOutputError(f"{out}: is a file, not a folder; choose a folder for the "
                                "output")
    if out.is_dir():
        ours = (*expected, MARKER, STAMP_NAME)
        foreign = sorted(p.name for p in out.iterdir() if p.name not in ours)
        if foreign:
            shown = ", ".join(foreign[:5]) + (" ..." if len(foreign) > 5 else "")
            raise CorpusOutputError(f"{out}: holds files that are not build outputs ({shown}); "
                                    "a build replaces the whole folder, so choose an empty "
                                    "or new one")
        if not os.access(out, os.W_OK):
            raise CorpusOutputError(f"{out}: the folder is read-only")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        fd, probe = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.probe-")
        os.close(fd)
        os.unlink(probe)
    except OSError as err:
        raise CorpusOutputError(f"{out}: cannot write beside it in {out.parent} "
                                f"({err.strerror or err})") from err
    return out


@contextlib.contextmanager
def output_lock(out: Path | str) -> Iterator[Path]:
    """Hold the lock of an output folder: ``.<name>.lock`` beside it.

    Re-entrant within one process; a second process gets :class:`BuildLockedError`.
    """
    out = Path(out).absolute()
    lock = out.parent / f".{out.name}.lock"
    if lock in _HELD:
        _HELD[lock] += 1
        try:
            yield out
        finally:
            _HELD[lock] -= 1
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd = os.open(lock, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as err:
        raise CorpusOutputError(f"{out}: cannot create the lock file {lock} "
                                f"({err.strerror or err})") from err
    try:
        try:
            import fcntl

            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except ImportError:  # pragma: no cover - not POSIX: no advisory locks
            pass
        except OSError:
            holder = os.pread(fd, 200, 0).decode("utf-8", "replace").strip() or "unknown"
            raise BuildLockedError(f"{out}: another build is writing to this folder "
                                   f"({holder}); wait for it to finish or choose another "
                                   "output folder") from None
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"pid {os.getpid()}, since {dt.datetime.now():%Y-%m-%d %H:%M:%S}"
                  .encode(), 0)
        _HELD[lock] = 1
        try:
            yield out
        finally:
            del _HELD[lock]
    finally:
        os.close(fd)  # closing releases the lock


def _exchange(a: Path, b: Path) -> bool:
    """Swap two paths atomically (Linux ``renameat2(RENAME_EXCHANGE)``); False if unsupported."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    at_fdcwd, rename_exchange = -100, 2
    rc = renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange)
    return rc == 0


def write_atomically(out: Path | str, writers: Mapping[str, Callable[[Path], None]]) -> Path:
    """Write files into a fresh folder beside ``out``, add the marker, and swap it into place.

    Parameters
    ----------
    out : path-like
        The output folder (see :func:`check_output`).
    writers : mapping of file name to callable
        Each callable writes its file to the path it is given.

    Returns
    -------
    Path
        ``out``.
    """
    out = Path(out)
    with output_lock(out):
        check_output(out, expected=tuple(writers))
        tmp = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.partial-"))
        try:
            for name, write in writers.items():
                write(tmp / name)
            marker = {"package": "analysis", "version": _version(),
                      "files": {name: _sha256(tmp / name) for name in writers}}
            (tmp / MARKER).write_text(json.dumps(marker, indent=1) + "\n", encoding="utf-8")
            tmp.chmod(0o755)
            if not out.exists():
                tmp.rename(out)
            elif _exchange(tmp, out):
                shutil.rmtree(tmp, ignore_errors=True)  # now the previous build
            else:  # no atomic exchange: a short moment with no folder, never a mix
                old = out.parent / f".{out.name}.old-{os.getpid()}"
                out.rename(old)
                tmp.rename(out)
                shutil.rmtree(old, ignore_errors=True)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
    return out


def check_marker(folder: Path | str, *, files: tuple[str, ...]) -> dict:
    """The marker of a complete output folder, after checking every file against it.

    Raises
    ------
    IncompleteCorpusError
        When the marker is missing or unreadable, or a file is missing or
        differs from the hash the marker holds.
    """
    folder = Path(folder)
    path = folder / MARKER
    if not path.is_file():
        raise IncompleteCorpusError(
            f"{folder}: no {MARKER}: the folder is not a complete build (interrupted, or "
            "written before builds left a marker); rebuild it with "
            "`python -m analysis build` or analysis.build_corpus()")
    try:
        marker = json.loads(path.read_text(encoding="utf-8"))
        hashes = dict(marker["files"])
    except (OSError, ValueError, KeyError, TypeError) as err:
        raise IncompleteCorpusError(f"{path}: unreadable marker ({err}); rebuild the "
                                    "corpus") from err
    for name in files:
        if name not in hashes or not (folder / name).is_file():
            raise IncompleteCorpusError(f"{folder}: {name} is missing from the build; "
                                        "rebuild the corpus")
        if _sha256(folder / name) != hashes[name]:
            raise IncompleteCorpusError(f"{folder / name}: changed since the build wrote it "
                                        f"(its SHA-256 differs from {MARKER}); rebuild the "
                                        "corpus")
    return marker


def write_file_atomically(path: Path | str, write: Callable[[Path], None]) -> Path:
    """Write one file through a temporary file beside ``path``, then rename it into place.

    ``write(tmp)`` writes the content to the temporary path.  A reader never
    sees a half-written file, and a failed write leaves the previous file (if
    any) as it was.

    Raises
    ------
    CorpusOutputError
        When the folder cannot be written; the message names the file.
    """
    path = Path(path)
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name[:32]}.", suffix=".tmp")
    except OSError as err:
        raise CorpusOutputError(f"{path}: cannot write in {path.parent} "
                                f"({err.strerror or err})") from err
    os.close(fd)
    try:
        write(Path(tmp))
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except OSError as err:
        raise CorpusOutputError(f"{path}: cannot write ({err.strerror or err})") from err
    finally:
        Path(tmp).unlink(missing_ok=True)
    return path
