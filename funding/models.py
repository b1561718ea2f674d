"""POC nominations and MDF requests, their claims and files, MDF allocations and the money ledger.

Workflow rows change only through funding/services/ (state machine, audit, notifications)."""

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from dealreg.models import Opportunity
from partners.models import Partner, TierLevel
from program.models import ProgramYear

MONEY = {"max_digits": 12, "decimal_places": 2}


class Program(models.TextChoices):
    POC = "poc", _("POC nomination")
    MDF = "mdf", _("MDF request")


class Status(models.TextChoices):
    """DESIGN.md §3: submitted → approved | rejected | info_requested; info_requested → submitted;
    approved → claim_submitted → claim_approved | claim_rejected; claim_approved → paid;
    withdrawn by the partner before a decision; approved → expired when the claim window closes."""

    SUBMITTED = "submitted", pgettext_lazy("funding request status", "Submitted")
    INFO_REQUESTED = "info_requested", pgettext_lazy("funding request status", "Information requested")
    APPROVED = "approved", pgettext_lazy("funding request status", "Approved")
    REJECTED = "rejected", pgettext_lazy("funding request status", "Rejected")
    WITHDRAWN = "withdrawn", pgettext_lazy("funding request status", "Withdrawn")
    CLAIM_SUBMITTED = "claim_submitted", pgettext_lazy("funding request status", "Claim submitted")
    CLAIM_APPROVED = "claim_approved", pgettext_lazy("funding request status", "Claim approved")
    CLAIM_REJECTED = "claim_rejected", pgettext_lazy("funding request status", "Claim rejected")
    PAID = "paid", pgettext_lazy("funding request status", "Paid")
    EXPIRED = "expired", pgettext_lazy("funding request status", "Expired (not claimed in time)")


# Statuses in which an approved amount is held against the allocation (or, for POC, promised).
FUNDED_STATUSES = (Status.APPROVED, Status.CLAIM_SUBMITTED, Status.CLAIM_APPROVED, Status.CLAIM_REJECTED,
                   Status.PAID, Status.EXPIRED)
OPEN_STATUSES = (Status.SUBMITTED, Status.INFO_REQUESTED)


class MdfActivityType(models.TextChoices):
    """Eligible MDF activities named in the guide (Digital marketing, Virtual event toolkit, Twilio-led
    global events); the Partner marketing guide it points to has more examples of the same kinds."""

    BLOG = "blog", _("Blog posts")
    EMAIL_CAMPAIGN = "email_campaign", _("Email campaign")
    PARTNER_EVENT = "partner_event", _("Partner-led event")
    SOCIAL_MEDIA = "social_media", _("Social media promotion")
    VIRTUAL_EVENT = "virtual_event", _("Virtual event")
    TWILIO_EVENT_SPONSORSHIP = "twilio_event_sponsorship", _("Sponsorship of a Twilio-led global event")


# POC projects are built on Twilio products; professional services are not a product a POC explores.
TWILIO_PRODUCTS = [c for c in Opportunity.ProductLine.choices if c[0] != Opportunity.ProductLine.PROFESSIONAL_SERVICES]


