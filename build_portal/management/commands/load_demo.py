from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from build_portal.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create demo partners at every tier and one user per role. Idempotent."

    def handle(self, *args, **options):
        if not getattr(settings, "DEMO_DATA_ALLOWED", False):
            # The demo staff's password and TOTP secret are in the README: never on a real portal.
            raise CommandError("load_demo runs only under the local or test profile (DJANGO_SETTINGS_MODULE), "
                               "never in production: its logins are published.")
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Every demo login uses the password {DEMO_PASSWORD!r}:"))
        for email, role in logins:
            self.stdout.write(f"  {email:34} {role}")
