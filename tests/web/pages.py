"""Reading what a rendered page asks the browser to fetch."""

from __future__ import annotations

import re

_ASSET = re.compile(r"""<(?:script|link|img|iframe)\b[^>]*?\b(?:src|href)\s*=\s*["']([^"']+)["']""",
                    re.IGNORECASE)


def asset_urls(html: str) -> list[str]:
    """Every script, stylesheet, image and frame address the page loads."""
    return _ASSET.findall(html)


def remote_assets(html: str) -> list[str]:
    """The asset addresses that leave this site (an absolute or protocol-relative URL)."""
    return [url for url in asset_urls(html) if re.match(r"(?:[a-z][a-z0-9+.-]*:)?//", url, re.I)]
