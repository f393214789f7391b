"""Template context for the navigation: which links make sense for this user."""

from __future__ import annotations

from brobygger.web.accounts import scoping


def navigation(request) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"may_import": lambda: any(
        scoping.can(request, scoping.CHANGE, p.organisation_ids)
        for p in scoping.visible_partnerships(request)
    )}
