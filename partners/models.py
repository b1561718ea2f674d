import secrets

from django.conf import settings
from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy


class TierLevel(models.TextChoices):
    """The program's tiers in order (DESIGN.md §2). '' means the partner agreement is not accepted yet.

    The tier names are the program's own and stay as they are in every language."""

    NONE = "", gettext_lazy("Not registered")
    REGISTERED = "registered", "Registered"
    BRONZE = "bronze", "Bronze"
    SILVER = "silver", "Silver"
    GOLD = "gold", "Gold"
    GLOBAL_STRATEGIC = "global_strategic", "Global Strategic"

    @classmethod
    def rank(cls, value):
        return [c.value for c in cls].index(value or "")

    @classmethod
    def at_least(cls, value, minimum):
        return cls.rank(value) >= cls.rank(minimum)


# The tiers a registered partner can hold (TierLevel without "not registered").
ENROLLED_TIERS = TierLevel.choices[1:]


class StaffRole(models.TextChoices):
    NONE = "", gettext_lazy("None")
    PAM = "pam", gettext_lazy("Partner account manager")
    PSA = "psa", gettext_lazy("Partner solution architect")
    PROGRAM_ADMIN = "program_admin", gettext_lazy("Program admin")


class PartnerRole(models.TextChoices):
    ADMIN = "admin", gettext_lazy("Partner admin")
    MEMBER = "member", gettext_lazy("Partner member")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.update(is_staff=True, is_superuser=True, staff_role=StaffRole.PROGRAM_ADMIN)
        return self._create_user(email, password, **extra)


def new_badge_token():
    return secrets.token_urlsafe(32)


class Partner(models.Model):
    class PartnerType(models.TextChoices):
        SI = "si", gettext_lazy("System integrator")
        RESELL = "resell", gettext_lazy("Resell")

    name = models.CharField(max_length=200)
    website = models.URLField(max_length=300)
    # Unique through Meta.constraints, not unique=True: on PostgreSQL that would add a second (LIKE) index.
    domain = models.CharField(max_length=253, help_text=gettext_lazy("Normalised web domain"))
    country = models.CharField(max_length=2, help_text=gettext_lazy("ISO 3166-1 alpha-2 country code"))
    partner_type = models.CharField(max_length=10, choices=PartnerType.choices, default=PartnerType.SI)
    # Invited to the invite-only resell program (guide p.4, "Partner agreements": "if qualified and invited to the
    # resell program, you must sign the resell addendum"). Written by partners.services.resell_invitation_set,
    # which the benefits app calls when a PAM invites the partner to the resell program or withdraws it. The
    # invitation and the accepted addendum together make the partner type resell.
    resell_invited = models.BooleanField(default=False, db_default=False)
    # Tier standing: written only by the tier engine (tiers/services.py) and the agreement acceptance.
    # A tier change writes the row's entry in every index here (tier is read by the directory's order), so the
    # table keeps only the indexes a query uses (no plain index on tier); a recalculation changing many tiers
    # sets the directory's index aside and writes the rows in place (partners.tier_writes, fillfactor 50).
    tier = models.CharField(max_length=20, choices=TierLevel.choices, blank=True, default="")
    tier_since = models.DateField(null=True, blank=True)
    # Indexed only where set (Meta.indexes): most partners have no PAM or PSA, and every tier change would
    # otherwise write a NULL entry into both indexes.
    pam = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="pam_partners",
        limit_choices_to={"staff_role": StaffRole.PAM}, db_index=False,
    )
    psa = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="psa_partners",
        limit_choices_to={"staff_role": StaffRole.PSA}, db_index=False,
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    # The public badge and verification URLs use this token, so partners cannot be enumerated.
    badge_token = models.CharField(max_length=43, default=new_badge_token, editable=False)

    class Meta:
        ordering = ["name"]
        # Exact-match lookups only: constraints rather than unique=True, which on PostgreSQL adds a
        # varchar_pattern_ops index beside each (for LIKE queries nobody runs on these columns).
        constraints = [
            models.UniqueConstraint(fields=["domain"], name="partner_domain_unique",
                                    violation_error_message=gettext_lazy("A partner with this domain already exists.")),
            models.UniqueConstraint(fields=["badge_token"], name="partner_badge_token_unique"),
        ]
        indexes = [
            models.Index(fields=["pam"], condition=Q(pam__isnull=False), name="partner_pam_assigned"),
            models.Index(fields=["psa"], condition=Q(psa__isnull=False), name="partner_psa_assigned"),
            # The staff partner list, its API and export in their default order (name, id): a page reads its 50
            # rows from here instead of sorting every partner (36 s at a million). A name changes rarely; a tier
            # change writes one more index entry.
            models.Index(fields=["name", "id"], name="partner_name_order"),
        ]

    def __str__(self):
        return self.name

    @property
    def is_registered(self):
        return bool(self.tier)


