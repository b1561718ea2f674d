"""Partner.resell_invited from the active invitations to the resell program (and the partners already typed
resell); with the resell addendum accepted, the partner type is resell. Data only; safe to re-run."""

from django.db import migrations


def forwards(apps, schema_editor):
    Partner = apps.get_model("partners", "Partner")
    BenefitInvitation = apps.get_model("benefits", "BenefitInvitation")
    AgreementAcceptance = apps.get_model("partners", "AgreementAcceptance")
    invited = set(BenefitInvitation.objects.filter(benefit__gate="resell_addendum", withdrawn_at__isnull=True)
                  .values_list("partner_id", flat=True))
    invited |= set(Partner.objects.filter(partner_type="resell").values_list("pk", flat=True))
    Partner.objects.filter(pk__in=invited).update(resell_invited=True)
    accepted = AgreementAcceptance.objects.filter(agreement__kind="resell_addendum").values_list("partner_id", flat=True)
    Partner.objects.filter(pk__in=invited).filter(pk__in=accepted).update(partner_type="resell")


class Migration(migrations.Migration):

    dependencies = [
        ("benefits", "0007_directory_text_trigram_indexes"),
        ("partners", "0007_partner_resell_invited"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
