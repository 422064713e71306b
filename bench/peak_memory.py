"""A process's peak memory since it started its program, for the bench's figures: the kernel's
high-water mark of its resident set (VmHWM), not `ru_maxrss`, which on Linux carries the RSS of
the process that forked it (the bench, hundreds of MB) past the exec, and hides a smaller figure.

    python -c "import bench.peak_memory as m; m.report_at_exit(); from cli import run; run()" ...
writes `peak memory: N MB` as the last line of its stderr.
"""

import atexit
import sys

LINE = "peak memory:"


def peak_mb() -> float:
    """Megabytes; NaN where the kernel does not say (not Linux)."""
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            return next(int(line.split()[1]) for line in f if line.startswith("VmHWM:")) / 1024
    except (OSError, StopIteration):
        return float("nan")


def report_at_exit() -> None:
    atexit.register(lambda: sys.stderr.write(f"{LINE} {peak_mb():.1f} MB\n"))


def reported(stderr: str) -> float:
    """The figure a process reported last on its stderr (NaN if none)."""
    said = [line for line in stderr.splitlines() if line.startswith(LINE)]
    return float(said[-1].split()[2]) if said else float("nan")
