"""How fast this machine's core is, printed beside the benchmarks' figures.

The figures in the README come from 2-core development machines that differ from day to day: the same
commit measured 5.9 s on one and 11.5 s on another for the same recalculation. A fixed amount of pure-Python
work timed in CPU seconds (the fastest of a few tries, so neighbours barely move it) tells two runs on
different machines apart from a change in the code.
"""

import time

# Work of a request's or a recalculation's kind: calls, small objects, a dict and string formatting.
_LOOPS = 200_000


def _work() -> int:
    seen: dict[str, int] = {}
    for i in range(_LOOPS):
        key = f"p{i % 997}"
        seen[key] = seen.get(key, 0) + len(str(i))
    return len(seen)


def reference_ms(tries: int = 5) -> float:
    """CPU milliseconds of the fixed work on one core, the fastest of ``tries``."""
    best = float("inf")
    for _ in range(tries):
        started = time.process_time()
        _work()
        best = min(best, time.process_time() - started)
    return best * 1000


def reference_line() -> str:
    return (f"Machine reference: the fixed Python work takes {reference_ms():.0f} ms of one core "
            f"(perf/machine.py; lower is a faster machine)")


if __name__ == "__main__":
    print(reference_line())
