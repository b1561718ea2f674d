"""Alias of benchmark_recalculation (the name issue 4 uses)."""

from .benchmark_recalculation import Command  # noqa: F401
