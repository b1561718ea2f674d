from django.core.management.base import BaseCommand

from build_portal.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "Create demo partners at every tier and one user per role. Idempotent."

    def handle(self, *args, **options):
        logins = load_demo()
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Every demo login uses the password {DEMO_PASSWORD!r}:"))
        for email, role in logins:
            self.stdout.write(f"  {email:34} {role}")
