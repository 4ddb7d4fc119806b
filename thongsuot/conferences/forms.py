from django import forms
from django.utils.translation import gettext_lazy as _

from thongsuot.accounts.models import User
from thongsuot.conferences.models import Endpoint, EndpointGroup
from thongsuot.directory.models import Organisation


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    chair = forms.ModelChoiceField(label=_("Chair"), queryset=User.objects.none())
    starts_at = forms.DateTimeField(
        label=_("Starts at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    ends_at = forms.DateTimeField(
        label=_("Ends at"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    agenda = forms.CharField(label=_("Agenda"), widget=forms.Textarea(attrs={"rows": 5}), required=False)
    everyone = forms.BooleanField(label=_("Invite every unit"), required=False)
    kinds = forms.MultipleChoiceField(
        label=_("Invite by kind of unit"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            (Organisation.Kind.COMMUNE, _("Commune-level units")),
            (Organisation.Kind.DEPARTMENT, _("City departments and agencies")),
        ],
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Invite groups"),
        queryset=EndpointGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    endpoints = forms.ModelMultipleChoiceField(
        label=_("Invite endpoints one by one"), queryset=Endpoint.objects.none(), required=False
    )

    def __init__(self, *args, user, endpoints, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["chair"].queryset = User.objects.filter(
            kind=User.Kind.STAFF, is_active=True, organisation_id=user.organisation_id
        ).order_by("full_name")
        self.fields["endpoints"].queryset = endpoints

    def invite(self) -> dict:
        data = self.cleaned_data
        return {
            "everyone": data["everyone"],
            "kinds": list(data["kinds"]),
            "groups": [g.pk for g in data["groups"]],
            "endpoints": [e.pk for e in data["endpoints"]],
        }


class AttendanceMarkForm(forms.Form):
    """The host marks an endpoint by hand (joined by phone, failed to connect)."""

    endpoint = forms.ModelChoiceField(label=_("Endpoint"), queryset=Endpoint.objects.none())
    mark = forms.ChoiceField(
        label=_("Mark"), choices=[("present", _("Present")), ("late", _("Late")), ("absent", _("Absent"))]
    )
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["endpoint"].queryset = meeting.endpoints.order_by("organisation__name", "code")
