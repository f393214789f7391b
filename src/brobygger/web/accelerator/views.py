"""Accelerator enterprise screens: enrolments, milestones and growth over time."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

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
    })
