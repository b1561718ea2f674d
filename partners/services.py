"""Writes of the partners app. Each runs in one transaction with its audit entry and notifications."""

import datetime
from collections.abc import Iterable

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activity.actions import AuditAction
from activity.services import audit_record, notify, notify_address
from core.csv_import import Row, RowError

from . import roster as roster_rules
from . import selectors
from .domains import is_valid_domain, normalise_domain, outside_company_domain
from .models import (
    Agreement,
    AgreementAcceptance,
    Completion,
    Invitation,
    Partner,
    PartnerRole,
    Person,
    StaffRole,
    TierLevel,
    User,
)
from .tokens import new_token, token_hash

# How long an emailed invitation link works.
INVITATION_VALID_DAYS = getattr(settings, "INVITATION_VALID_DAYS", 7)


def agreement_accept(*, partner: Partner, agreement: Agreement, user: User,
                     ip_address: str | None = None) -> AgreementAcceptance:
    """Record the acceptance of one agreement version. The partner agreement makes the partner Registered."""
    if user.partner_id != partner.pk or not user.is_partner_admin:
        raise ValidationError(_("Only a partner admin of this company may accept its agreements."))
    if not agreement.is_current:
        raise ValidationError(_("This version of the agreement is no longer current."))
    # Guide, "Partner agreements": only partners qualified and invited to the resell program sign the
    # resell addendum; the invitation and the accepted addendum make the partner's type resell.
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if agreement.kind == Agreement.Kind.RESELL_ADDENDUM and not partner.resell_invited:
            raise ValidationError(_("The resell addendum is for partners invited to the resell program; the resell "
                                  "program is invite-only: your PAM can invite you."))
        acceptance, created = AgreementAcceptance.objects.get_or_create(
            agreement=agreement, partner=partner, defaults={"accepted_by": user, "ip_address": ip_address}
        )
        if agreement.kind == Agreement.Kind.RESELL_ADDENDUM:
            _sync_partner_type(partner, actor=user, reason="Resell addendum accepted after the invitation to the "
                                                          "resell program.")
        if not created:
            return acceptance
        audit_record(
            actor=user, action=AuditAction.AGREEMENT_ACCEPT, obj=acceptance, partner_id=partner.pk,
            after={"agreement": agreement.kind, "version": agreement.version, "ip": ip_address},
        )
        if agreement.kind == Agreement.Kind.PARTNER and not partner.tier:
            partner.tier = TierLevel.REGISTERED
            partner.tier_since = timezone.localdate()
            partner.save(update_fields=["tier", "tier_since"])
            audit_record(
                actor=user, action=AuditAction.TIER_CHANGE, obj=partner, partner_id=partner.pk,
                before={"tier": ""}, after={"tier": TierLevel.REGISTERED},
                reason="Partner agreement accepted: every partner starts at Registered.",
            )
            notify(
                recipients=list(partner.users.all()),
                kind="partners_registered", params={"partner": partner.name},
                url="/partner/",
            )
        return acceptance


def _resell_addendum_accepted(partner: Partner) -> bool:
    return AgreementAcceptance.objects.filter(partner=partner, agreement__kind=Agreement.Kind.RESELL_ADDENDUM).exists()


def _sync_partner_type(partner: Partner, *, actor: User | None, reason: str) -> bool:
    """Resell while invited to the resell program with the resell addendum accepted; system integrator
    otherwise. A change is audited with who and when (``partner`` is locked by the caller)."""
    wanted = (Partner.PartnerType.RESELL if partner.resell_invited and _resell_addendum_accepted(partner)
              else Partner.PartnerType.SI)
    if partner.partner_type == wanted:
        return False
    before = partner.partner_type
    partner.partner_type = wanted
    partner.save(update_fields=["partner_type"])
    audit_record(actor=actor, action=AuditAction.PARTNER_TYPE_CHANGE, obj=partner, partner_id=partner.pk,
                 before={"partner_type": before}, after={"partner_type": wanted}, reason=reason)
    notify(
        recipients=list(partner.users.filter(is_active=True)),
        kind="partners_type_changed", params={"partner": partner.name, "partner_type": wanted, "reason": reason},
        url=reverse("partners:agreements"),
    )
    return True


