"""Forms of the core pages. They only parse input: the services validate and decide."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from thongsuot.core.models import CalendarDay


class CalendarDayForm(forms.Form):
    day = forms.DateField(label=_("Date"), input_formats=["%d/%m/%Y", "%Y-%m-%d"], help_text=_("dd/mm/yyyy"))
    kind = forms.ChoiceField(label=_("The day becomes"), choices=CalendarDay.Kind.choices)
    reason = forms.CharField(label=_("Reason"), max_length=200)


def apply_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's ValidationError on the form fields it names."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
