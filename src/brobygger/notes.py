"""Notes that come with a business case or a simulation, in Danish and English.

A note is what it says (a code) and its figures; the words are chosen where it is shown:
on screen in the command line's language (Danish by default), the payers named as a
sentence names them; in the JSON in English, a payer by its JSON key (``municipality``,
``state``, ``public_total``), for a program to match it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from brobygger.i18n import translation
from brobygger.reports.format import kr, number, percent

TEXTS: dict[str, dict[str, str]] = {
    "contract_cap_binds": {
        "en": "the per-contract cap binds: applied to the expected payment flow (the "
              "simulation applies it draw by draw, which is exact)",
        "da": "loftet pr. kontrakt binder: det er lagt på den forventede betalingsstrøm "
              "(simuleringen lægger det på træk for træk, hvilket er eksakt)",
    },
    "partnership_cap_in_settlement": {
        "en": "the per-partnership cap is applied in settlement, not in {where}",
        "da": "loftet pr. partnerskab lægges på i afregningen, ikke i {where}",
    },
    "mean_moved": {
        "en": "{payer}: the mean moved {shift} ({z} standard errors) from the central "
              "case; with parameter uncertainty that is expected, because the net result is "
              "not linear in the transition rates and wages (and caps cut the upper tail of "
              "payments).",
        "da": "{payer}: middelværdien ligger {shift} fra det centrale skøn ({z} "
              "standardfejl); med parameterusikkerhed er det ventet, fordi nettoresultatet "
              "ikke er lineært i overgangssandsynlighederne og lønningerne (og lofterne "
              "skærer toppen af betalingerne).",
    },
    "mean_off_exact": {
        "en": "{payer}: the mean is {z} standard errors from the exact expectation; check the "
              "per-contract cap, which binds in some draws.",
        "da": "{payer}: middelværdien ligger {z} standardfejl fra den eksakte forventning; se "
              "på loftet pr. kontrakt, som binder i nogle træk.",
    },
    "contract_cap_share": {
        "en": "the per-contract cap bound in {share} of draws (applied draw by draw).",
        "da": "loftet pr. kontrakt bandt i {share} af trækkene (lagt på træk for træk).",
    },
}

#: where a cap is not applied, as each language says it
_WHERE = {"expected": {"en": "the expected flow", "da": "den forventede strøm"},
          "simulation": {"en": "the simulation", "da": "simuleringen"}}


def _payer_labels() -> dict[str, str]:
    """The payers as the screen names them (:data:`brobygger.reports.console.PAYER_LABEL`,
    imported here: the console's module imports the business case, which imports this)."""
    from brobygger.reports.console import PAYER_LABEL

    return PAYER_LABEL


@dataclass(frozen=True)
class Note:
    code: str  # a key of TEXTS
    figures: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "en", screen: bool = False) -> str:
        """The note in ``lang`` ('da' or 'en'), its figures formatted as that language
        writes them; a payer by its JSON key unless ``screen`` (always named in Danish)."""
        f = dict(self.figures)
        if "payer" in f and (screen or lang == "da") and f["payer"] in _payer_labels():
            f["payer"] = translation(lang).gettext(_payer_labels()[f["payer"]])
        if "shift" in f:
            f["shift"] = kr(f["shift"], lang)
        if "z" in f:
            z = round(f["z"], 1) + 0.0  # (−0.04 is +0.0, not −0.0)
            f["z"] = ("+" if z >= 0 else "") + number(z, 1, lang)
        if "share" in f:
            f["share"] = percent(f["share"], 1, lang)
        if "where" in f:
            f["where"] = _WHERE[f["where"]][lang]
        return TEXTS[self.code][lang].format(**f)