def resell_invitation_set(*, partner: Partner, invited: bool, actor: User, reason: str = "") -> Partner:
    """The benefits app calls this when a PAM or program admin invites the partner to the resell program
    (``invited``) or withdraws the invitation, inside its own transaction. Invited, the partner may accept the
    resell addendum, and with it accepted the partner is a resell partner; withdrawn, that ends."""
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        if partner.resell_invited != invited:
            partner.resell_invited = invited
            partner.save(update_fields=["resell_invited"])
            audit_record(actor=actor, action=AuditAction.RESELL_INVITATION, obj=partner, partner_id=partner.pk,
                         before={"resell_invited": not invited}, after={"resell_invited": invited}, reason=reason)
        why = (f"Invited to the resell program, with the resell addendum accepted. {reason}".strip() if invited
               else f"The invitation to the resell program was withdrawn. {reason}".strip())
        _sync_partner_type(partner, actor=actor, reason=why)
    return partner


def partner_apply(*, company_name: str, website: str, country: str, email: str, full_name: str,
                  password: str) -> tuple[Partner, User] | tuple[None, None]:
    """A prospective partner applies: the company is created and its first user is its partner admin.

    Returns ``(partner, user)``, or ``(None, None)`` when the email address has an account already.
    """
    domain = normalise_domain(website)
    errors = {}
    if not is_valid_domain(domain):
        errors["website"] = _("Enter your company's website, e.g. https://example.com.")
    elif Partner.objects.filter(domain=domain).exists():
        errors["website"] = _("A partner with this website is already enrolled; ask its partner admin to invite you.")
    if errors:
        raise ValidationError(errors)
    if User.objects.filter(email__iexact=email).exists():
        # The page answers as for a new address, so nobody learns who has an account; the owner of the
        # address is told by email instead (as allauth does for a password reset).
        with transaction.atomic():
            notify_address(
                email=email, kind="partners_application_existing",
                url="/accounts/login/",
            )
        return None, None
    try:
        with transaction.atomic():
            partner = Partner.objects.create(
                name=company_name, website=website, domain=domain, country=country.upper(),
                partner_type=Partner.PartnerType.SI,
            )
            user = User.objects.create_user(
                email=email, password=password, full_name=full_name, partner=partner, partner_role=PartnerRole.ADMIN
            )
            audit_record(actor=user, action=AuditAction.PARTNER_APPLY, obj=partner, partner_id=partner.pk,
                         after={"name": partner.name, "domain": domain, "country": partner.country})
    except IntegrityError:
        raise ValidationError({"website": _("A partner with this website or user with this email already exists.")})
    return partner, user


def _partner_admins(partner: Partner) -> list[User]:
    return selectors.partner_admins(partner)


def _email_taken(email: str) -> bool:
    return User.objects.filter(email__iexact=email).exists() or EmailAddress.objects.filter(email__iexact=email).exists()


# --- Colleague invitations -------------------------------------------------------------------------

