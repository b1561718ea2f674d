"""What a copy of a program year carries besides its own settings. Apps above program own rows of a year
(benefits its table, funding its MDF tier defaults) and register here, in their AppConfig.ready(), how to copy
them; every way of copying a year (the program years page, the API, the command, the 1 January rollover) runs
them all, inside the copy's transaction. program imports none of them (the layers contract in pyproject.toml)."""

from collections.abc import Callable

_steps: list[Callable[..., None]] = []


def register(step: Callable[..., None]) -> None:
    """``step(*, source, new, user)`` copies its app's rows of ``source`` to the new year ``new``."""
    if step not in _steps:
        _steps.append(step)


def copy_year_rows(*, source, new, user) -> None:
    for step in _steps:
        step(source=source, new=new, user=user)
