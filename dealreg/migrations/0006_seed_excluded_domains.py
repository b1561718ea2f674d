"""Seed the excluded customer domains: common free-mail providers and the vendor's own domains.
Safe to re-run (get_or_create); a program admin edits the list afterwards in the admin site."""

from django.db import migrations

FREE_MAIL = (
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.co.uk", "yahoo.fr", "yahoo.co.jp", "ymail.com",
    "hotmail.com", "hotmail.co.uk", "hotmail.fr", "outlook.com", "live.com", "msn.com", "aol.com", "icloud.com",
    "me.com", "mac.com", "proton.me", "protonmail.com", "gmx.com", "gmx.de", "gmx.net", "web.de", "mail.com",
    "zoho.com", "yandex.com", "yandex.ru", "mail.ru", "qq.com", "163.com", "126.com", "naver.com", "tutanota.com",
    "fastmail.com", "hey.com", "libero.it", "orange.fr", "free.fr", "t-online.de", "rediffmail.com",
)
VENDOR = ("twilio.com", "segment.com", "segment.io", "sendgrid.com", "sendgrid.net", "authy.com")


def seed(apps, schema_editor):
    Excluded = apps.get_model("dealreg", "ExcludedCustomerDomain")
    for domain in FREE_MAIL:
        Excluded.objects.get_or_create(domain=domain, defaults={"reason": "free_mail"})
    for domain in VENDOR:
        Excluded.objects.get_or_create(domain=domain, defaults={"reason": "vendor"})


class Migration(migrations.Migration):
    dependencies = [("dealreg", "0005_deal_hygiene")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
