"""The program year: a calendar year's rules are data (DESIGN.md), owned here, below every app that reads them.

Tiers and their thresholds hang off the year in the tiers app, benefits in benefits, MDF tier defaults in
funding; the settings that are one value per year live on the row itself.
"""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, gettext_lazy

MONEY = {"max_digits": 12, "decimal_places": 2}


class ProgramYear(models.Model):
    """A program year (calendar year, guide p.12) and its settings."""

    class Status(models.TextChoices):
        # Being prepared: editable, never used by a recalculation or a page.
        DRAFT = "draft", gettext_lazy("Draft")
        # In force for its dates: the year program_year_for(day) answers.
        PUBLISHED = "published", gettext_lazy("Published")
        # After its end: read-only; its runs, assessments, allocations and requests stay viewable.
        CLOSED = "closed", gettext_lazy("Closed")

    year = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=100)
    starts_on = models.DateField()
    ends_on = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Certification provisional period (guide footnote 2, our interpretation in docs/tiers.md).
    provisional_period_days = models.PositiveIntegerField(default=90)
    deal_expiry_days = models.PositiveIntegerField(default=90)
    deal_reminder_days = models.PositiveIntegerField(default=14)
    deal_review_business_days = models.PositiveIntegerField(default=2)
    mdf_cofunding_share = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
    )
    claim_window_days = models.PositiveIntegerField(default=45)
    # POC draws from no allocation; each nomination is capped instead (docs/funding.md).
    poc_max_amount = models.DecimalField(**MONEY, default=Decimal("25000.00"))

    class Meta:
        ordering = ["-year"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="program_year_dates"),
            models.CheckConstraint(condition=Q(status__in=["draft", "published", "closed"]),
                                   name="program_year_status_known"),
            models.CheckConstraint(condition=Q(status="draft") | Q(published_at__isnull=False),
                                   name="program_year_published_has_time"),
            models.CheckConstraint(condition=~Q(status="closed") | Q(closed_at__isnull=False),
                                   name="program_year_closed_has_time"),
            models.CheckConstraint(condition=Q(poc_max_amount__gt=0), name="program_year_poc_max_positive"),
        ]

    def __str__(self):
        # The name the portal gives a year ("2026 program year") reads in the reader's language; a name an admin
        # chose is theirs and shows as written.
        if self.name == f"{self.year} program year":
            return gettext("%(year)s program year") % {"year": self.year}
        return self.name

    @property
    def is_draft(self):
        return self.status == self.Status.DRAFT

    @property
    def is_published(self):
        return self.status == self.Status.PUBLISHED

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED
