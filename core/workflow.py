"""The shape of a workflow's transition table, shared by deal registrations and funding requests and claims.

Each app keeps its own table (action -> who takes it, the statuses it may start from, the status it leads to)
in its rules module: services check it, and pages, the API and tests read it.
"""

from collections.abc import Mapping
from dataclasses import dataclass

# Who takes an action: the partner's users, its reviewers (its PAM, any PAM while it has none, or a program
# admin: DESIGN.md §1) or the daily job. A person may stand on more than one side.
PARTNER = "partner"
REVIEWER = "reviewer"
SCHEDULE = "schedule"


@dataclass(frozen=True)
class Transition:
    side: str
    sources: tuple[str, ...]
    target: str


def actions_from(table: Mapping[str, Transition], status: str, *, side: str) -> tuple[str, ...]:
    """The actions of ``table`` that ``side`` may take from ``status``, in the table's order."""
    return tuple(action for action, t in table.items() if t.side == side and status in t.sources)
