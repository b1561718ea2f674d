from django import forms
from django.contrib.auth.password_validation import validate_password


class PartnerApplicationForm(forms.Form):
    company_name = forms.CharField(max_length=200)
    website = forms.URLField(max_length=300, assume_scheme="https")
    country = forms.RegexField(regex=r"^[A-Za-z]{2}$", max_length=2, help_text="Two-letter country code, e.g. US",
                               error_messages={"invalid": "Enter a two-letter country code, e.g. US."})
    partner_type = forms.ChoiceField(
        choices=[("si", "System integrator")],
        help_text="The resell program is invite-only: apply as a system integrator; your PAM can invite you.",
    )
    full_name = forms.CharField(max_length=150, label="Your name")
    email = forms.EmailField(label="Your work email")
    password = forms.CharField(widget=forms.PasswordInput, min_length=8)

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password
