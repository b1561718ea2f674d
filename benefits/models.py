from django.db import models

from partners.models import TierLevel
from tiers.models import ProgramYear


class Benefit(models.Model):
    """A benefit of the program year, with its glossary text from the guide."""

    class Gate(models.TextChoices):
        TIER = "tier", "By tier"
        SUPPORT_ADDENDUM = "support_addendum", "Partner support addendum"
        SEGMENT = "segment", "Segment sales certification and Segment agreement"

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
        INCLUDED = "included", "Included"
        INVITE_ONLY = "invite_only", "Invite-only"

    benefit = models.ForeignKey(Benefit, on_delete=models.CASCADE, related_name="cells")
    tier = models.CharField(max_length=20, choices=TierLevel.choices[1:])
    availability = models.CharField(max_length=20, choices=Availability.choices)
    quantity = models.PositiveIntegerField(null=True, blank=True, help_text="e.g. contact-centre licences")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["benefit", "tier"], name="tier_benefit_cell_unique")]

    def __str__(self):
        return f"{self.benefit} @ {self.tier}: {self.availability}"
