import pytest

from partners.models import Agreement, AgreementAcceptance


@pytest.fixture
def accept():
    """Record that ``partner`` accepted the current agreement of ``kind``."""

    def _accept(partner, kind, user):
        agreement = Agreement.objects.get(kind=kind, is_current=True)
        return AgreementAcceptance.objects.get_or_create(agreement=agreement, partner=partner,
                                                         defaults={"accepted_by": user})[0]

    return _accept


@pytest.fixture
def set_tier():
    def _set(partner, tier):
        # Tier standing is the tier engine's to write; tests set it directly to arrange a situation.
        type(partner).objects.filter(pk=partner.pk).update(tier=tier)
        partner.refresh_from_db()
        return partner

    return _set
