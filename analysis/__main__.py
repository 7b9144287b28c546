"""``python -m analysis``: the command line of :mod:`analysis.cli`."""

from .cli import run

if __name__ == "__main__":
    run()
