from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from partners.models import Partner

from . import history


class CustomerAccount(models.Model):
    """A customer the vendor's sales system already knows (an existing account)."""

    external_id = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, db_index=True)

    def __str__(self):
        return self.name


class Opportunity(models.Model):
    """An opportunity from the vendor's sales system (imported, never invented here)."""

    class Stage(models.TextChoices):
        OPEN = "open", pgettext_lazy("opportunity stage", "Open")
        CLOSED_WON = "closed_won", _("Closed won")
        CLOSED_LOST = "closed_lost", _("Closed lost")

    class ProductLine(models.TextChoices):
        # Product names stay as the program writes them (Flex, Segment, SendGrid are not marked).
        # Translators: "Platform" is the product's name; translate only the words in brackets.
        PLATFORM = "platform", _("Platform (messaging, voice, video)")
        FLEX = "flex", "Flex"
        SEGMENT = "segment", "Segment"
        SENDGRID = "sendgrid", "SendGrid"
        PROFESSIONAL_SERVICES = "professional_services", _("Professional services")

    external_id = models.CharField(max_length=64, unique=True)
    account_name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, db_index=True)
    product_line = models.CharField(max_length=30, choices=ProductLine.choices)
    arr_usd = models.DecimalField(max_digits=14, decimal_places=2)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.OPEN)
    close_date = models.DateField(null=True, blank=True)
    partners = models.ManyToManyField(Partner, through="OpportunityPartner", related_name="opportunities")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name_plural = _("opportunities")
        constraints = [
            models.CheckConstraint(condition=Q(arr_usd__gte=0), name="opportunity_arr_not_negative"),
            models.CheckConstraint(
                condition=~Q(stage="closed_won") | Q(close_date__isnull=False), name="opportunity_won_has_close_date"
            ),
        ]
        indexes = [models.Index(fields=["stage", "close_date"])]

    def __str__(self):
        return f"{self.account_name} ({self.external_id})"


class OpportunityPartner(models.Model):
    """A partner attached to an opportunity. Whether its revenue counts is the one rule in dealreg/revenue.py:
    attached on or before the close date, or through an approved claim of a missing sourced opportunity."""

    class Source(models.TextChoices):
        SALES_TEAM = "sales_team", _("Added by the sales team")
        DEAL_REGISTRATION = "deal_registration", _("Approved deal registration")
        # Guide p.10: "Partners can submit a deal registration request for any missing sourced opportunities";
        # "once approved by Twilio, the partner is added to the sales opportunity" — after it closed.
        SOURCED_CLAIM = "sourced_claim", _("Approved claim of a missing sourced opportunity")

    opportunity = models.ForeignKey(Opportunity, on_delete=models.CASCADE, related_name="attachments")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="opportunity_attachments")
    attached_on = models.DateField()
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.SALES_TEAM)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "partner"], name="opportunity_partner_unique"),
        ]
        indexes = [models.Index(fields=["partner", "attached_on"])]

    def __str__(self):
        return _("%(partner)s on %(opportunity)s") % {"partner": self.partner, "opportunity": self.opportunity}


