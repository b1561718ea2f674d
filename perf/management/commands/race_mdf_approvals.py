"""Fire many concurrent MDF approvals at one scratch partner and check the allocation held.

    python manage.py race_mdf_approvals --requests 50 --workers 8

Each worker thread has its own database connection and calls funding.services.request_approve,
the function the pages and the API call. Needs PostgreSQL (SQLite serialises every write, so
nothing would race). The scratch partner and its rows are removed afterwards unless --keep.
"""

import threading
import uuid
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Sum
from django.utils import timezone

from activity.models import AuditEntry, Notification
from funding import selectors, services
from funding.models import FundingRequest, LedgerEntry, MdfActivityType, MdfAllocation, Status
from partners.models import Partner, PartnerRole, StaffRole, User


class Command(BaseCommand):
    help = "Race concurrent MDF approvals on a scratch partner and report whether the allocation held."

    def add_arguments(self, parser):
        parser.add_argument("--requests", type=int, default=50)
        parser.add_argument("--workers", type=int, default=8)
        parser.add_argument("--allocation", type=Decimal, default=Decimal("10000.00"))
        parser.add_argument("--amount", type=Decimal, default=Decimal("750.00"), help="approved amount per request")
        parser.add_argument("--keep", action="store_true", help="keep the scratch partner and its rows")

    def handle(self, *args, requests, workers, allocation, amount, keep, **options):
        if connection.vendor != "postgresql":
            raise CommandError("Run this on PostgreSQL: SQLite serialises every write, so nothing would race.")
        if requests < 1 or workers < 1:
            raise CommandError("--requests and --workers must be at least 1.")
        today = timezone.localdate()
        program_year = selectors.current_program_year(today)
        tag = uuid.uuid4().hex[:10]
        partner, submitter, reviewers, admin = self._scratch(tag, workers)
        try:
            services.allocation_set(partner=partner, program_year=program_year, amount=allocation, admin=admin,
                                    reason="race_mdf_approvals scratch allocation")
            ids = [
                services.mdf_request_submit(
                    partner=partner, user=submitter, activity_type=MdfActivityType.EMAIL_CAMPAIGN,
                    title=f"Race {i}", description="Scratch request of race_mdf_approvals.",
                    starts_on=today, ends_on=today, total_cost=amount * 2, requested_amount=amount, today=today,
                ).pk
                for i in range(requests)
            ]
            outcome = self._race(ids, reviewers, amount)
            self._report(partner, program_year, outcome)
        finally:
            if not keep:
                self._remove(partner, tag)
            connection.close()

    def _scratch(self, tag, workers):
        with transaction.atomic():
            partner = Partner.objects.create(name=f"Race scratch {tag}", website=f"https://race-{tag}.example",
                                             domain=f"race-{tag}.example", country="US", tier="silver")
            submitter = User.objects.create_user(email=f"race-submitter-{tag}@race.example", partner=partner,
                                                 partner_role=PartnerRole.ADMIN)
            # One reviewer per worker: as if that many PAMs pressed "approve" at the same moment.
            reviewers = [User.objects.create_user(email=f"race-pam{i}-{tag}@race.example", staff_role=StaffRole.PAM)
                         for i in range(workers)]
            # Setting an allocation is a program admin's (the service checks it).
            admin = User.objects.create_user(email=f"race-admin-{tag}@race.example", staff_role=StaffRole.PROGRAM_ADMIN)
        return partner, submitter, reviewers, admin

    def _race(self, ids, reviewers, amount):
        barrier = threading.Barrier(len(reviewers))
        lock = threading.Lock()
        outcome = {"approved": 0, "refused": 0, "errors": []}

        def work(reviewer, chunk):
            try:
                barrier.wait()
                for pk in chunk:
                    funding_request = FundingRequest.objects.get(pk=pk)
                    try:
                        services.request_approve(funding_request=funding_request, reviewer=reviewer,
                                                 approved_amount=amount, reason="race")
                        key = "approved"
                    except ValidationError:
                        key = "refused"
                    with lock:
                        outcome[key] += 1
            except Exception as exc:  # noqa: BLE001 - reported, and makes the command fail
                with lock:
                    outcome["errors"].append(repr(exc))
            finally:
                connection.close()

        threads = [threading.Thread(target=work, args=(reviewer, ids[i::len(reviewers)]))
                   for i, reviewer in enumerate(reviewers)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return outcome

    def _report(self, partner, program_year, outcome):
        row = MdfAllocation.objects.get(partner=partner, program_year=program_year)
        figures = selectors.ledger_figures(partner=partner, program_year=program_year)
        approved_sum = FundingRequest.objects.filter(partner=partner, status=Status.APPROVED).aggregate(
            s=Sum("approved_amount"))["s"] or Decimal("0")
        held = (approved_sum <= row.amount and figures.committed == approved_sum == row.committed
                and not outcome["errors"])
        w = self.stdout.write
        w(f"allocation:            USD {row.amount:,}")
        w(f"approvals:             {outcome['approved']} approved, {outcome['refused']} refused")
        w(f"sum approved:          USD {approved_sum:,}")
        w(f"ledger committed:      USD {figures.committed:,} (remaining USD {figures.remaining:,})")
        w(f"allocation row:        committed USD {row.committed:,}")
        for error in outcome["errors"]:
            w(self.style.ERROR(f"error: {error}"))
        if held:
            w(self.style.SUCCESS("held: yes (the sum approved never exceeded the allocation)"))
        else:
            raise CommandError("held: NO - the allocation was over-spent or the figures disagree")

    def _remove(self, partner, tag):
        with transaction.atomic():
            users = list(User.objects.filter(email__endswith=f"-{tag}@race.example"))
            LedgerEntry.objects.filter(partner=partner).delete()
            FundingRequest.objects.filter(partner=partner).delete()
            MdfAllocation.objects.filter(partner=partner).delete()
            AuditEntry.objects.filter(partner_id=partner.pk).delete()
            Notification.objects.filter(recipient__in=users).delete()
            User.objects.filter(pk__in=[u.pk for u in users]).delete()
            partner.delete()
