"""The form of the category pages. It only parses input: `services.category_save` validates and decides."""

from django import forms
from django.utils.translation import gettext_lazy as _

from thongsuot.core.text import sorted_vietnamese
from thongsuot.directory.models import Organisation
from thongsuot.feedback.models import Category


class CategoryForm(forms.Form):
    """Parses the category page; `services.category_save` validates and decides."""

    code = forms.CharField(label=_("Code"), max_length=40, help_text=_("Lower-case, e.g. “cay-xanh”."))
    name = forms.CharField(label=_("Name"), max_length=150)
    responsible = forms.ChoiceField(label=_("Responsible"), choices=Category.Responsible.choices)
    department = forms.ModelChoiceField(
        label=_("Responsible department"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.DEPARTMENT, is_active=True),
        required=False,
    )
    handling_days = forms.IntegerField(label=_("Working days to handle"), min_value=1, max_value=60)
    is_active = forms.BooleanField(label=_("Active"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["department"]  # the departments in Vietnamese alphabetical order
        field.choices = [("", field.empty_label), *((o.pk, str(o)) for o in sorted_vietnamese(field.queryset))]

    @staticmethod
    def initial_for(category: Category | None) -> dict:
        if category is None:
            return {"responsible": Category.Responsible.COMMUNE, "handling_days": 5, "is_active": True}
        return {name: getattr(category, name) for name in CategoryForm.base_fields}
