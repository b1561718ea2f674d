"""A tier's description, one column per language (django-modeltranslation), English when a translation is
empty. The tier's name is not translated: the program calls its tiers Registered, Bronze, Silver, Gold and
Global Strategic in every language."""

from modeltranslation.translator import TranslationOptions, register

from .models import Tier


@register(Tier)
class TierTranslationOptions(TranslationOptions):
    fields = ("description",)
