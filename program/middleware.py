from django.shortcuts import render

from .selectors import NoProgramYear


class NoProgramYearPage:
    """A page that needs the program year of a day no published year covers says so (with the year it
    looked for and who can fix it) instead of failing: nothing falls back to another year's rules. The API
    answers 400 with the same words (core.api.exception_handler: it is a ValidationError)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, NoProgramYear):
            return None
        user = getattr(request, "user", None)
        return render(request, "program/no_year.html", {
            "error": exception, "year": exception.year,
            "can_fix": bool(user and user.is_authenticated and getattr(user, "is_program_admin", False)),
        }, status=409)
