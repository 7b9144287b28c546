"""``python -m analysis``: the command line of :mod:`analysis.cli`."""

import os
import sys

from .cli import main

if __name__ == "__main__":
    status = main()
    if status == 130:  # interrupted: cleanup is done; skip the slow interpreter teardown
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(status)
    sys.exit(status)
