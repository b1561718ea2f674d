from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from partners.models import TierLevel


class ProgramYear(models.Model):
    """A program year (calendar year) and its settings: rules are data a program admin can edit."""

    year = models.PositiveIntegerField(unique=True)
    name = models.CharField(max_length=100)
    starts_on = models.DateField()
    ends_on = models.DateField()
    # Certification provisional period (guide footnote 2, our interpretation in docs/rules.md).
    provisional_period_days = models.PositiveIntegerField(default=90)
    deal_expiry_days = models.PositiveIntegerField(default=90)
    deal_reminder_days = models.PositiveIntegerField(default=14)
    deal_review_business_days = models.PositiveIntegerField(default=2)
    mdf_cofunding_share = models.DecimalField(
        max_digits=4, decimal_places=2, default=Decimal("0.50"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1.00"))],
    )
    claim_window_days = models.PositiveIntegerField(default=45)

    class Meta:
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="program_year_dates")]

    def __str__(self):
        return self.name

    @classmethod
    def for_date(cls, day):
        return cls.objects.filter(starts_on__lte=day, ends_on__gte=day).first() or cls.objects.order_by("-year").first()


class Tier(models.Model):
    """A tier of a program year and its requirements (all cumulative, DESIGN.md §2)."""

    program_year = models.ForeignKey(ProgramYear, on_delete=models.CASCADE, related_name="tiers")
    level = models.CharField(max_length=20, choices=TierLevel.choices[1:])
    name = models.CharField(max_length=50)
    rank = models.PositiveSmallIntegerField()
    requires_partner_agreement = models.BooleanField(default=True)
    min_certified_technical = models.PositiveIntegerField(default=0)
    min_sales_trained = models.PositiveIntegerField(default=0)
    min_revenue_usd = models.DecimalField(max_digits=14, decimal_places=2, default=Decimal("0"))
    # Global Strategic has no published requirements: a program admin designates it.
    is_designation = models.BooleanField(default=False)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["program_year", "rank"]
        constraints = [
            models.UniqueConstraint(fields=["program_year", "level"], name="tier_level_unique_per_year"),
            models.UniqueConstraint(fields=["program_year", "rank"], name="tier_rank_unique_per_year"),
            models.CheckConstraint(condition=Q(min_revenue_usd__gte=0), name="tier_revenue_not_negative"),
        ]

    def __str__(self):
        return f"{self.name} ({self.program_year.year})"
