"""Category management for the platform administrators: list, create, edit (one service call each)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from thongsuot.accounts.decorators import staff_required
from thongsuot.core.forms import apply_errors
from thongsuot.feedback import selectors, services
from thongsuot.feedback.category_forms import CategoryForm
from thongsuot.feedback.services.categories import require_category_admin


@staff_required
def category_list(request):
    require_category_admin(request.user)
    categories = selectors.categories_all()
    return render(request, "feedback/staff/categories.html", {"categories": categories})


@staff_required
def category_edit(request, pk=None):
    require_category_admin(request.user)
    category = selectors.category_get(pk=pk) if pk else None
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
