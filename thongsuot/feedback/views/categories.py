"""Category management for the platform administrators: list, create, edit (one service call each)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from thongsuot.accounts import access
from thongsuot.feedback import services
from thongsuot.feedback.category_forms import CategoryForm
from thongsuot.feedback.forms import apply_errors
from thongsuot.feedback.models import Category
from thongsuot.feedback.views.staff import staff_required


def _require_admin(user) -> None:
    if not access.has_city_wide_change(user):
        raise PermissionDenied(_("Only the platform administrators manage the 1022 categories."))


@staff_required
def category_list(request):
    _require_admin(request.user)
    categories = Category.objects.select_related("department").order_by("position", "name")
    return render(request, "feedback/staff/categories.html", {"categories": categories})


@staff_required
def category_edit(request, pk=None):
    _require_admin(request.user)
    category = get_object_or_404(Category, pk=pk) if pk else None
    if request.method == "POST":
        form = CategoryForm(request.POST)
        if form.is_valid():
            try:
                saved = services.category_save(actor=request.user, category=category, **form.cleaned_data)
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("Category “%(name)s” saved.") % {"name": saved.name})
                return redirect("feedback:categories")
    else:
        form = CategoryForm(initial=CategoryForm.initial_for(category))
    return render(request, "feedback/staff/category_form.html", {"form": form, "category": category})