class DealRegistration(models.Model):
    """A partner's registration of a deal with a customer (DESIGN.md §3, guide "Deal registration").

    Status changes only through dealreg/services.py, which checks the state machine in dealreg/rules.py.
    """

    class Status(models.TextChoices):
        SUBMITTED = "submitted", pgettext_lazy("deal registration status", "Submitted")
        INFO_REQUESTED = "info_requested", pgettext_lazy("deal registration status", "Information requested")
        APPROVED = "approved", pgettext_lazy("deal registration status", "Approved")
        REJECTED = "rejected", pgettext_lazy("deal registration status", "Rejected")
        WITHDRAWN = "withdrawn", pgettext_lazy("deal registration status", "Withdrawn")
        WON = "won", pgettext_lazy("deal registration status", "Won")
        LOST = "lost", pgettext_lazy("deal registration status", "Lost")
        EXPIRED = "expired", pgettext_lazy("deal registration status", "Expired")

    class RejectReason(models.TextChoices):
        DUPLICATE = "duplicate", _("Duplicate registration")
        EXISTING_CUSTOMER = "existing_customer", _("Existing customer")
        INSUFFICIENT_INFORMATION = "insufficient_information", _("Insufficient information")
        NOT_A_FIT = "not_a_fit", _("Not a fit")
        OTHER = "other", pgettext_lazy("rejection reason", "Other")

    class Extension(models.TextChoices):
        NONE = "", pgettext_lazy("extension", "Not requested")
        REQUESTED = "requested", pgettext_lazy("extension", "Requested")
        GRANTED = "granted", pgettext_lazy("extension", "Granted")
        DECLINED = "declined", pgettext_lazy("extension", "Declined")

    partner = models.ForeignKey(Partner, on_delete=models.PROTECT, related_name="deal_registrations")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    customer_company = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, help_text=_("Normalised customer web domain"))
    country = models.CharField(max_length=2, help_text=_("ISO 3166-1 alpha-2 country code"))
    contact_name = models.CharField(max_length=150)
    contact_email = models.EmailField()
    products = models.JSONField(default=list, help_text=_("Product lines of interest"))
    use_case = models.TextField(max_length=4000)
    estimated_arr_usd = models.DecimalField(max_digits=14, decimal_places=2)
    expected_close_date = models.DateField()

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.SUBMITTED, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # When the registration last (re)entered "submitted": the review service level counts from here.
    waiting_since = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    reject_reason = models.CharField(max_length=30, choices=RejectReason.choices, blank=True)
    decision_note = models.TextField(blank=True)
    approved_on = models.DateField(null=True, blank=True)
    expires_on = models.DateField(null=True, blank=True)
    reminder_sent_for = models.DateField(null=True, blank=True, help_text=_("The expiry date a reminder was sent for"))
    extension = models.CharField(max_length=10, choices=Extension.choices, blank=True, default="")
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.PROTECT, related_name="deal_registrations"
    )
    final_arr_usd = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    # A registration of a "missing sourced opportunity" (guide p.10): an opportunity of the sales system that
    # already closed won without the partner. ``opportunity`` is the one claimed, from submission on.
    already_closed = models.BooleanField(default=False, db_default=False)
    sourced_how = models.TextField(max_length=4000, blank=True, db_default="",
                                   help_text=_("How the partner sourced the opportunity"))

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # "At most one approved registration per customer domain at a time" (DESIGN.md §3).
            models.UniqueConstraint(
                fields=["domain"], condition=Q(status="approved"), name="dealreg_one_approved_per_domain"
            ),
            # The same partner cannot register the same customer twice while one is open or approved. A claim of
            # an opportunity that already closed is about that opportunity, not the customer's next deal.
            models.UniqueConstraint(
                fields=["partner", "domain"],
                condition=Q(status__in=["submitted", "info_requested", "approved"], already_closed=False),
                name="dealreg_one_active_per_partner_domain_deal",
            ),
            models.UniqueConstraint(
                fields=["partner", "opportunity"],
                condition=Q(status__in=["submitted", "info_requested", "approved"], already_closed=True),
                name="dealreg_one_active_claim_per_partner_opportunity",
            ),
            models.CheckConstraint(
                condition=Q(already_closed=False) | Q(opportunity__isnull=False), name="dealreg_claim_has_opportunity"
            ),
            models.CheckConstraint(condition=Q(estimated_arr_usd__gt=0), name="dealreg_estimated_arr_positive"),
            models.CheckConstraint(
                condition=Q(final_arr_usd__isnull=True) | Q(final_arr_usd__gt=0), name="dealreg_final_arr_positive"
            ),
            models.CheckConstraint(
                condition=~Q(status="approved") | Q(expires_on__isnull=False, opportunity__isnull=False),
                name="dealreg_approved_has_expiry_and_opportunity",
            ),
            models.CheckConstraint(
                condition=~Q(status="won") | Q(final_arr_usd__isnull=False, closed_on__isnull=False),
                name="dealreg_won_has_final_arr",
            ),
        ]
        indexes = [
            # The review queue, oldest first with the id breaking ties (dealreg.filters.ReviewQueueFilter.qs): a
            # page's ids are an index walk that stops after the page, not a sort of every waiting registration.
            models.Index(fields=["status", "waiting_since", "id"], name="dealreg_queue_oldest"),
            models.Index(fields=["domain", "status"]),
            models.Index(fields=["partner", "status"]),
            models.Index(fields=["status", "expires_on"]),
            # A partner's list and API, newest first (Meta.ordering): a page reads its rows from here instead of
            # sorting all of the partner's registrations.
            models.Index(fields=["partner", "-created_at", "-id"], name="dealreg_partner_newest"),
        ]

    def __str__(self):
        return f"DR-{self.pk} {self.customer_company} ({self.domain})"

    @property
    def reference(self):
        return f"DR-{self.pk}"

    def get_status_display(self):
        # One translation per call: Django's generic one hashes, so translates, every label of the choices to
        # find one, and the lists and the review queue show it on every row.
        status = self.Status._value2member_map_.get(self.status)
        return str(status.label) if status is not None else self.status

    @property
    def product_labels(self):
        labels = dict(Opportunity.ProductLine.choices)
        return [labels.get(p, p) for p in self.products]


