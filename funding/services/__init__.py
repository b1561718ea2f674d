"""Every write of the funding app. One function per transition of DESIGN.md §3:

    submitted → approved | rejected | info_requested;  info_requested → submitted (answer);
    submitted | info_requested → withdrawn;  approved → claim_submitted → claim_approved | claim_rejected;
    claim_approved → paid;  approved → expired (claim window closed).

Each one locks the request, checks the state machine (an impossible transition raises ValidationError
and writes nothing), writes the money events to the ledger, and records the audit entry and the
notifications in the same transaction. MDF approvals lock the partner's allocation row first, so two
PAMs approving at the same moment are serialised and the database check refuses an over-spend.

By subject: requests.py (submission to decision, expiry), claims.py (claims, payment, the claim-deadline
run), allocations.py (allocations and tier defaults), _common.py (what they share). Callers import this
package (``from funding import services``) and never a module of it.
"""

from .allocations import allocation_set, tier_default_set, tier_defaults_copy
from .claims import claim_approve, claim_deadlines_run, claim_mark_paid, claim_reject, claim_remind, claim_submit
from .requests import (
    mdf_request_submit,
    poc_nominate,
    request_answer,
    request_approve,
    request_expire,
    request_info,
    request_reject,
    request_withdraw,
)

__all__ = [
    "allocation_set", "claim_approve", "claim_deadlines_run", "claim_mark_paid", "claim_reject", "claim_remind",
    "claim_submit", "mdf_request_submit", "poc_nominate", "request_answer", "request_approve", "request_expire",
    "request_info", "request_reject", "request_withdraw", "tier_default_set", "tier_defaults_copy",
]
