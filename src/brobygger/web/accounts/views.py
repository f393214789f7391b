"""Login with throttling of failed attempts."""

from __future__ import annotations

from django import forms
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _

from brobygger.web.accounts import scoping, throttle
from brobygger.web.accounts.context import business_case_codes, may_see_investor
from brobygger.web.audit.log import client_ip


class ThrottledAuthenticationForm(AuthenticationForm):
    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": _("Too many failed logins. Wait a while and try again."),
    }

    def clean(self):
        username = self.data.get("username", "")
        ip = client_ip(self.request) if self.request else None
        if throttle.is_locked(username, ip):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, ip)
            raise
        throttle.clear(username)
        return cleaned


class LoginView(auth_views.LoginView):
    form_class = ThrottledAuthenticationForm
    redirect_authenticated_user = True


@login_required
def home(request):
    """Where each user's work is: a municipality's own business case (its targets, its money,
    its chance of a net gain on one page), the programme dashboard for the secretariat, the
    participants for the other actors and enterprises, and an investor outside every
    partnership its pre-financing and return."""
    codes = business_case_codes(request)
    if codes is None:
        return redirect("dashboard")
    if codes:
        return redirect("forecast")
    if not scoping.visible_partnerships(request) and may_see_investor(request):
        return redirect("investor")
    return redirect("participant-list")
