from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy

from partners.models import Partner, TierLevel
from program.models import ProgramYear


class Benefit(models.Model):
    """A benefit of the program year, with its glossary text from the guide."""

    class Gate(models.TextChoices):
        TIER = "tier", gettext_lazy("By tier")
        SUPPORT_ADDENDUM = "support_addendum", gettext_lazy("Partner support addendum")
        SEGMENT = "segment", gettext_lazy("Segment sales certification and Segment agreement")
        # The resell program: the tier cell (invite-only) and the resell addendum (guide p.4, p.9).
        RESELL_ADDENDUM = "resell_addendum", gettext_lazy("Tier cell and resell addendum")

    program_year = models.ForeignKey(ProgramYear, on_delete=models.CASCADE, related_name="benefits")
    code = models.SlugField(max_length=60)
    name = models.CharField(max_length=120)
    glossary = models.TextField(blank=True)
    gate = models.CharField(max_length=20, choices=Gate.choices, default=Gate.TIER)
    quantity_note = models.CharField(max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["program_year", "position"]
        constraints = [models.UniqueConstraint(fields=["program_year", "code"], name="benefit_code_unique_per_year")]

    def __str__(self):
        return self.name


class TierBenefit(models.Model):
    """One cell of the guide's "Benefits by tier" table. No row means the tier does not have it."""

    class Availability(models.TextChoices):
        INCLUDED = "included", gettext_lazy("Included")
        INVITE_ONLY = "invite_only", gettext_lazy("Invite-only")

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="cells")
    tier = models.CharField(max_length=20, choices=TierLevel.choices[1:])
    availability = models.CharField(max_length=20, choices=Availability.choices)
    quantity = models.PositiveIntegerField(null=True, blank=True, help_text=gettext_lazy("e.g. contact-centre licences"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["benefit", "tier"], name="tier_benefit_cell_unique")]

    def __str__(self):
        return f"{self.benefit} @ {self.tier}: {self.availability}"


class BenefitInvitation(models.Model):
    """A PAM's or program admin's invitation of one partner to an invite-only benefit of a program year
    (e.g. POC or MDF co-funding for a Bronze partner in a select region). Withdrawn invitations stay as history."""

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="invitations")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="benefit_invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    invited_at = models.DateTimeField(auto_now_add=True)
    region = models.CharField(max_length=100, blank=True)
    reason = models.TextField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdraw_reason = models.TextField(blank=True)

    class Meta:
        ordering = ["-invited_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["benefit", "partner"], condition=Q(withdrawn_at__isnull=True),
                name="benefit_invitation_one_active",
            ),
        ]

    def __str__(self):
        return f"{self.partner} invited to {self.benefit}"

    @property
    def is_active(self):
        return self.withdrawn_at is None


class DirectoryLead(models.Model):
    """A visitor's message to a partner from its public directory listing (the "contact this partner" form).
    Kept for the partner's users to read; the visitor is told only that the partner received it."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="directory_leads")
    name = models.CharField(max_length=150, verbose_name=gettext_lazy("Name"))
    email = models.EmailField(max_length=254, verbose_name=gettext_lazy("Email"))
    company = models.CharField(max_length=200, blank=True, verbose_name=gettext_lazy("Company"))
    country = models.CharField(max_length=2, blank=True, verbose_name=gettext_lazy("Country"),
                               help_text=gettext_lazy("ISO 3166-1 alpha-2 country code"))
    message = models.TextField(verbose_name=gettext_lazy("Message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partner", "-created_at"], name="benefits_lead_partner_recent")]

    def __str__(self):
        return f"Lead for {self.partner} from {self.email}"
