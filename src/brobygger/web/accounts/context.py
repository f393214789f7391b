"""Template context for the navigation: which links make sense for this user."""

from __future__ import annotations

from brobygger.web.accounts import scoping


def navigation(request) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "may_import": lambda: any(
            scoping.can(request, scoping.CHANGE, p.organisation_ids)
            for p in scoping.visible_partnerships(request)
        ),
        "may_see_business_case": lambda: business_case_codes(request) != [],
        "may_see_investor": lambda: may_see_investor(request),
    }


def may_see_investor(request) -> bool:
    """The operator, and a member of an investor with an agreement."""
    from brobygger.web.forecast.investor import agreements_for_user

    return scoping.is_operator(request) or agreements_for_user(request).exists()


def business_case_codes(request) -> list[str] | None:
    """The municipalities whose business case the user may see (None: all); once a request."""
    from brobygger.web.forecast.services import municipality_codes_for_user

    if not hasattr(request, "_business_case_codes"):
        request._business_case_codes = municipality_codes_for_user(request)
    return request._business_case_codes