class DealRegistrationEvent(models.Model):
    """One transition of a registration: who, when, from which status to which, and why."""

    class Action(models.TextChoices):
        SUBMIT = "submit", _("Submitted")
        APPROVE = "approve", _("Approved")
        REJECT = "reject", _("Rejected")
        REQUEST_INFO = "request_info", _("Information requested")
        RESPOND = "respond", _("Information provided")
        WITHDRAW = "withdraw", _("Withdrawn")
        WIN = "win", _("Marked won")
        LOSE = "lose", _("Marked lost")
        EXPIRE = "expire", _("Expired")
        REQUEST_EXTENSION = "request_extension", _("Extension requested")
        GRANT_EXTENSION = "grant_extension", _("Extension granted")
        DECLINE_EXTENSION = "decline_extension", _("Extension declined")
        SUBMIT_CLAIM = "submit_claim", _("Missing sourced opportunity registered")

    registration = models.ForeignKey(DealRegistration, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    action = models.CharField(max_length=30, choices=Action.choices)
    from_status = models.CharField(max_length=20, blank=True)
    to_status = models.CharField(max_length=20)
    # What a person typed, as typed (the PAM's reason, the partner's answer); the portal's own words are the code
    # and its parameters, rendered in the reader's language when read (dealreg/history.py).
    reason = models.TextField(blank=True)
    reason_code = models.CharField(max_length=30, blank=True, default="", db_default="")
    reason_params = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.registration_id}: {self.action} {self.from_status} -> {self.to_status}"

    @property
    def from_label(self):
        return DealRegistration.Status(self.from_status).label if self.from_status else ""

    @property
    def to_label(self):
        return DealRegistration.Status(self.to_status).label

    @property
    def words(self):
        """The portal's words about this event in the active language (dealreg/history.py)."""
        return history.event_words(self)

    @property
    def text(self):
        """The portal's words, then the typed reason: the whole why, in the active language."""
        return history.event_text(self)


class SalesImport(models.Model):
    """One accepted import from the sales system (CSV or API): who, when, what changed."""

    class Kind(models.TextChoices):
        OPPORTUNITIES = "opportunities", _("Opportunities")
        CUSTOMER_ACCOUNTS = "customer_accounts", _("Customer accounts")

    kind = models.CharField(max_length=20, choices=Kind.choices)
    source = models.CharField(max_length=200, help_text=_("File name or 'api'"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)
    rows = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return _("%(kind)s import %(at)s (%(source)s)") % {
            "kind": self.get_kind_display(), "at": f"{self.at:%Y-%m-%d %H:%M}", "source": self.source}


class ExcludedCustomerDomain(models.Model):
    """A web domain no deal registration may name as the customer: free-mail providers and the vendor's own
    domains. Program data a program admin edits (admin site); subdomains are excluded with their domain.
    A partner's own domain is refused as well, from the partner's record."""

    class Reason(models.TextChoices):
        FREE_MAIL = "free_mail", _("Free email provider")
        VENDOR = "vendor", _("The vendor's own domain")

    domain = models.CharField(max_length=253, help_text=_("Bare domain, e.g. gmail.com (subdomains included)"))
    reason = models.CharField(max_length=20, choices=Reason.choices)
    note = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["reason", "domain"]
        constraints = [models.UniqueConstraint(fields=["domain"], name="excluded_customer_domain_unique")]

    def __str__(self):
        return f"{self.domain} ({self.get_reason_display()})"


class DealRegistrationLimits(models.Model):
    """Per program year (calendar year): figures above which a registration asks the partner to confirm.
    Keyed by year rather than by the program year row, which belongs to an app above dealreg."""

    year = models.PositiveIntegerField(help_text=_("Program year (calendar year)"))
    confirm_arr_above_usd = models.DecimalField(
        max_digits=14, decimal_places=2, default=Decimal("1000000.00"),
        help_text=_("An estimated ARR above this asks the partner to confirm it"),
    )
    confirm_close_months = models.PositiveSmallIntegerField(
        default=18, help_text=_("An expected close date more than this many months ahead asks for confirmation"),
    )

    class Meta:
        ordering = ["-year"]
        verbose_name_plural = _("deal registration limits")
        constraints = [
            models.UniqueConstraint(fields=["year"], name="deal_limits_one_per_year"),
            models.CheckConstraint(condition=Q(confirm_arr_above_usd__gt=0), name="deal_limits_arr_positive"),
        ]

    def __str__(self):
        return _("Deal registration limits %(year)s") % {"year": self.year}
