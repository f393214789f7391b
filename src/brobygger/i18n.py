"""The command line's language: Danish by default, English with ``BROBYGGER_LANG=en``.

The texts are written in English in the code, marked with :func:`_`, and translated by
the Danish catalogue ``locale/da/LC_MESSAGES/brobygger.po`` (compiled to ``.mo`` beside
it with ``msgfmt``; see the README) — the same way as the web app's texts. The language is
read once, when the command line is imported, as the help texts are made then.
"""

from __future__ import annotations

import gettext
import os
import sys
from functools import cache
from pathlib import Path

LOCALE = Path(__file__).parent / "locale"
DOMAIN = "brobygger"
LANGUAGES = ("da", "en")
DEFAULT_LANGUAGE = "da"


def language() -> str:
    """``BROBYGGER_LANG`` (``da`` or ``en``, a region such as ``en_GB`` allowed); Danish
    when it is unset or names another language."""
    wanted = os.environ.get("BROBYGGER_LANG", "").split("_")[0].split(".")[0].lower()
    return wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE


def translation(lang: str | None = None) -> gettext.NullTranslations:
    """The catalogue of ``lang`` (default :func:`language`); English is the texts as
    written."""
    return _catalogue(lang or language())


@cache
def _catalogue(lang: str) -> gettext.NullTranslations:
    return gettext.translation(DOMAIN, LOCALE, languages=[lang], fallback=True)


_ = translation().gettext


def N_(text: str) -> str:
    """Marks a text for the catalogue where it is defined; it is translated where it is
    shown (in the language of that moment)."""
    return text


def localise_help() -> None:
    """The headings typer's help pages put around the texts, and typer's own messages (a
    missing or unknown command), in the same language: typer marks them for gettext's
    default domain, which follows the system's locale, so its modules are given this
    catalogue instead. (The click that typer carries writes a few texts in English only:
    "Usage:", the help option's, a wrong option's.)"""
    import typer.rich_utils
    for name, module in list(sys.modules.items()):
        if name.split(".")[0] in ("typer", "click") and \
                getattr(module, "_", None) is gettext.gettext:
            module._ = _  # type: ignore[attr-defined]
    for name, text in (("ARGUMENTS_PANEL_TITLE", "Arguments"),
                       ("OPTIONS_PANEL_TITLE", "Options"),
                       ("COMMANDS_PANEL_TITLE", "Commands"),
                       ("ERRORS_PANEL_TITLE", "Error"),
                       ("ABORTED_TEXT", "Aborted."),
                       ("DEFAULT_STRING", "[default: {}]"),
                       ("REQUIRED_LONG_STRING", "[required]"),
                       ("RICH_HELP", "Try [blue]'{command_path} {help_option}'[/] for help.")):
        setattr(typer.rich_utils, name, _(text))
