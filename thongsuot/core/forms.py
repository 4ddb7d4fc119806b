"""Forms of the core pages. They only parse input: the services validate and decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from thongsuot.core.models import CalendarDay


class DateInput(forms.DateInput):
    """A browser date picker. Its value is always ISO (yyyy-mm-dd), the only form <input type="date">
    reads; the browser shows it in the user's format. Django's default would write the locale's first
    input format (dd/mm/yyyy), which the picker shows as empty and a second save then loses."""

    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class FilePickerInput(forms.ClearableFileInput):
    """A file input whose button speaks the page's language: the browser's own button follows the
    browser's language ("Choose Files" in an English Chromium on a Vietnamese page), so it is hidden
    (still focusable, still the form's value) behind a label in the page's language, with the chosen
    names shown next to it (static/js/file-picker.js)."""

    template_name = "core/widgets/file_picker.html"


# What a date field accepts: the picker's ISO value, or dd/mm/yyyy typed or kept in a link.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class CalendarDayForm(forms.Form):
    day = forms.DateField(label=_("Date"), input_formats=DATE_INPUT_FORMATS, widget=DateInput)
    kind = forms.ChoiceField(label=_("The day becomes"), choices=CalendarDay.Kind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200)


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