class MdfTierDefault(models.Model):
    """The MDF allocation a partner of a tier gets for a program year unless set for the partner."""

    program_year = models.ForeignKey(ProgramYear, on_delete=models.CASCADE, related_name="mdf_tier_defaults")
    tier = models.CharField(max_length=20, choices=TierLevel.choices[1:])
    amount = models.DecimalField(**MONEY)

    class Meta:
        ordering = ["program_year", "tier"]
        constraints = [
            models.UniqueConstraint(fields=["program_year", "tier"], name="mdf_tier_default_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="mdf_tier_default_not_negative"),
        ]

    def __str__(self):
        return f"{self.get_tier_display()} {self.program_year.year}: {self.amount}"


class MdfAllocation(models.Model):
    """A partner's MDF allocation for a program year. The row is locked (select_for_update) by every
    approval, return and change; ``committed`` (approved minus returned) is the guard the database checks,
    the ledger is where every figure shown comes from (and the two are compared in tests)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="mdf_allocations")
    program_year = models.ForeignKey(ProgramYear, on_delete=models.CASCADE, related_name="mdf_allocations")
    amount = models.DecimalField(**MONEY, default=Decimal("0"))
    committed = models.DecimalField(**MONEY, default=Decimal("0"))
    # False: follows the tier default of the program year; True: set for this partner by a program admin.
    is_custom = models.BooleanField(default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["program_year", "partner"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "program_year"], name="mdf_allocation_unique"),
            models.CheckConstraint(condition=Q(amount__gte=0), name="mdf_allocation_not_negative"),
            models.CheckConstraint(condition=Q(committed__gte=0), name="mdf_allocation_committed_not_negative"),
            # The invariant of the issue: approvals never exceed the allocation.
            models.CheckConstraint(condition=Q(committed__lte=F("amount")), name="mdf_allocation_not_overspent"),
        ]

    def __str__(self):
        return f"MDF {self.program_year.year} {self.partner}"

    @property
    def remaining(self):
        return self.amount - self.committed


def _reference(program, pk):
    return f"{program.upper()}-{pk:05d}"


class FundingRequest(models.Model):
    """A POC nomination or an MDF request (one table: they share the workflow, claims and the queue)."""

    program = models.CharField(max_length=3, choices=Program.choices)
    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="funding_requests")
    program_year = models.ForeignKey(ProgramYear, on_delete=models.PROTECT, related_name="funding_requests")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED)
    title = models.CharField(_("project / activity name"), max_length=200)
    starts_on = models.DateField()
    ends_on = models.DateField()
    requested_amount = models.DecimalField(**MONEY)
    approved_amount = models.DecimalField(**MONEY, null=True, blank=True)
    # POC nomination.
    customer_name = models.CharField(max_length=200, blank=True)
    goals = models.TextField(_("goals and objectives"), blank=True)
    success_criteria = models.TextField(blank=True)
    next_steps = models.TextField(_("agreed next steps"), blank=True)
    products = models.JSONField(default=list, blank=True)
    # MDF request.
    activity_type = models.CharField(max_length=30, choices=MdfActivityType.choices, blank=True)
    description = models.TextField(blank=True)
    total_cost = models.DecimalField(**MONEY, null=True, blank=True)
    # The program year's co-investment share when submitted, so a later change of the setting
    # does not change the rule a request was made under.
    cofunding_share = models.DecimalField(max_digits=4, decimal_places=2, null=True, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    claim_deadline = models.DateField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-submitted_at", "-id"]
        indexes = [
            models.Index(fields=["partner", "status"]),
            models.Index(fields=["status", "claim_deadline"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(requested_amount__gt=0), name="funding_requested_positive"),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True)
                | (Q(approved_amount__gt=0) & Q(approved_amount__lte=F("requested_amount"))),
                name="funding_approved_within_requested",
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="funding_dates_ordered"),
            models.CheckConstraint(
                condition=Q(program="poc") | (Q(total_cost__gt=0) & ~Q(activity_type="") & Q(cofunding_share__gt=0)),
                name="funding_mdf_has_cost_type_share",
            ),
            models.CheckConstraint(
                condition=Q(program="poc") | Q(requested_amount__lte=F("total_cost") * F("cofunding_share")),
                name="funding_mdf_within_share",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=FUNDED_STATUSES) | (Q(approved_amount__isnull=False) & Q(claim_deadline__isnull=False)),
                name="funding_funded_has_amount_and_deadline",
            ),
        ]

    def __str__(self):
        return f"{self.reference} {self.title}"

    @property
    def reference(self):
        return _reference(self.program, self.pk or 0)

    @property
    def is_mdf(self):
        return self.program == Program.MDF

    def product_labels(self):
        names = dict(TWILIO_PRODUCTS)
        return [names.get(p, p) for p in self.products]


def claim_file_path(instance, filename):
    # Random names: the storage path reveals neither the partner's file name nor other claims' files.
    ext = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(instance.content_type, "bin")
    return f"funding/claims/{instance.claim.request.partner_id}/{uuid.uuid4().hex}.{ext}"


class Claim(models.Model):
    """The partner's claim after the activity: actual cost and proof of performance."""

    request = models.OneToOneField(FundingRequest, on_delete=models.PROTECT, related_name="claim")
    actual_cost = models.DecimalField(**MONEY)
    notes = models.TextField(blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)
    approved_amount = models.DecimalField(**MONEY, null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    payment_reference = models.CharField(max_length=100, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    paid_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(actual_cost__gt=0), name="claim_actual_cost_positive"),
            models.CheckConstraint(
                condition=Q(approved_amount__isnull=True) | Q(approved_amount__gt=0), name="claim_approved_positive"
            ),
            models.CheckConstraint(
                condition=Q(paid_at__isnull=True) | (~Q(payment_reference="") & Q(approved_amount__isnull=False)),
                name="claim_paid_has_reference",
            ),
        ]

    def __str__(self):
        return _("Claim for %(reference)s") % {"reference": self.request.reference}


class ClaimFile(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.PROTECT, related_name="files")
    file = models.FileField(upload_to=claim_file_path, max_length=300)
    original_name = models.CharField(max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]

    def __str__(self):
        return self.original_name


class LedgerEntry(models.Model):
    """One money event. Every figure of an allocation (and of POC funding) is a sum over these rows."""

    class Kind(models.TextChoices):
        ALLOCATION = "allocation", _("Allocation set (change)")
        APPROVED = "approved", _("Request approved")
        CLAIM_APPROVED = "claim_approved", _("Claim approved")
        PAID = "paid", _("Claim paid")
        RETURNED = "returned", _("Returned to the allocation")

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="funding_ledger")
    program_year = models.ForeignKey(ProgramYear, on_delete=models.PROTECT, related_name="+")
    program = models.CharField(max_length=3, choices=Program.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # Signed only for allocation changes (a lower allocation is a negative change); positive otherwise.
    amount = models.DecimalField(**MONEY)
    request = models.ForeignKey(FundingRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="ledger")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    # What happened, as data: the cause and the figures of its sentence (funding.ledger), worded in the
    # reader's language when shown. The note is only what a person typed (a program admin's reason).
    params = models.JSONField(default=dict, blank=True)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name_plural = _("ledger entries")
        indexes = [models.Index(fields=["partner", "program_year", "program"])]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="allocation") & ~Q(amount=0) & Q(program="mdf")) | (~Q(kind="allocation") & Q(amount__gt=0)),
                name="ledger_amount_sign",
            ),
            models.CheckConstraint(condition=Q(kind="allocation") | Q(request__isnull=False), name="ledger_money_has_request"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.amount}"


class ClaimReminder(models.Model):
    """A claim-deadline reminder that was sent; the unique row makes the daily task safe to run twice."""

    request = models.ForeignKey(FundingRequest, on_delete=models.CASCADE, related_name="claim_reminders")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["request", "days_before"], name="claim_reminder_once")]

    def __str__(self):
        return _("%(reference)s: %(days)s days") % {"reference": self.request.reference, "days": self.days_before}
