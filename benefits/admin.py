"""Django admin for the benefit texts a program admin writes in each language (django-modeltranslation's
TranslationAdmin: one input per language, English first; an empty translation reads as the English).
Codes, gates and the benefits-by-tier cells are the program year's rules: edited through the portal."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Benefit


@admin.register(Benefit)
class BenefitAdmin(TranslationAdmin):
    list_display = ["name", "code", "program_year", "gate", "position"]
    list_filter = ["program_year", "gate"]
    search_fields = ["code", "name_en"]
    fields = ["name", "glossary", "quantity_note"]
