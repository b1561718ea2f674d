"""Agreement titles and texts, one column per language (django-modeltranslation), English when a translation
is empty. A partner accepts a kind and version of an agreement (AgreementAcceptance), whatever the language
it read it in."""

from modeltranslation.translator import TranslationOptions, register

from .models import Agreement


@register(Agreement)
class AgreementTranslationOptions(TranslationOptions):
    fields = ("title", "body")
