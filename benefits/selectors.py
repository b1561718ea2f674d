from .models import BenefitInvitation


def active_invitation(*, partner, benefit_code, program_year):
    """The partner's active invitation to a benefit of the program year, or None."""
    return (
        BenefitInvitation.objects.filter(
            partner=partner, benefit__code=benefit_code, benefit__program_year=program_year, withdrawn_at__isnull=True
        )
        .select_related("invited_by", "benefit")
        .first()
    )
