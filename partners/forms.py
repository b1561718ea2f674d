from django import forms
from django.contrib.auth.password_validation import validate_password
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.forms import CountryChoiceField

from .models import Course, PartnerRole, Person, StaffRole, User
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
    company_name = forms.CharField(max_length=200, label=gettext_lazy("Company name"))
    website = forms.URLField(max_length=300, assume_scheme="https", label=gettext_lazy("Website"))
    country = CountryChoiceField(label=gettext_lazy("Country"))
    partner_type = forms.ChoiceField(
        choices=[("si", gettext_lazy("System integrator"))], label=gettext_lazy("Partner type"),
        help_text=gettext_lazy("The resell program is invite-only: apply as a system integrator; your PAM can invite you."),
    )
    full_name = forms.CharField(max_length=150, label=gettext_lazy("Your name"))
    email = forms.EmailField(label=gettext_lazy("Your work email"))
    password = forms.CharField(widget=forms.PasswordInput, min_length=8, label=gettext_lazy("Password"))

    def clean_password(self):
        password = self.cleaned_data["password"]
        validate_password(password)
        return password


class DateInput(forms.DateInput):
    input_type = "date"


class InvitationForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(max_length=254, label=gettext_lazy("Colleague's email"))
    role = forms.ChoiceField(choices=PartnerRole.choices, initial=PartnerRole.MEMBER, label=gettext_lazy("Role"),
                             help_text=gettext_lazy("Partner admins accept agreements, invite colleagues and manage the roster."))
    # Shown only when the address is outside the company's domain (the service asks, code "confirm").
    confirm_outside = forms.BooleanField(label=gettext_lazy("Invite this address anyway"), required=False,
                                         widget=forms.HiddenInput)

    def add_rule_errors(self, error):
        """The service's errors on their fields; an address outside the company reveals the tick."""
        by_field = error.error_dict if hasattr(error, "error_dict") else {"__all__": error.error_list}
        for field, errors in by_field.items():
            for e in errors:
                self.add_error(field if field in self.fields else None, e)
                if e.code == "confirm":
                    self.fields["confirm_outside"].widget = forms.CheckboxInput({"class": "form-check-input"})


class InvitationAcceptForm(BootstrapMixin, forms.Form):
    full_name = forms.CharField(max_length=150, label=gettext_lazy("Your name"))
    password = forms.CharField(widget=forms.PasswordInput, label=gettext_lazy("Choose a password"))
    password_again = forms.CharField(widget=forms.PasswordInput, label=gettext_lazy("Password again"))

    def clean(self):
        data = super().clean()
        if data.get("password") and data.get("password_again") and data["password"] != data["password_again"]:
            self.add_error("password_again", _("The two passwords differ."))
        return data


class PersonForm(BootstrapMixin, forms.Form):
    name = forms.CharField(max_length=150, label=gettext_lazy("Name"))
    email = forms.EmailField(max_length=254, label=gettext_lazy("Email"))
    job_role = forms.ChoiceField(choices=Person.JobRole.choices, label=gettext_lazy("Job role"))


class CompletionForm(BootstrapMixin, forms.Form):
    course = forms.ChoiceField(choices=Course.choices, label=gettext_lazy("Course"))
    completed_on = forms.DateField(widget=DateInput, label=gettext_lazy("Completed on"))
    expires_on = forms.DateField(widget=DateInput, required=False, label=gettext_lazy("Expires on"),
                                 help_text=gettext_lazy("Leave empty if it does not expire."))


def _roster_file_help():
    return _("UTF-8 CSV with a header line: %(columns)s. Only email is required for people already on the roster.") % {
        "columns": ",".join(CSV_COLUMNS)}


class RosterImportForm(BootstrapMixin, forms.Form):
    file = forms.FileField(
        label=gettext_lazy("CSV file"),
        # Lazy: rendered in the reader's language, with the column names (a file format) as they are.
        help_text=lazy(_roster_file_help, str)(),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("The file is larger than %(size)s MB.") % {"size": MAX_FILE_BYTES // (1024 * 1024)})
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise forms.ValidationError(_("Upload a .csv file."))
        return upload


class TeamForm(BootstrapMixin, forms.Form):
    pam = forms.ModelChoiceField(queryset=User.objects.none(), required=False,
                                 label=gettext_lazy("Partner account manager (PAM)"))
    psa = forms.ModelChoiceField(queryset=User.objects.none(), required=False,
                                 label=gettext_lazy("Partner solution architect (PSA)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The choice lists show only the right staff; the service checks the role again for the API.
        self.fields["pam"].queryset = User.objects.filter(staff_role=StaffRole.PAM, is_active=True).order_by("email")
        self.fields["psa"].queryset = User.objects.filter(staff_role=StaffRole.PSA, is_active=True).order_by("email")


class PersonMoveForm(BootstrapMixin, forms.Form):
    email = forms.EmailField(label=gettext_lazy("Email of the person on this partner's roster"))
    to_domain = forms.CharField(label=gettext_lazy("Web domain of the partner they move to"), max_length=253,
                                help_text=gettext_lazy("For example example.com. Their course completions move with them."))
    # Required by the service, which reports it together with the roster and partner checks.
    reason = forms.CharField(max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}),
                             label=gettext_lazy("Reason"))
