from django import forms
from django.contrib.auth.password_validation import validate_password

from .models import Course, Partner, PartnerRole, Person, StaffRole, User
from .roster import CSV_COLUMNS, MAX_FILE_BYTES


def bootstrap_class(widget):
    """The Bootstrap class of a widget (our forms through BootstrapMixin, allauth's through portal_forms)."""
    if isinstance(widget, forms.CheckboxInput):
        return "form-check-input"
    if isinstance(widget, forms.Select):
        return "form-select"
    return "form-control"


class BootstrapMixin:
    """Bootstrap classes on every widget, so templates/_form_fields.html renders them styled."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            widget = field.widget
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {bootstrap_class(widget)}".strip()


class PartnerApplicationForm(BootstrapMixin, forms.Form):
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


class DateInput(forms.DateInput):
    input_type = "date"


class InvitationForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(max_length=254, label="Colleague's email")
    role = forms.ChoiceField(choices=PartnerRole.choices, initial=PartnerRole.MEMBER,
                             help_text="Partner admins accept agreements, invite colleagues and manage the roster.")


class InvitationAcceptForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(max_length=150, label="Your name")
    password = forms.CharField(widget=forms.PasswordInput, label="Choose a password")
    password_again = forms.CharField(widget=forms.PasswordInput, label="Password again")

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", "The two passwords differ.")
        return data


class PersonForm(BootstrapMixin, forms.Form):
    name = forms.CharField(max_length=150)
    email = forms.EmailField(max_length=254)
    job_role = forms.ChoiceField(choices=Person.JobRole.choices)


class CompletionForm(BootstrapMixin, forms.Form):
    course = forms.ChoiceField(choices=Course.choices)
    completed_on = forms.DateField(widget=DateInput)
    expires_on = forms.DateField(widget=DateInput, required=False, help_text="Leave empty if it does not expire.")


class RosterImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label="CSV file",
        help_text="UTF-8 CSV with a header line: " + ",".join(CSV_COLUMNS) + ". Only email is required for people "
                  "already on the roster.",
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError("Upload a .csv file.")
        return upload


class TeamForm(BootstrapMixin, forms.Form):
    pam = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label="Partner account manager (PAM)")
    psa = forms.ModelChoiceField(queryset=User.objects.none(), required=False, label="Partner solution architect (PSA)")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The choice lists show only the right staff; the service checks the role again for the API.
        self.fields["pam"].queryset = User.objects.filter(staff_role=StaffRole.PAM, is_active=True).order_by("email")
        self.fields["psa"].queryset = User.objects.filter(staff_role=StaffRole.PSA, is_active=True).order_by("email")


class PersonMoveForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(label="Email of the person on this partner's roster")
    to_domain = forms.CharField(label="Web domain of the partner they move to", max_length=253,
                                help_text="For example example.com. Their course completions move with them.")
    # Required by the service, which reports it together with the roster and partner checks.
    reason = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AuditFilterForm(BootstrapMixin, forms.Form):
    partner = forms.ModelChoiceField(queryset=Partner.objects.all(), required=False)
    action = forms.ChoiceField(required=False)
    object_type = forms.ChoiceField(required=False, label="Object type")
    actor = forms.CharField(required=False, max_length=150, help_text="Email or name")
    date_from = forms.DateField(required=False, widget=DateInput, label="From")
    date_to = forms.DateField(required=False, widget=DateInput, label="To")

    def __init__(self, *args, actions=(), object_types=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", "Any action")] + [(a, a) for a in actions]
        self.fields["object_type"].choices = [("", "Any type")] + [(t, t) for t in object_types]
        self.fields["partner"].empty_label = "Any partner"

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", "The end date is before the start date.")
        return data