class User(AbstractUser):
    """A person who logs in. Partner users belong to exactly one partner; staff have a staff role."""

    username = None
    email = models.EmailField(gettext_lazy("email address"), unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    partner = models.ForeignKey(Partner, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    partner_role = models.CharField(max_length=10, choices=PartnerRole.choices, blank=True, default="")
    staff_role = models.CharField(max_length=20, choices=StaffRole.choices, blank=True, default="")
    # The switcher's choice (build_portal.language), one of settings.LANGUAGES, each named in itself.
    language = models.CharField(
        gettext_lazy("language"), max_length=10, choices=settings.LANGUAGES, blank=True, default="",
        help_text=gettext_lazy("Blank: the language of your browser."),
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []
    objects = UserManager()

    class Meta:
        constraints = [
            # A user is either a partner user (with a role) or staff, never both.
            models.CheckConstraint(
                condition=(Q(partner__isnull=True, partner_role="") | Q(partner__isnull=False, staff_role="")),
                name="user_partner_xor_staff",
            ),
            models.CheckConstraint(
                condition=Q(partner__isnull=True) | ~Q(partner_role=""), name="user_partner_has_role"
            ),
        ]

    def __str__(self):
        return self.full_name or self.email

    @property
    def is_partner_user(self):
        return self.partner_id is not None

    @property
    def is_partner_admin(self):
        return self.partner_id is not None and self.partner_role == PartnerRole.ADMIN

    @property
    def is_pam(self):
        return self.staff_role == StaffRole.PAM

    @property
    def is_psa(self):
        return self.staff_role == StaffRole.PSA

    @property
    def is_program_admin(self):
        return self.staff_role == StaffRole.PROGRAM_ADMIN

    @property
    def is_program_staff(self):
        return bool(self.staff_role)


class Agreement(models.Model):
    class Kind(models.TextChoices):
        PARTNER = "partner", gettext_lazy("Partner agreement")
        RESELL_ADDENDUM = "resell_addendum", gettext_lazy("Resell addendum")
        SUPPORT_ADDENDUM = "support_addendum", gettext_lazy("Partner support addendum")
        SEGMENT = "segment", gettext_lazy("Segment partner program agreement")

    kind = models.CharField(max_length=30, choices=Kind.choices)
    version = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    body = models.TextField()
    published_on = models.DateField()
    is_current = models.BooleanField(default=True)

    class Meta:
        ordering = ["kind", "-published_on"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "version"], name="agreement_kind_version_unique"),
            models.UniqueConstraint(fields=["kind"], condition=Q(is_current=True), name="agreement_one_current_per_kind"),
        ]

    def __str__(self):
        return f"{self.title} v{self.version}"


class AgreementAcceptance(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.PROTECT, related_name="acceptances")
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="acceptances")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(auto_now_add=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["agreement", "partner"], name="acceptance_once_per_version"),
        ]

    def __str__(self):
        return f"{self.partner} accepted {self.agreement}"


