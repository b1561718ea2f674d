from .models import Agreement, AgreementAcceptance


def current_agreements():
    return Agreement.objects.filter(is_current=True).order_by("kind")


def has_accepted_partner_agreement(partner):
    """Registered needs the current partner agreement; a partner that accepted it once stays enrolled."""
    return AgreementAcceptance.objects.filter(partner=partner, agreement__kind=Agreement.Kind.PARTNER).exists()


def agreements_to_accept(partner):
    accepted = AgreementAcceptance.objects.filter(partner=partner).values("agreement_id")
    return current_agreements().exclude(pk__in=accepted)
