from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.fields import JSONTextField
from partners.models import Partner, TierLevel
from program.models import ProgramYear

from . import reasons as tier_reasons


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


class RecalculationRun(models.Model):
    """One annual or mid-year recalculation: a preview (dry run) until a program admin applies it."""

    class Kind(models.TextChoices):
        ANNUAL = "annual", _("Annual")
        MIDYEAR = "midyear", _("Mid-year")

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Preview")
        APPLIED = "applied", _("Applied")

    kind = models.CharField(max_length=10, choices=Kind.choices)
    as_of = models.DateField()
    program_year = models.ForeignKey(ProgramYear, on_delete=models.PROTECT, related_name="runs")
    revenue_from = models.DateField()
    revenue_to = models.DateField()
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PREVIEW)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", help_text=_("Empty for scheduled runs"))
    # Started by the beat job (tiers.tasks): at most one such run per kind and as-of date (constraint below).
    scheduled = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    applied_at = models.DateTimeField(null=True, blank=True)
    partner_count = models.PositiveIntegerField(default=0)
    up_count = models.PositiveIntegerField(default=0)
    down_count = models.PositiveIntegerField(default=0)
    changed_count = models.PositiveIntegerField(default=0, help_text=_("Partners whose tier the apply changed"))
    skipped_count = models.PositiveIntegerField(default=0, help_text=_("Partners whose tier changed since the preview"))

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(revenue_to__gte=models.F("revenue_from")), name="run_revenue_window"),
            models.CheckConstraint(condition=Q(status="preview") | Q(applied_at__isnull=False),
                                   name="run_applied_has_time"),
            # Two beat processes, or a retried task, start the same scheduled run: the database keeps one.
            models.UniqueConstraint(fields=["kind", "as_of"], condition=Q(scheduled=True),
                                    name="one_scheduled_run_per_kind_and_day"),
        ]
        indexes = [models.Index(fields=["status", "-applied_at"])]

    def __str__(self):
        return gettext("%(kind)s recalculation as of %(as_of)s (%(status)s)") % {
            "kind": self.get_kind_display(), "as_of": self.as_of, "status": self.get_status_display().lower()}

    @property
    def same_count(self):
        return self.partner_count - self.up_count - self.down_count


class Assessment(models.Model):
    """What a run computed for one partner: the metrics it used, the tiers and the reasons (codes with their
    parameters, tiers/reasons.py; a run older than the codes may keep an English sentence as it was stored)."""

    class Movement(models.TextChoices):
        UP = "up", _("Moves up")
        DOWN = "down", _("Moves down")
        SAME = "same", _("Stays")

    # A run writes one row per partner (100,000 at scale) with COPY. No database-level foreign keys: each
    # row would fire a check at commit that locks its partner row (FOR KEY SHARE), a second of a 100,000
    # partner preview. The rows are written only by tiers.services.run_preview, from the run it creates and
    # the partners it reads in the same transaction; partners are deactivated, not deleted. No single-column
    # indexes either: the unique (run, partner) and the (partner, run) indexes lead with each.
    run = models.ForeignKey(RecalculationRun, on_delete=models.CASCADE, related_name="assessments",
                            db_constraint=False, db_index=False)
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="tier_assessments",
                                db_constraint=False, db_index=False)
    certified_technical = models.PositiveIntegerField()
    sales_trained = models.PositiveIntegerField()
    revenue_usd = models.DecimalField(max_digits=16, decimal_places=2)
    agreement_accepted = models.BooleanField()
    designated = models.BooleanField()
    previous_tier = models.CharField(max_length=20, choices=TierLevel.choices, blank=True)
    computed_tier = models.CharField(max_length=20, choices=TierLevel.choices, blank=True)
    applied_tier = models.CharField(max_length=20, choices=TierLevel.choices, blank=True)
    movement = models.CharField(max_length=4, choices=Movement.choices)
    # json, not jsonb: a run writes a list of reasons for every partner and reads it back whole (core.fields).
    reasons = JSONTextField(default=list)
    provisional_action = models.CharField(max_length=12, blank=True)
    provisional_ends_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["run", "partner_id"]
        constraints = [
            models.UniqueConstraint(fields=["run", "partner"], name="assessment_once_per_run"),
            models.CheckConstraint(condition=Q(revenue_usd__gte=0), name="assessment_revenue_not_negative"),
        ]
        indexes = [models.Index(fields=["run", "movement"]), models.Index(fields=["partner", "run"])]

    def __str__(self):
        return f"{self.partner_id}: {self.previous_tier or '-'} -> {self.applied_tier or '-'}"

    # The reasons in the reader's language, rendered when read (pages, the API, the CSV export).
    @property
    def reason_lines(self):
        return tier_reasons.lines(self.reasons)

    @property
    def reason_texts(self):
        return tier_reasons.render_all(self.reasons)

    @property
    def reason_codes(self):
        return [tier_reasons.as_data(r) for r in self.reasons or ()]

    @property
    def reasons_recorded_in_english(self):
        """Some reason is a sentence stored in English before reasons were codes (shown as stored)."""
        return tier_reasons.any_recorded_sentence(self.reasons)


