from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """No open sign-up: partner users join by invitation, companies through the application form."""

    def is_open_for_signup(self, request):
        return False
