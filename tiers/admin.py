"""Django admin for a tier's description in each language (django-modeltranslation's TranslationAdmin).
Requirements are the program year's rules: edited on the portal's program year page, with an audit entry."""

from django.contrib import admin
from modeltranslation.admin import TranslationAdmin

from .models import Tier


@admin.register(Tier)
class TierAdmin(TranslationAdmin):
    list_display = ["name", "program_year", "rank"]
    list_filter = ["program_year"]
    fields = ["description"]