def invitation_create(*, partner: Partner, email: str, role: str, invited_by: User,
                      confirmed: bool = False) -> tuple[Invitation, str]:
    """Invite a colleague by email. Returns ``(invitation, token)``; the token is only in the emailed link.
    An address outside the company's domain needs ``confirmed`` (a typo would give a stranger access)."""
    email = (email or "").strip().lower()
    if role not in PartnerRole.values:
        raise ValidationError({"role": _("Choose admin or member.")})
    if _email_taken(email):
        raise ValidationError({"email": _("An account with this email address already exists; a person belongs to one "
                                        "partner only.")})
    if not confirmed and outside_company_domain(email, partner.domain):
        raise ValidationError({"email": ValidationError(
            # Translators: “Invite this address anyway” is the label of the tick box the form then shows.
            _("%(email)s is not an address at %(domain)s. If this colleague works for %(partner)s with "
              "another address, tick “Invite this address anyway”.")
            % {"email": email, "domain": partner.domain, "partner": partner.name}, code="confirm")})
    now = timezone.now()
    token = new_token()
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        # An expired link no longer blocks a new invitation to the same address.
        Invitation.objects.annotate(lower_email=Lower("email")).filter(
            lower_email=email, accepted_at__isnull=True, revoked_at__isnull=True, expires_at__lte=now
        ).update(revoked_at=now)
        if Invitation.objects.annotate(lower_email=Lower("email")).filter(
            lower_email=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).exists():
            raise ValidationError({"email": _("This email address already has an open invitation; revoke it to send a "
                                            "new one.")})
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    partner=partner, email=email, role=role, token_hash=token_hash(token), invited_by=invited_by,
                    expires_at=now + datetime.timedelta(days=INVITATION_VALID_DAYS),
                )
        except IntegrityError:  # two admins invited the same address at the same moment
            raise ValidationError({"email": _("This email address already has an open invitation.")})
        audit_record(actor=invited_by, action=AuditAction.INVITATION_CREATE, obj=invitation, partner_id=partner.pk,
                     after={"email": email, "role": role, "expires_at": invitation.expires_at.isoformat()})
        inviter = invited_by.full_name or invited_by.email
        notify_address(
            email=email, kind="partners_invited",
            params={"inviter": inviter, "partner": partner.name, "role": role,
                    "expires_at": invitation.expires_at.isoformat()},
            url=f"/invitations/{token}/",
        )
        notify(recipients=[u for u in _partner_admins(partner) if u != invited_by],
               kind="partners_invitation_created", params={"inviter": inviter, "email": email, "partner": partner.name,
                                                           "role": role}, url="/partner/colleagues/")
    return invitation, token


def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    now = timezone.now()
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if invitation.accepted_at is not None:
            raise ValidationError(_("This invitation was already accepted; remove the colleague instead."))
        if invitation.revoked_at is not None:
            return invitation
        invitation.revoked_at = now
        invitation.revoked_by = actor
        invitation.save(update_fields=["revoked_at", "revoked_by"])
        audit_record(actor=actor, action=AuditAction.INVITATION_REVOKE, obj=invitation, partner_id=invitation.partner_id,
                     before={"status": "open"}, after={"status": "revoked", "email": invitation.email})
    return invitation


def invitation_accept(*, token: str, full_name: str, password: str) -> User:
    """The invitee chooses a name and password and joins the partner with a verified email address."""
    full_name = (full_name or "").strip()
    errors: dict[str, str | list[str]] = {}
    if not full_name:
        errors["full_name"] = _("Enter your name.")
    elif len(full_name) > 150:
        errors["full_name"] = _("Your name is longer than 150 characters.")
    now = timezone.now()
    with transaction.atomic():
        invitation = (Invitation.objects.select_for_update(of=("self",)).select_related("partner", "invited_by")
                      .filter(token_hash=token_hash(token or "")).first())
        if invitation is None or not invitation.is_open(now):
            raise ValidationError(_("This invitation link is no longer valid; ask your partner admin for a new one."))
        try:
            validate_password(password or "", user=User(email=invitation.email, full_name=full_name))
        except ValidationError as exc:
            errors["password"] = exc.messages
        if errors:
            raise ValidationError(errors)
        if _email_taken(invitation.email):
            raise ValidationError(_("An account with this email address already exists; log in instead."))
        user = User.objects.create_user(email=invitation.email, password=password, full_name=full_name,
                                        partner=invitation.partner, partner_role=invitation.role)
        # The link reached this inbox, which proves the address: no second verification email.
        EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
        invitation.accepted_at = now
        invitation.accepted_user = user
        invitation.save(update_fields=["accepted_at", "accepted_user"])
        audit_record(actor=user, action=AuditAction.INVITATION_ACCEPT, obj=invitation, partner_id=invitation.partner_id,
                     before={"status": "open"}, after={"status": "accepted", "user": user.email, "role": user.partner_role})
        notify(recipients=_partner_admins(invitation.partner) + [invitation.invited_by],
               kind="partners_colleague_joined", params={"full_name": full_name, "partner": invitation.partner.name,
                                                         "email": user.email, "role": user.partner_role},
               url="/partner/colleagues/")
    return user


