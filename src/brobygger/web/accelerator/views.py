"""Accelerator enterprise screens: enrolments, milestones and growth over time."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from brobygger.web.accelerator.forms import GrowthFigureForm
from brobygger.web.accounts import scoping


@login_required
def enterprise_list(request):
    enterprises = scoping.enterprises_for_user(request).prefetch_related("enrolments")
    return render(request, "accelerator/enterprise_list.html", {"enterprises": enterprises})


@login_required
def enterprise_detail(request, pk: int):
    enterprise = scoping.get_enterprise_for_user(request, pk)
    figures = list(enterprise.growth_figures.all())
    top = max((f.revenue for f in figures), default=0) or 1
    return render(request, "accelerator/enterprise_detail.html", {
        "enterprise": enterprise,
        "enrolments": enterprise.enrolments.prefetch_related("milestones"),
        "figures": [{"f": f, "bar": int(100 * f.revenue / top)} for f in figures],
        "can_report": scoping.can(request, scoping.CHANGE, {enterprise.pk}),
    })


@login_required
@require_http_methods(["GET", "POST"])
def growth_create(request, pk: int):
    enterprise = scoping.get_enterprise_for_user(request, pk, scoping.CHANGE)
    posted = request.POST if request.method == "POST" else None  # an empty POST too
    form = GrowthFigureForm(posted, enterprise=enterprise)
    if request.method == "POST" and form.is_valid():
        figure = form.save(commit=False)
        figure.registered_by = request.user
        figure.save()
        messages.success(request, _("Growth figures registered."))
        return redirect("enterprise-detail", pk=enterprise.pk)
    return render(request, "accelerator/growth_form.html",
                  {"form": form, "enterprise": enterprise})
