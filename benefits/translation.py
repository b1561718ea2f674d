"""Benefit texts a program admin writes, one column per language (django-modeltranslation): name_fr,
glossary_ja ... Reading ``benefit.name`` gives the active language's text, or the English one when that
translation is empty (MODELTRANSLATION_FALLBACK_LANGUAGES). The code, gate and position are not translated."""

from modeltranslation.translator import TranslationOptions, register

from .models import Benefit


@register(Benefit)
class BenefitTranslationOptions(TranslationOptions):
    # quantity_note keeps its "{quantity}" placeholder in every language (benefits.rules.quantity_text).
    fields = ("name", "glossary", "quantity_note")
