from django import forms
from django.utils.translation import gettext_lazy as _

from thongsuot.directory.models import Organisation
from thongsuot.documents.types import Confidentiality, DocType, Urgency


class DraftForm(forms.Form):
    doc_type = forms.ChoiceField(label=_("Type"), choices=DocType.choices)
    summary = forms.CharField(label=_("Summary (trích yếu)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, required=False)
    confidentiality = forms.ChoiceField(label=_("Confidentiality"), choices=Confidentiality.choices, required=False)
    regulatory = forms.BooleanField(label=_("Regulatory document"), required=False)
    drafting_unit = forms.CharField(label=_("Drafting unit abbreviation (công văn)"), max_length=20, required=False)
    recipients = forms.ModelMultipleChoiceField(
        label=_("Recipients on the platform"),
        queryset=Organisation.objects.filter(is_active=True).order_by("kind", "name"),
        required=False,
    )
    other_recipients = forms.CharField(label=_("Other recipients"), max_length=1000, required=False)
    file = forms.FileField(label=_("Draft file (PDF, DOCX, ODT)"), required=False)


class VersionForm(forms.Form):
    file = forms.FileField(label=_("New version (PDF, DOCX, ODT)"))
    note = forms.CharField(label=_("What changed"), max_length=1000, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class DirectForm(forms.Form):
    """The leader's instruction: handlers among the unit's staff, a deadline in working days."""

    lead = forms.ModelChoiceField(label=_("Lead handler (chủ trì)"), queryset=None)
    co_handlers = forms.ModelMultipleChoiceField(
        label=_("Supporting handlers (phối hợp)"), queryset=None, required=False
    )
    working_days = forms.IntegerField(label=_("Deadline in working days"), min_value=1, max_value=90, initial=5)
    instruction = forms.CharField(label=_("Instruction"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        from thongsuot.accounts.models import User

        staff = User.objects.filter(organisation_id=organisation_id, is_active=True, kind=User.Kind.STAFF)
        self.fields["lead"].queryset = staff.order_by("full_name")
        self.fields["co_handlers"].queryset = staff.order_by("full_name")


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Progress"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class ReadersForm(forms.Form):
    """The people to name on a secret document, among the unit's staff."""

    readers = forms.ModelMultipleChoiceField(label=_("People to name"), queryset=None)

    def __init__(self, *args, organisation_id=None, **kwargs):
        super().__init__(*args, **kwargs)
        from thongsuot.accounts.models import User

        staff = User.objects.filter(organisation_id=organisation_id, is_active=True, kind=User.Kind.STAFF)
        self.fields["readers"].queryset = staff.order_by("full_name")


class RegisterForm(forms.Form):
    """Which register, of which period (and, for the city-wide, of which unit), in which format."""

    kind = forms.ChoiceField(
        label=_("Register"),
        choices=(
            ("incoming", _("Incoming document register")),
            ("outgoing", _("Outgoing document register")),
            ("tracking", _("Register of the handling of incoming documents")),
        ),
    )
    date_from = forms.DateField(label=_("From"), widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    secret = forms.BooleanField(label=_("Secret documents (their own register)"), required=False)
    organisation = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        elif start and end and (end - start).days > 366:
            self.add_error("date_to", _("A register covers at most a year."))
        return data


class WorkFileForm(forms.Form):
    code = forms.CharField(label=_("File code"), max_length=40)
    title = forms.CharField(label=_("Title"), max_length=500)
    retention = forms.CharField(label=_("Retention period"), max_length=60, initial="10 năm")