class ProvisionalPeriod(models.Model):
    """A certification provisional period (guide footnote 2; interpretation in docs/tiers.md)."""

    class Outcome(models.TextChoices):
        MET = "met", _("Counts met again")
        EXPIRED = "expired", _("Ended short: moved down")
        SUPERSEDED = "superseded", _("Closed by an annual recalculation or a designation")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="provisional_periods")
    tier = models.CharField(max_length=20, choices=TierLevel.choices[1:])
    opened_on = models.DateField()
    ends_on = models.DateField()
    opened_by_run = models.ForeignKey(RecalculationRun, on_delete=models.PROTECT, related_name="+")
    closed_on = models.DateField(null=True, blank=True)
    closed_by_run = models.ForeignKey(RecalculationRun, null=True, blank=True, on_delete=models.PROTECT,
                                      related_name="+")
    outcome = models.CharField(max_length=12, choices=Outcome.choices, blank=True)

    class Meta:
        ordering = ["-opened_on"]
        constraints = [
            models.UniqueConstraint(fields=["partner"], condition=Q(closed_on__isnull=True),
                                    name="one_open_provisional_period_per_partner"),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("opened_on")), name="provisional_period_dates"),
            models.CheckConstraint(condition=Q(closed_on__isnull=True, outcome="") | Q(closed_on__isnull=False)
                                   & ~Q(outcome=""), name="provisional_closed_has_outcome"),
        ]

    def __str__(self):
        return f"{self.partner_id} provisional {self.opened_on}–{self.ends_on}"


class Designation(models.Model):
    """A program admin's Global Strategic designation (no published requirements, DESIGN.md §2).
    Removed designations stay as history."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="designations")
    given_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    given_at = models.DateTimeField(auto_now_add=True)
    reason = models.TextField()
    tier_before = models.CharField(max_length=20, choices=TierLevel.choices, blank=True)
    removed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    removed_at = models.DateTimeField(null=True, blank=True)
    removal_reason = models.TextField(blank=True)
    tier_after = models.CharField(max_length=20, choices=TierLevel.choices, blank=True)

    class Meta:
        ordering = ["-given_at"]
        constraints = [
            models.UniqueConstraint(fields=["partner"], condition=Q(removed_at__isnull=True),
                                    name="one_active_designation_per_partner"),
        ]

    def __str__(self):
        return f"Global Strategic designation of {self.partner_id}"


class ExpiryNotice(models.Model):
    """A notice sent before a course completion expires (60, 30 and 7 days before): the record that makes
    the daily job send each one once. ``costs_tier`` says whether the forecast found that the lapse costs the
    partner a tier at the next annual recalculation (the urgent wording) or not (the plain one)."""

    completion = models.ForeignKey("partners.Completion", on_delete=models.CASCADE, related_name="expiry_notices")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    expires_on = models.DateField()
    sent_on = models.DateField()
    costs_tier = models.BooleanField(default=False)
    tier_at_risk = models.CharField(max_length=20, choices=TierLevel.choices, blank=True)

    class Meta:
        ordering = ["-sent_on", "-id"]
        constraints = [
            # The expiry date is part of the key: a renewed-then-moved expiry is a new notice cycle.
            models.UniqueConstraint(fields=["completion", "expires_on", "days_before"], name="expiry_notice_once"),
        ]
        indexes = [models.Index(fields=["partner", "sent_on"])]

    def __str__(self):
        return f"Notice {self.days_before} days before {self.expires_on} (completion {self.completion_id})"