class Invitation(models.Model):
    """A partner admin (or program admin) invites a colleague by email to join the partner.

    Only a SHA-256 hash of the link's token is stored: a copy of the database cannot be used to join.
    """

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=PartnerRole.choices, default=PartnerRole.MEMBER)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open invitation per address across all partners: a person joins exactly one partner.
            models.UniqueConstraint(
                Lower("email"), condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_email",
            ),
            models.CheckConstraint(condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                                   name="invitation_not_accepted_and_revoked"),
        ]
        indexes = [models.Index(fields=["partner", "accepted_at", "revoked_at"])]

    def __str__(self):
        return f"Invitation of {self.email} to {self.partner}"

    def is_open(self, now):
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > now


class Person(models.Model):
    """Someone on the partner's people roster (need not have a login)."""

    class JobRole(models.TextChoices):
        TECHNICAL = "technical", gettext_lazy("Technical")
        SALES = "sales", gettext_lazy("Sales")
        OTHER = "other", gettext_lazy("Other")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="people")
    name = models.CharField(max_length=150)
    email = models.EmailField()
    job_role = models.CharField(max_length=10, choices=JobRole.choices, default=JobRole.TECHNICAL)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["partner", "email"], name="person_email_unique_per_partner"),
            # The target of the completions' composite foreign key (see Completion.partner).
            models.UniqueConstraint(fields=["id", "partner"], name="person_id_partner_unique"),
        ]
        # Staff's people list of one partner, in name order. The roster's natural order has an expression
        # index of its own, on PostgreSQL only (migration 0012).
        indexes = [models.Index(fields=["partner", "name", "id"], name="person_partner_name")]

    def __str__(self):
        return self.name


class Course(models.TextChoices):
    PLATFORM = "platform", gettext_lazy("Twilio platform course")
    SELLERS_101 = "sellers_101", gettext_lazy("Sellers Series 101: Twilio overview")
    SEGMENT_SALES = "segment_sales", gettext_lazy("Segment sales certification")


class Completion(models.Model):
    """A course completion from the learning system; counts until it expires."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="completions")
    # The person's partner, copied so a recalculation counts people per partner from this table alone
    # (joining the whole roster was a third of the metrics' time at 100,000 partners). A composite foreign
    # key (person, partner) -> person (id, partner) keeps it equal on PostgreSQL, following the person if
    # it moves (migration 0005). save() fills it; bulk_create callers set it.
    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="+", editable=False)
    course = models.CharField(max_length=20, choices=Course.choices)
    completed_on = models.DateField()
    expires_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-completed_on"]
        constraints = [
            models.UniqueConstraint(fields=["person", "course", "completed_on"], name="completion_unique"),
            models.CheckConstraint(
                condition=Q(expires_on__isnull=True) | Q(expires_on__gt=models.F("completed_on")),
                name="completion_expires_after_completed",
            ),
        ]
        indexes = [models.Index(fields=["course", "expires_on"])]

    def __str__(self):
        return f"{self.person} — {self.get_course_display()}"

    def save(self, *args, **kwargs):
        if self.partner_id is None and self.person_id is not None:
            self.partner_id = self.person.partner_id
        super().save(*args, **kwargs)


class ShowcaseListing(models.Model):
    """A partner's public directory listing; published only from Bronze and when complete."""

    partner = models.OneToOneField(Partner, on_delete=models.CASCADE, related_name="showcase")
    description = models.TextField(blank=True)
    services = models.CharField(max_length=500, blank=True)
    industries = models.CharField(max_length=500, blank=True)
    countries_served = models.CharField(max_length=500, blank=True)
    products = models.CharField(max_length=500, blank=True)
    logo = models.ImageField(upload_to="showcase/logos/", blank=True)
    website = models.URLField(max_length=300, blank=True)
    contact_email = models.EmailField(blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self):
        return f"Showcase: {self.partner}"
