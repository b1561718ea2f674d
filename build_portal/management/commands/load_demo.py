from django.core.management.base import BaseCommand

from build_portal.demo import DEMO_PASSWORD, load_demo
from build_portal.demo_book import build_book


class Command(BaseCommand):
    help = ("Create demo partners at every tier, one user per role and a book of ~300 partners. Idempotent.")

    def handle(self, *args, **options):
        logins = load_demo()
        book = build_book()
        if book:
            self.stdout.write("A book of partners was added: " + ", ".join(f"{n} {k}" for k, n in book.items()))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready. Every demo login uses the password {DEMO_PASSWORD!r}:"))
        for email, role in logins:
            self.stdout.write(f"  {email:34} {role}")
