"""Every action the audit trail records, in one typed enumeration (after zulip's AuditLogEventType).

The values are the strings stored in ``AuditEntry.action`` since the first entry, so old rows read as
members; audit_record refuses anything that is not one of them. Add a member before writing a new action.
"""

from enum import StrEnum, unique


@unique
class AuditAction(StrEnum):
    # partners
    PARTNER_APPLY = "partners.apply"
    AGREEMENT_ACCEPT = "partners.agreement_accept"
    ASSIGN_TEAM = "partners.assign_team"
    INVITATION_CREATE = "partners.invitation_create"
    INVITATION_REVOKE = "partners.invitation_revoke"
    INVITATION_ACCEPT = "partners.invitation_accept"
    COLLEAGUE_REMOVE = "partners.colleague_remove"
    PERSON_CREATE = "partners.person_create"
    PERSON_UPDATE = "partners.person_update"
    PERSON_DELETE = "partners.person_delete"
    COMPLETION_ADD = "partners.completion_add"
    COMPLETION_DELETE = "partners.completion_delete"
    ROSTER_IMPORT = "partners.roster_import"
    PARTNER_TYPE_CHANGE = "partners.partner_type_change"
    RESELL_INVITATION = "partners.resell_invitation"
    PERSON_MOVE = "partners.person_move"
    API_TOKEN_CREATE = "partners.api_token_create"  # noqa: S105 - an action name, not a secret
    API_TOKEN_REVOKE = "partners.api_token_revoke"  # noqa: S105 - an action name, not a secret
    # program years
    PROGRAM_YEAR_PUBLISH = "program.year_publish"
    PROGRAM_YEAR_CLOSE = "program.year_close"
    # deal registration (dealreg.services._record writes "dealreg." + the registration event's action)
    DEALREG_SUBMIT = "dealreg.submit"
    DEALREG_SUBMIT_CLAIM = "dealreg.submit_claim"
    DEALREG_WITHDRAW = "dealreg.withdraw"
    DEALREG_RESPOND = "dealreg.respond"
    DEALREG_REQUEST_EXTENSION = "dealreg.request_extension"
    DEALREG_APPROVE = "dealreg.approve"
    DEALREG_REJECT = "dealreg.reject"
    DEALREG_REQUEST_INFO = "dealreg.request_info"
    DEALREG_WIN = "dealreg.win"
    DEALREG_LOSE = "dealreg.lose"
    DEALREG_GRANT_EXTENSION = "dealreg.grant_extension"
    DEALREG_DECLINE_EXTENSION = "dealreg.decline_extension"
    DEALREG_EXPIRE = "dealreg.expire"
    DEALREG_REMIND_EXPIRY = "dealreg.remind_expiry"
    IMPORT_OPPORTUNITIES = "dealreg.import_opportunities"
    IMPORT_CUSTOMER_ACCOUNTS = "dealreg.import_customer_accounts"
    # tiers
    TIER_CHANGE = "tiers.tier_change"
    RUN_APPLY = "tiers.run_apply"
    DESIGNATION_GIVE = "tiers.designation_give"
    DESIGNATION_REMOVE = "tiers.designation_remove"
    PROGRAM_YEAR_UPDATE = "tiers.program_year_update"
    PROGRAM_YEAR_COPY = "tiers.program_year_copy"
    # benefits and the showcase
    BENEFIT_INVITE = "benefit.invite"
    BENEFIT_INVITATION_WITHDRAW = "benefit.invitation_withdraw"
    BENEFITS_PROGRAM_YEAR_COPY = "benefits.program_year_copy"
    SHOWCASE_SAVE = "showcase.save"
    # funding (funding.services._common._audit writes "funding." + the step)
    FUNDING_SUBMIT = "funding.submit"
    FUNDING_WITHDRAW = "funding.withdraw"
    FUNDING_ANSWER = "funding.answer"
    FUNDING_CLAIM_SUBMIT = "funding.claim_submit"
    FUNDING_REQUEST_INFO = "funding.request_info"
    FUNDING_REJECT = "funding.reject"
    FUNDING_APPROVE = "funding.approve"
    FUNDING_CLAIM_APPROVE = "funding.claim_approve"
    FUNDING_CLAIM_REJECT = "funding.claim_reject"
    FUNDING_PAY = "funding.pay"
    FUNDING_EXPIRE = "funding.expire"
    ALLOCATION_SET = "funding.allocation_set"
    TIER_DEFAULT_SET = "funding.tier_default_set"
    TIER_DEFAULTS_COPY = "funding.tier_defaults_copy"