def colleague_remove(*, colleague: User, actor: User) -> User:
    """Deactivate a colleague's account. A partner always keeps at least one active partner admin."""
    assert colleague.partner_id is not None  # a colleague is one of a partner's users
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=colleague.partner_id)
        colleague = User.objects.select_for_update().get(pk=colleague.pk)
        if not colleague.is_active:
            raise ValidationError(_("This colleague was already removed."))
        if colleague.pk == actor.pk:
            raise ValidationError(_("You cannot remove yourself; ask another partner admin."))
        if colleague.partner_role == PartnerRole.ADMIN and not partner.users.filter(
            is_active=True, partner_role=PartnerRole.ADMIN
        ).exclude(pk=colleague.pk).exists():
            raise ValidationError(_("This is the last partner admin of the company and cannot be removed."))
        colleague.is_active = False
        colleague.save(update_fields=["is_active"])
        audit_record(actor=actor, action=AuditAction.COLLEAGUE_REMOVE, obj=colleague, partner_id=partner.pk,
                     before={"is_active": True, "role": colleague.partner_role}, after={"is_active": False})
        notify(recipients=[u for u in _partner_admins(partner) if u != actor],
               kind="partners_colleague_removed", params={"colleague": str(colleague), "partner": partner.name,
                                                          "actor": str(actor), "email": colleague.email},
               url="/partner/colleagues/")
    return colleague


# --- People roster --------------------------------------------------------------------------------

def _person_fields(name: str | None, email: str | None, job_role: str) -> tuple[str, str]:
    errors = {}
    name, email = (name or "").strip(), (email or "").strip().lower()
    if not name:
        errors["name"] = _("Enter the person's name.")
    if not email:
        errors["email"] = _("Enter the person's email address.")
    if job_role not in Person.JobRole.values:
        errors["job_role"] = _("Choose technical, sales or other.")
    if errors:
        raise ValidationError(errors)
    return name, email


def person_create(*, partner: Partner, name: str, email: str, job_role: str, actor: User) -> Person:
    name, email = _person_fields(name, email, job_role)
    with transaction.atomic():
        if partner.people.annotate(lower_email=Lower("email")).filter(lower_email=email).exists():
            raise ValidationError({"email": _("Someone with this email address is already on your roster.")})
        try:
            with transaction.atomic():
                person = Person.objects.create(partner=partner, name=name, email=email, job_role=job_role)
        except IntegrityError:
            raise ValidationError({"email": _("Someone with this email address is already on your roster.")})
        audit_record(actor=actor, action=AuditAction.PERSON_CREATE, obj=person, partner_id=partner.pk,
                     after={"name": name, "email": email, "job_role": job_role})
    return person


def person_update(*, person: Person, name: str, email: str, job_role: str, actor: User) -> Person:
    name, email = _person_fields(name, email, job_role)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        if Person.objects.annotate(lower_email=Lower("email")).filter(
            partner_id=person.partner_id, lower_email=email
        ).exclude(pk=person.pk).exists():
            raise ValidationError({"email": _("Someone else on your roster has this email address.")})
        before = {"name": person.name, "email": person.email, "job_role": person.job_role}
        person.name, person.email, person.job_role = name, email, job_role
        person.save(update_fields=["name", "email", "job_role"])
        audit_record(actor=actor, action=AuditAction.PERSON_UPDATE, obj=person, partner_id=person.partner_id,
                     before=before, after={"name": name, "email": email, "job_role": job_role})
    return person


def person_delete(*, person: Person, actor: User) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.PERSON_DELETE, obj=person, partner_id=person.partner_id,
                     before={"name": person.name, "email": person.email,
                             "completions": person.completions.count()})
        person.delete()


