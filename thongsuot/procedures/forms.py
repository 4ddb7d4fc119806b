"""Forms of the dossiers' pages. They only parse input: the services validate and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thongsuot.core.forms import FilePickerInput
from thongsuot.directory.models import Organisation

DECISIONS = (
    ("accept", _("Complete: receive it and print the receipt and appointment")),
    ("request_additional", _("Incomplete: ask for the additional documents")),
    ("refuse", _("Refuse to receive it")),
)


def communes():
    return Organisation.objects.filter(kind="commune", is_active=True).order_by("name")


class ApplicantForm(forms.Form):
    applicant_name = forms.CharField(label=_("Applicant's full name"), max_length=200)
    applicant_id_number = forms.CharField(label=_("ID number (căn cước)"), max_length=12)
    applicant_phone = forms.CharField(label=_("Phone"), max_length=15)
    applicant_email = forms.CharField(label=_("E-mail"), max_length=254, required=False)
    applicant_address = forms.CharField(label=_("Address"), max_length=500, required=False)

    def applicant(self) -> dict:
        data = self.cleaned_data
        return {name: data.get(f"applicant_{name}", "") for name in ("name", "id_number", "phone", "email", "address")}


class IntakeForm(ApplicantForm):
    """The desk's form for one procedure: the documents brought, then the officer's decision."""

    received = forms.MultipleChoiceField(
        label=_("Documents received"), required=False, widget=forms.CheckboxSelectMultiple
    )
    deciding_unit = forms.ModelChoiceField(
        label=_("Deciding unit (when another unit decides)"), queryset=Organisation.objects.none(), required=False
    )
    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS, widget=forms.RadioSelect, initial="accept")
    missing = forms.CharField(label=_("Documents missing"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    reason = forms.CharField(label=_("Reason for refusal"), widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["received"].choices = [(str(i), d["name"]) for i, d in enumerate(procedure.documents)]
        if procedure.regardless_of_residence:
            self.fields["deciding_unit"].queryset = communes()
        else:
            del self.fields["deciding_unit"]


class OnlineForm(ApplicantForm):
    """A citizen's online submission: the receiving unit and one file per required document."""

    receiving_unit = forms.ModelChoiceField(
        label=_("Ward or commune that receives it"), queryset=Organisation.objects.none()
    )

    def __init__(self, *args, procedure, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiving_unit"].queryset = communes()
        for index, document in enumerate(procedure.documents):
            self.fields[f"document_{index}"] = forms.FileField(
                label=document["name"],
                required=False,  # the service names each mandatory document missing
                widget=FilePickerInput(attrs={"accept": "application/pdf,image/jpeg,image/png"}),
            )

    def files_by_index(self) -> dict:
        return {
            int(name.split("_")[1]): value
            for name, value in self.cleaned_data.items()
            if name.startswith("document_") and value
        }


class ActionForm(forms.Form):
    deciding_unit = forms.ModelChoiceField(
        label=_("Deciding unit"), queryset=Organisation.objects.filter(kind="commune", is_active=True), required=False
    )
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    missing = forms.CharField(label=_("Documents missing"), widget=forms.Textarea(attrs={"rows": 2}), required=False)
    result_file = forms.FileField(label=_("Result (PDF)"), required=False, widget=FilePickerInput)
    new_due_at = forms.DateTimeField(
        label=_("New date for the result"),
        required=False,
        input_formats=["%Y-%m-%dT%H:%M", "%d/%m/%Y %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )
    rating = forms.TypedChoiceField(
        label=_("Your rating"), choices=[(i, str(i)) for i in range(5, 0, -1)], coerce=int, required=False
    )


class LookupForm(forms.Form):
    code = forms.CharField(label=_("Dossier code"), max_length=60)
    phone = forms.CharField(label=_("Last 4 digits of the applicant's phone"), min_length=4, max_length=4)
