"""Forms of the feedback pages. They only parse input: the services validate and decide."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thongsuot.core.cleaning import CleanCharField
from thongsuot.core.forms import DATE_INPUT_FORMATS, DateInput, FilePickerInput
from thongsuot.feedback import selectors
from thongsuot.feedback.models import MAX_DESCRIPTION, Channel
from thongsuot.feedback.states import RejectReason


class MultipleFileInput(FilePickerInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,video/mp4"}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if isinstance(data, (list, tuple)):
            return [super(MultipleFileField, self).clean(d, initial) for d in data if d]
        return [super().clean(data, initial)] if data else []


class CategoryField(forms.ModelChoiceField):
    """The active categories: listed from the queryset, a submitted id found in the per-process copy
    of the active categories (selectors.active_category) rather than by a query per submission."""

    def to_python(self, value):
        if value not in self.empty_values and str(value).isdecimal():
            category = selectors.active_category(int(value))
            if category is not None:
                return category
        return super().to_python(value)


class SubmitForm(forms.Form):
    category = CategoryField(queryset=selectors.categories(), label=_("Category"), required=False)
    description = forms.CharField(
        label=_("What is the problem?"),
        widget=forms.Textarea(attrs={"rows": 6, "maxlength": MAX_DESCRIPTION}),
        required=False,
    )
    address = forms.CharField(label=_("Address"), max_length=500, required=False)
    # Set by clicking the map (static/js/feedback-map.js); without the script the address alone is enough.
    latitude = forms.CharField(label=_("Latitude"), required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(label=_("Longitude"), required=False, widget=forms.HiddenInput)
    attachments = MultipleFileField(label=_("Up to 5 photos or one short video"))
    contact_name = forms.CharField(label=_("Your name"), max_length=150, required=False)
    contact_phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, widget=forms.TextInput(attrs={"inputmode": "tel"})
    )
    contact_email = forms.CharField(label=_("Email"), max_length=254, required=False, widget=forms.EmailInput())


class HotlineForm(SubmitForm):
    """The operator's quick entry: keyboard only, the call's phone first."""

    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.HOTLINE)
    field_order = [
        "contact_phone",
        "contact_name",
        "category",
        "description",
        "address",
        "latitude",
        "longitude",
        "contact_email",
        "channel",
        "attachments",
    ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["contact_phone"].widget.attrs["autofocus"] = True
        for name in ("latitude", "longitude"):  # typed from what the caller says, no map here
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "decimal"})
        self.fields["description"].widget.attrs["rows"] = 3
        # The operator writes about the caller: no "your" (the citizen's form speaks to the citizen).
        self.fields["description"].label = _("Content of the report")
        self.fields["contact_name"].label = _("Caller's name")
        self.fields["contact_phone"].label = _("Caller's phone")
        self.fields["contact_email"].label = _("Caller's email")


class RejectForm(forms.Form):
    """No reason is chosen in advance, and the refusal is confirmed: it ends the report and tells the citizen."""

    reason = forms.ChoiceField(label=_("Reason"), choices=[("", _("— choose a reason —")), *RejectReason.choices])
    confirm = forms.BooleanField(label=_("I confirm the refusal (the citizen is told the reason)"), required=True)
    note = CleanCharField(multiline=True, label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AssignForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=selectors.routing_targets(), label=_("Forward to"))
    note = CleanCharField(label=_("Note"), required=False)

    def __init__(self, *args, targets=None, **kwargs):
        """`targets`: the routing targets read once for a page of many forms, which then list them without
        a query each. Listed as selectors.routing_target_list orders them (Vietnamese alphabetical order)."""
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        targets = selectors.routing_target_list() if targets is None else targets
        field.choices = [("", field.empty_label), *((o.pk, field.label_from_instance(o)) for o in targets)]


class VerifyForm(forms.Form):
    category = forms.ModelChoiceField(queryset=selectors.categories(), label=_("Category"), required=False)
    note = CleanCharField(label=_("Note"), required=False)


class NoteForm(forms.Form):
    note = CleanCharField(multiline=True, label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class InternalNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Internal note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only staff see it. Write @ and a colleague's e-mail (@name@example.vn) to notify them."),
    )


class ReasonForm(forms.Form):
    reason = CleanCharField(multiline=True, label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ProgressForm(forms.Form):
    note = CleanCharField(multiline=True, label=_("Progress"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    committed_date = forms.DateField(
        label=_("Committed date"), required=False, input_formats=DATE_INPUT_FORMATS, widget=DateInput
    )
    attachments = MultipleFileField(label=_("Photos"))


class ResolveForm(forms.Form):
    resolution = CleanCharField(
        multiline=True, label=_("Result"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    attachments = MultipleFileField(label=_("Photos of the result"))


class PublishForm(forms.Form):
    public_description = CleanCharField(
        label=_("Public text (leave empty to publish the original)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ExtendForm(forms.Form):
    new_date = forms.DateField(label=_("New due date"), input_formats=DATE_INPUT_FORMATS, widget=DateInput)
    reason = CleanCharField(multiline=True, label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class DecideForm(forms.Form):
    extension = forms.IntegerField(widget=forms.HiddenInput)
    approve = forms.TypedChoiceField(coerce=lambda v: v == "1", choices=[("1", _("Approve")), ("0", _("Refuse"))])
    note = CleanCharField(label=_("Note"), required=False)


class MergeForm(forms.Form):
    into = forms.CharField(label=_("Tracking code of the report to keep"), max_length=20)
    note = CleanCharField(label=_("Note"), required=False)


class HideForm(forms.Form):
    reason = CleanCharField(label=_("Reason"), required=False)
    hidden = forms.TypedChoiceField(
        label=_("Public visibility"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Hide")), ("0", _("Show"))],
        initial="1",
    )


class RateForm(forms.Form):
    k = forms.CharField(widget=forms.HiddenInput, required=False)
    rating = forms.TypedChoiceField(
        label=_("Your rating"),
        coerce=int,
        choices=[
            (5, _("5 – Very satisfied")),
            (4, _("4 – Satisfied")),
            (3, _("3 – Neither satisfied nor dissatisfied")),
            (2, _("2 – Dissatisfied")),
            (1, _("1 – Very dissatisfied")),
        ],
        widget=forms.RadioSelect,
    )
    satisfied = forms.TypedChoiceField(
        label=_("Is the problem solved?"),
        coerce=lambda v: v == "1",
        choices=[("1", _("Yes, solved")), ("0", _("No, not solved"))],
        widget=forms.RadioSelect,
    )
    comment = CleanCharField(
        multiline=True, label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReopenForm(forms.Form):
    k = forms.CharField(widget=forms.HiddenInput, required=False)
    reason = CleanCharField(
        multiline=True, label=_("What is still wrong?"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