def person_move(*, partner: Partner, email: str, to_domain: str, actor: User | None, reason: str) -> Person:
    """Move a person (by email) from ``partner``'s roster to the partner with web domain ``to_domain``, with
    their course completions: certifications follow the person who earned them (guide "Certification &
    training dedicated resources"). Program admins only (the vendor side sees both companies).

    Completion.partner is a copy of the person's partner. On PostgreSQL a composite foreign key with ON
    UPDATE CASCADE would carry it along; SQLite (`make run`) has no such key, so the completions are moved
    here, in the same transaction, on every database."""
    errors = {}
    email, reason = (email or "").strip().lower(), (reason or "").strip()
    if not reason:
        errors["reason"] = _("Say why the person moves to another partner.")
    target_domain = normalise_domain(to_domain or "")
    to_partner = Partner.objects.filter(domain=target_domain).first() if target_domain else None
    if to_partner is None:
        errors["to_domain"] = _("No partner has this web domain.")
    elif to_partner.pk == partner.pk:
        errors["to_domain"] = _("The person is already on this partner's roster.")
    found = (partner.people.annotate(lower_email=Lower("email")).filter(lower_email=email).first()
             if email else None)
    if found is None:
        errors["email"] = _("%(partner)s has nobody with this email address on its roster.") % {"partner": partner.name}
    if errors or found is None or to_partner is None:
        raise ValidationError(errors)
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=found.pk)
        if person.partner_id != partner.pk:
            raise ValidationError({"email": _("This person was moved a moment ago.")})
        if Person.objects.annotate(lower_email=Lower("email")).filter(
                partner=to_partner, lower_email=person.email.lower()).exists():
            raise ValidationError({"email": _("%(partner)s already has someone with this email address.") % {
                "partner": to_partner.name}})
        person.partner = to_partner
        person.save(update_fields=["partner"])
        moved = Completion.objects.filter(person=person).update(partner=to_partner)
        after = {"partner": to_partner.pk, "partner_name": to_partner.name, "completions": moved}
        for side in (partner, to_partner):
            audit_record(actor=actor, action=AuditAction.PERSON_MOVE, obj=person, partner_id=side.pk, reason=reason,
                         before={"partner": partner.pk, "partner_name": partner.name}, after=after)
        notify(recipients=_partner_admins(partner) + _partner_admins(to_partner),
               kind="partners_person_moved", params={"person": person.name, "email": person.email, "moved": moved,
                                                     "from_partner": partner.name, "to_partner": to_partner.name,
                                                     "reason": reason},
               url=reverse("partners:people"))
    return person


def completion_add(*, person: Person, course: str, completed_on: datetime.date, expires_on: datetime.date | None,
                   actor: User) -> Completion:
    rows, errors = roster_rules.check_rows(
        [(1, {"email": person.email, "course": course, "completed_on": completed_on and completed_on.isoformat(),
              "expires_on": expires_on and expires_on.isoformat()})],
        known_emails={person.email.lower()}, today=timezone.localdate(),
    )
    if errors:
        raise ValidationError({e.field: e.message for e in errors})
    with transaction.atomic():
        completion, created = Completion.objects.update_or_create(
            person=person, course=rows[0].course, completed_on=completed_on, defaults={"expires_on": expires_on}
        )
        audit_record(actor=actor, action=AuditAction.COMPLETION_ADD, obj=completion, partner_id=person.partner_id,
                     after={"person": person.email, "course": completion.course,
                            "completed_on": str(completed_on), "expires_on": str(expires_on or "")})
    return completion


def completion_delete(*, completion: Completion, actor: User) -> None:
    with transaction.atomic():
        audit_record(actor=actor, action=AuditAction.COMPLETION_DELETE, obj=completion,
                     partner_id=completion.person.partner_id,
                     before={"person": completion.person.email, "course": completion.course,
                             "completed_on": str(completion.completed_on)})
        completion.delete()


