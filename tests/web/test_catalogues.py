"""The web app's Danish catalogues: compiled from their source, and one English text said
one way in Danish whichever app's catalogue holds it (Django merges them, and the first
found would win silently)."""

from __future__ import annotations

import ast
import gettext
import re
from collections import defaultdict
from pathlib import Path

import pytest

import brobygger

WEB = Path(brobygger.__file__).parent / "web"
CATALOGUES = sorted(WEB.glob("**/locale/da/LC_MESSAGES/django.po"))
_LINE = re.compile(r'^(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?) "(.*)"$|^"(.*)"$')


def entries(path: Path) -> list[dict[str, str]]:
    """The entries of a .po file: keyword → text, continuation lines joined."""
    found: list[dict[str, str]] = []
    entry: dict[str, str] = {}
    key = ""
    for line in path.read_text(encoding="utf-8").splitlines():
        m = _LINE.match(line)
        if not m:
            if line.strip() == "" and entry:
                found.append(entry)
                entry = {}
            continue
        if m.group(1):
            key = m.group(1)
            if (key in ("msgctxt", "msgid") and "msgstr" in entry) or \
                    (key == "msgctxt" and "msgid" in entry):
                found.append(entry)
                entry = {}
            entry[key] = ast.literal_eval(f'"{m.group(2)}"')
        else:
            entry[key] += ast.literal_eval(f'"{m.group(3)}"')
    if entry:
        found.append(entry)
    return [e for e in found if e.get("msgid")]


def test_the_catalogues_are_found():
    assert len(CATALOGUES) >= 5
    assert sum(len(entries(p)) for p in CATALOGUES) > 500


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(WEB)))
def test_each_compiled_catalogue_is_its_source_compiled(path):
    with open(path.with_suffix(".mo"), "rb") as f:
        compiled = gettext.GNUTranslations(f)
    for e in entries(path):
        if "msgstr" not in e or not e["msgstr"]:
            continue
        got = (compiled.pgettext(e["msgctxt"], e["msgid"]) if "msgctxt" in e
               else compiled.gettext(e["msgid"]))
        assert got == e["msgstr"], f"recompile {path.with_suffix('.mo')}: {e['msgid']!r}"


def test_one_english_text_is_said_one_way_in_danish():
    said: dict[tuple[str, str], dict[str, str]] = defaultdict(dict)
    for path in CATALOGUES:
        for e in entries(path):
            if e.get("msgstr"):
                said[(e.get("msgctxt", ""), e["msgid"])][str(path.relative_to(WEB))] = e["msgstr"]
    differing = {k: v for k, v in said.items() if len(set(v.values())) > 1}
    assert not differing, differing


def test_an_indicator_has_one_danish_name_on_every_page():
    from django.utils import translation

    from brobygger.indicators.actuals import LABELS
    from brobygger.web.demo import TARGETS
    from brobygger.web.reports.esf import labels as esf_labels

    with translation.override("da"):
        names = {code: translation.gettext(label) for code, label in LABELS.items()}
        esf = esf_labels()
    # the demo programme's targets, the dashboard's labels and the ESF report's agree
    assert {code: label for code, label, _ in TARGETS} == {
        code: names[code] for code, _, _ in TARGETS}
    assert {code: esf[code] for code in ("3B.1", "3B.2", "3B.3", "3B.4")} == {
        code: names[code] for code in ("3B.1", "3B.2", "3B.3", "3B.4")}
