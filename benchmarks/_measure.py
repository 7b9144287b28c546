"""What the benchmarks share: peak resident memory, and running a timed worker process."""

from __future__ import annotations

import contextlib
import json
import subprocess
import threading
import time


class PeakRss:
    """Largest resident memory of this process and its children, sampled every 20 ms."""

    def __init__(self):
        import psutil

        self.proc, self.peak = psutil.Process(), 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def rss(self) -> int:
        """Resident memory now (bytes), children included."""
        total = 0
        with contextlib.suppress(Exception):
            total = self.proc.memory_info().rss
            for child in self.proc.children(recursive=True):
                with contextlib.suppress(Exception):
                    total += child.memory_info().rss
        return total

    def _sample(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, self.rss())
            time.sleep(0.02)

    def reset(self) -> None:
        """Start a new peak from the memory held now."""
        self.peak = self.rss()

    def current_peak(self) -> int:
        """The peak since the last :meth:`reset` (bytes)."""
        return max(self.peak, self.rss())

    def stop(self) -> int:
        """Stop sampling; the peak (bytes)."""
        self._stop.set()
        self._thread.join()
        return self.current_peak()


def run_worker(cmd: list[str], env: dict) -> dict:
    """Run a worker process and return the JSON object on the last line it prints."""
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(done.stderr[-3000:])
    return json.loads(done.stdout.strip().splitlines()[-1])