def roster_import(*, partner: Partner, raw_rows: Iterable[Row], actor: User | None, source: str,
                  shape_errors: Iterable[RowError] = ()) -> dict[str, int]:
    """Upsert people and completions, all or nothing.

    ``raw_rows``: (line, {column: text}) pairs from a CSV file or an API list. People are keyed by email,
    completions by (person email, course, completed_on) — the learning system's natural key — so importing
    the same file twice changes nothing. Any bad row raises RosterImportError and nothing is written;
    ``shape_errors`` (found by the caller, e.g. unknown API fields) are reported together with the rest.
    """
    with transaction.atomic():
        # One import per partner at a time: the second waits and then sees the first one's people.
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        people = {p.email.lower(): p for p in partner.people.all()}
        rows, errors = roster_rules.check_rows(raw_rows, known_emails=set(people), today=timezone.localdate())
        errors = sorted([*shape_errors, *errors], key=lambda e: e.line)
        if errors:
            raise roster_rules.RosterImportError(errors)
        counts = dict.fromkeys(("people_created", "people_updated", "completions_created", "completions_updated"), 0)
        new_people: dict[str, Person] = {}
        changed_people: dict[str, Person] = {}
        for row in rows:
            person = people.get(row.email) or new_people.get(row.email)
            if person is None:
                new_people[row.email] = Person(partner=partner, email=row.email, name=row.name,
                                               job_role=row.job_role or Person.JobRole.TECHNICAL)
            elif person.pk and ((row.name and row.name != person.name) or (row.job_role and row.job_role != person.job_role)):
                person.name = row.name or person.name
                person.job_role = row.job_role or person.job_role
                changed_people[row.email] = person
        Person.objects.bulk_create(new_people.values())
        Person.objects.bulk_update(changed_people.values(), ["name", "job_role"])
        counts["people_created"], counts["people_updated"] = len(new_people), len(changed_people)
        people.update(new_people)
        wanted = {(people[r.email].pk, r.course, r.completed_on): r.expires_on for r in rows if r.course}
        existing = {
            (c.person_id, c.course, c.completed_on): c
            for c in Completion.objects.filter(person_id__in={k[0] for k in wanted})
        }
        to_create, to_update = [], []
        for (person_id, course, completed_on), expires_on in wanted.items():
            current = existing.get((person_id, course, completed_on))
            if current is None:
                to_create.append(Completion(person_id=person_id, partner=partner, course=course,
                                            completed_on=completed_on, expires_on=expires_on))
            elif current.expires_on != expires_on:
                current.expires_on = expires_on
                to_update.append(current)
        Completion.objects.bulk_create(to_create)
        Completion.objects.bulk_update(to_update, ["expires_on"])
        counts["completions_created"], counts["completions_updated"] = len(to_create), len(to_update)
        audit_record(actor=actor, action=AuditAction.ROSTER_IMPORT, obj=partner, partner_id=partner.pk,
                     after={**counts, "rows": len(rows), "source": source[:100]})
        notify(recipients=_partner_admins(partner), kind="partners_roster_imported",
               params={"partner": partner.name, "rows": len(rows), "source": source[:100],
                       **{key: counts[key] for key in ("people_created", "people_updated", "completions_created",
                                                       "completions_updated")}},
               url="/partner/people/")
    return counts


# --- Staff assignment -------------------------------------------------------------------------------

def partner_assign_team(*, partner: Partner, pam: User | None, psa: User | None, actor: User) -> Partner:
    """Program admins assign a partner's PAM and PSA (guide: Silver and above get a PAM; select partners a PSA)."""
    errors = {}
    if pam is not None and (pam.staff_role != StaffRole.PAM or not pam.is_active):
        errors["pam"] = _("%(user)s is not an active partner account manager.") % {"user": pam}
    if psa is not None and (psa.staff_role != StaffRole.PSA or not psa.is_active):
        errors["psa"] = _("%(user)s is not an active partner solution architect.") % {"user": psa}
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        partner = Partner.objects.select_for_update().get(pk=partner.pk)
        before = {"pam": partner.pam.email if partner.pam else None, "psa": partner.psa.email if partner.psa else None}
        after = {"pam": pam.email if pam else None, "psa": psa.email if psa else None}
        if before == after:
            return partner
        partner.pam, partner.psa = pam, psa
        partner.save(update_fields=["pam", "psa"])
        audit_record(actor=actor, action=AuditAction.ASSIGN_TEAM, obj=partner, partner_id=partner.pk,
                     before=before, after=after)
        newly = [u for u, key in ((pam, "pam"), (psa, "psa")) if u is not None and before[key] != after[key]]
        notify(recipients=newly, kind="partners_team_assigned",
               params={"actor": str(actor), "partner": partner.name, "tier": str(partner.get_tier_display())},
               url=f"/staff/partners/{partner.pk}/")
        notify(recipients=_partner_admins(partner), kind="partners_team_changed",
               params={"partner": partner.name, "pam": str(pam or ""), "psa": str(psa or "")},
               url="/partner/")
    return partner
