"""Program data an admin writes, per language with English fallback (django-modeltranslation): the 2022
guide's benefit names and glossary, tier descriptions and agreement texts ship in all five languages."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from benefits import program_2022, program_2022_translations
from benefits.models import Benefit
from partners.models import Agreement
from tests.factories import UserFactory, benefit_of_this_year
from tiers.models import Tier

pytestmark = pytest.mark.django_db

LANGUAGES = ("fr", "ja", "pt-br", "es")


def guide_benefits(year=2022):
    return Benefit.objects.filter(program_year__year=year)


def test_every_2022_benefit_name_and_glossary_ships_in_every_language():
    benefits = list(guide_benefits())
    assert len(benefits) == len(program_2022.BENEFITS_BY_TIER) + len(program_2022.GATED_BENEFITS)
    for benefit in benefits:
        for language in LANGUAGES:
            name = getattr(benefit, program_2022_translations.column("name", language))
            glossary = getattr(benefit, program_2022_translations.column("glossary", language))
            assert name and glossary, (benefit.code, language)
            assert name != benefit.name_en and glossary != benefit.glossary_en, (benefit.code, language)
            if benefit.quantity_note_en:
                assert "{quantity}" in getattr(benefit, program_2022_translations.column("quantity_note", language))


def test_a_french_reader_sees_the_french_benefit_name():
    benefit = guide_benefits().get(code="poc-cofunding")
    with translation.override("fr"):
        assert benefit.name == "Éligible au cofinancement POC"
        assert benefit.glossary.startswith("Le programme de preuve de concept (POC) co-investit")
    with translation.override("ja"):
        assert benefit.name == "POC 共同出資の対象"
    with translation.override("en"):
        assert benefit.name == "Eligible for POC co-funding"


def test_an_empty_translation_falls_back_to_english():
    benefit = guide_benefits().get(code="business-plan")
    Benefit.objects.filter(pk=benefit.pk).update(name_ja="", glossary_ja=None)
    benefit.refresh_from_db()
    with translation.override("ja"):
        assert benefit.name == "Business plan"
        assert benefit.glossary == program_2022.GLOSSARY["business-plan"]


def test_the_years_copied_from_2022_keep_the_translations():
    """The conftest's current year is a copy of 2022, made as a program admin makes it."""
    benefit = benefit_of_this_year("mdf-cofunding")
    assert benefit.program_year.year != 2022
    with translation.override("es"):
        assert benefit.name == "Apto para cofinanciación de MDF"
    tier = Tier.objects.get(program_year=benefit.program_year, level="registered")
    with translation.override("pt-br"):
        assert tier.description == "O ponto de partida para todos os novos parceiros: aceitar o contrato de parceria."


def test_tier_descriptions_and_agreements_are_translated():
    with translation.override("fr"):
        assert Tier.objects.get(program_year__year=2022, level="global_strategic").description.startswith(
            "Une désignation attribuée par le programme")
        agreement = Agreement.objects.get(kind=Agreement.Kind.PARTNER, is_current=True)
        assert agreement.title == "Contrat de partenariat"
        assert agreement.body.startswith("Le contrat de partenariat de base régit")
    with translation.override("en"):
        assert agreement.title == "Partner agreement"
    # Tier names are the program's own in every language.
    with translation.override("ja"):
        assert Tier.objects.get(program_year__year=2022, level="gold").name == "Gold"


def test_the_load_program_command_writes_the_translations_again():
    Benefit.objects.filter(program_year__year=2022, code="tier-badge").update(name_fr="", glossary_fr="")
    call_command("load_program", stdout=open("/dev/null", "w"))
    benefit = guide_benefits().get(code="tier-badge")
    assert benefit.name_fr == "Badge de niveau Build"
    assert benefit.name_en == "Build tier badge"


def test_the_benefits_page_in_french_names_the_benefits_in_french(client, partner_member):
    client.force_login(partner_member)
    html = client.get(reverse("benefits:benefits"), HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Éligible au cofinancement POC" in html
    assert "Le programme de preuve de concept (POC) co-investit" in html
    assert "Eligible for POC co-funding" not in html


def test_the_benefits_api_answers_in_the_accept_language(client, partner_member):
    client.force_login(partner_member)
    rows = {b["code"]: b for b in client.get(reverse("api:benefits"), HTTP_ACCEPT_LANGUAGE="es").json()["benefits"]}
    assert rows["mdf-cofunding"]["name"] == "Apto para cofinanciación de MDF"
    assert rows["contact-center-licenses"]["quantity_text"] == (
        "5 licencias gratuitas de Flex por usuario nominal para uso interno")


def test_the_agreements_page_shows_the_translated_text(client, partner):
    newcomer = UserFactory(email="new@acme.example", partner=partner, partner_role="admin")
    client.force_login(newcomer)
    html = client.get(reverse("partners:agreements"), HTTP_ACCEPT_LANGUAGE="pt-br").content.decode()
    assert "Contrato de parceria" in html
    assert "O contrato de parceria básico rege" in html


def test_the_admin_edits_each_language(client):
    admin = UserFactory(email="root@vendor.example", staff_role="program_admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    benefit = guide_benefits().get(code="poc-cofunding")
    html = client.get(reverse("admin:benefits_benefit_change", args=[benefit.pk])).content.decode()
    for column in ("name_en", "name_fr", "name_ja", "name_pt_br", "name_es", "glossary_fr", "quantity_note_es"):
        assert f'name="{column}"' in html, column
    agreement = Agreement.objects.get(kind=Agreement.Kind.PARTNER, is_current=True)
    html = client.get(reverse("admin:partners_agreement_change", args=[agreement.pk])).content.decode()
    assert 'name="title_ja"' in html and 'name="body_es"' in html


def _queries(client, url, language):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, HTTP_ACCEPT_LANGUAGE=language).status_code == 200
    return len(queries)


@pytest.mark.parametrize("page", ["benefits:benefits", "partner_home", "partners:agreements"])
def test_a_page_makes_as_many_queries_in_every_language(client, partner_member, page):
    """Translated columns sit on the row itself: no join, no query per language."""
    client.force_login(partner_member)
    url = reverse(page)
    for language in ("en", *LANGUAGES):  # warm up: the session and each language's cached program data
        _queries(client, url, language)
    counts = {language: _queries(client, url, language) for language in ("en", *LANGUAGES)}
    assert len(set(counts.values())) == 1, counts
