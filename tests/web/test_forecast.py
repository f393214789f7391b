"""The live business case page, its report and the settlement behind it.

The page's figures must be the core's: the tests run the core's forecast on the same registry
records and compare what the page shows; the payments shown are the ledger's as the core reads
them. Nobody from another municipality sees any of it.
"""

from __future__ import annotations

import datetime as dt
import re
import zlib
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.utils.html import escape

from brobygger.payments.store import LedgerDir
from brobygger.reports.format import kr, percent
from brobygger.scenario.load import load_scenario
from brobygger.scenario.schema import assumption_texts
from brobygger.simulation.forecast import payment_flows, run_forecast
from brobygger.web import numbers
from brobygger.web.forecast import services
from brobygger.web.pathways.models import EventKind, PathwayEvent
from brobygger.web.registry.models import Target
from tests.web.conftest import CPR_A, CPR_B, DRAWS, SEED, cpr_forms


def core_forecast():
    """The core's forecast of the same registry records, run directly."""
    today = dt.date.today()
    records, profiles = services.registry_records(today)
    return run_forecast(load_scenario(), records, today, draws=DRAWS, seed=SEED,
                        profiles=profiles)


def test_the_page_shows_the_cores_probability_and_net_result(live):
    response = live.client_for("owner").get("/forecast/")
    assert response.status_code == 200
    html = response.content.decode()
    core = core_forecast().municipalities["101"].payers
    for payer in ("municipality", "state"):
        shown = re.search(rf'data-testid="p-gain-{payer}">([^<]+)<', html).group(1)
        assert shown == percent(core[payer].p_gain)
        assert kr(core[payer].mean_final) in html
        assert kr(core[payer].realised_savings) in html
    case = response.context["forecast"]
    assert case["payers"]["municipality"]["fan"]["50"] == pytest.approx(
        core["municipality"].fan[50])
    run = response.context["run"]
    # the scenario by its name and the data date as the page writes dates
    assert (run["seed"], run["scenario"], run["date"]) == (
        str(SEED), "Forsøgsprogrammet, 12 kommuner", dt.date.today().strftime("%d.%m.%Y"))
    assert "København" in html and "Aarhus" not in html
    assert f"seed {SEED}," in html  # the run's technical facts, folded away
    today = dt.date.today().strftime("%d.%m.%Y")
    assert (f"Beregnet ud fra registret pr. {today} på scenariet “Forsøgsprogrammet, "
            "12 kommuner”") in html


def test_in_english_the_page_s_numbers_are_in_english_format(live):
    client = live.client_for("owner")
    client.cookies["django_language"] = "en"
    response = client.get("/forecast/101/")
    html = response.content.decode()
    core = core_forecast().municipalities["101"].payers["municipality"]
    assert f"{core.mean_final:,.0f} DKK" in html  # not 1.234.567 kr. on an English page
    assert "(February 2018 to January 2028)" in html  # months by name, in the language
    assert kr(core.mean_final) not in html
    figures = {f["id"]: f["figure"] for f in response.context["fan_figures"]}
    assert figures["fan-state"]["layout"]["separators"] == ".,"
    danish = live.client_for("owner").get("/forecast/101/")
    assert "(februar 2018 til januar 2028)" in danish.content.decode()
    figures = {f["id"]: f["figure"] for f in danish.context["fan_figures"]}
    assert figures["fan-state"]["layout"]["separators"] == ",."
    # the time axis is ticked by year (Plotly would name the months in English)
    axis = figures["fan-state"]["layout"]["xaxis"]
    assert (axis["dtick"], axis["tickformat"]) == ("M12", "%Y")


def test_the_fan_chart_is_the_cores_quantiles(live):
    response = live.client_for("owner").get("/forecast/101/")
    figures = {f["id"]: f["figure"] for f in response.context["fan_figures"]}
    core = core_forecast().municipalities["101"].payers["state"]
    traces = figures["fan-state"]["data"]
    assert traces[0]["y"] == pytest.approx(core.fan[95])
    assert traces[1]["y"] == pytest.approx(core.fan[5])
    assert traces[4]["y"] == pytest.approx(core.fan[50])
    bars = response.context["break_even_figures"][0]["figure"]["data"][0]
    assert all(round(y, 1) == y for y in bars["y"])  # shares to a tenth, not 31.666…
    assert sum(bars["y"]) == pytest.approx(100, abs=0.5)
    # its hover names the month in the page's language
    assert traces[4]["customdata"][0] == "februar 2018"
    assert traces[4]["hovertemplate"].startswith("%{customdata}: %{y:,.0f} kr.")
    assert 'id="fan-state-data"' in response.content.decode()


def test_the_forecast_is_cached_per_data_date_and_refreshed_on_request(live):
    key = services.current_key()
    first = services.forecast(key)
    assert (services.cache_dir() / f"{key.digest}.json").exists()
    services._MEMO.clear()
    assert services.forecast(key) == first  # read back from the file, not recomputed
    assert services.current_key(dt.date.today() - dt.timedelta(days=1)).digest != key.digest
    PathwayEvent.objects.create(participant=live.participant_b, kind=EventKind.INDUCTION_START,
                                occurred_on=dt.date(2019, 6, 3), registered_by=live.outsider)
    assert services.forecast(key)["run"]["registry"] == first["run"]["registry"]
    call_command("settlelive", forecast=True)
    fresh = services.forecast(key)
    assert fresh["run"]["registry"] != first["run"]["registry"]
    assert fresh["run"]["digest"] == key.digest


def test_without_a_ledger_the_page_says_so(live):
    html = live.client_for("owner").get("/forecast/").content.decode()
    assert 'data-testid="no-ledger"' in html


def test_settlelive_writes_the_ledger_and_the_page_shows_its_payments(live):
    call_command("settlelive")
    store = LedgerDir(services.ledger_dir())
    assert store.batches()
    ids = {str(live.partnership_a.pk)}
    flows = payment_flows(store.entries(), ids)
    total = sum(flows.values(), Decimal(0))
    assert total > 0  # course completion and the hire are paid for
    response = live.client_for("owner").get("/forecast/")
    html = response.content.decode()
    shown = re.search(r'data-testid="flows-total">([^<]+)<', html).group(1)
    assert shown == numbers.kr(total, 2)  # to the øre, exact
    assert live.actor_a.name in html and live.enterprise_a.name in html
    # settling again adds nothing: the ledger already holds every payment
    batches = len(store.batches())
    call_command("settlelive")
    assert len(store.batches()) == batches


def test_targets_show_the_actual_counts(live):
    Target.objects.create(programme=Target.objects.first().programme, code="places",
                          label="pladser etableret", value=90)
    rows = live.client_for("owner").get("/forecast/").context["targets"]
    by_code = {r["code"]: r for r in rows}
    # the programme's numbered indicators show their number; the others only their name,
    # each the app's name for it in the page's language (the stored label otherwise)
    labels = {r["code"]: r["label"] for r in rows}
    assert labels == {"3B.1": "Påbegyndt indslusningsforløb",
                      "3B.3": "Ansat i acceleratorvirksomhederne",
                      "": "Uddannelses- og praktikpladser etableret"}
    assert by_code["3B.1"]["target"] == "148"
    assert by_code["3B.1"]["municipality"] == "1"  # participant A started the course
    assert by_code["3B.3"]["municipality"] == "1"  # and was hired at the enterprise


@pytest.mark.parametrize("path", ["/forecast/101/", "/forecast/101/report/",
                                  "/forecast/101/report.pdf"])
def test_another_municipality_gets_404(live, path):
    assert live.client_for("outsider").get(path).status_code == 404
    assert live.client_for("owner").get(path.replace("101", "751")).status_code == 404


def test_actors_and_enterprises_have_no_business_case_page(live):
    for persona in ("actor", "enterprise"):
        assert live.client_for(persona).get("/forecast/").status_code == 404


def test_anonymous_is_sent_to_login(live):
    response = live.client_for("anonymous").get("/forecast/101/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_operator_chooses_any_municipality(live):
    client = live.client_for("operator")
    html = client.get("/forecast/").content.decode()
    assert "/forecast/101/" in html and "/forecast/751/" in html
    assert client.get("/forecast/751/").status_code == 200


def test_the_report_states_run_and_assumptions_and_holds_no_cpr(live):
    html = live.client_for("colleague").get("/forecast/101/report/").content.decode()
    scenario = load_scenario()
    assert all(key in html for key in scenario.assumptions)
    assert html.count("data:image/svg+xml;base64,") == 2
    run = services.forecast()["run"]
    assert run["digest"] in html and run["code"] in html
    for cpr in (CPR_A, CPR_B):
        assert not any(form in html for form in cpr_forms(cpr))


def _assumptions_shown(html: str, language: str) -> bool:
    texts = assumption_texts(load_scenario().assumptions, language)
    return all(escape(text) in html for text in texts.values())


def test_the_report_gives_the_assumptions_in_danish_by_default_and_english_on_request(live):
    client = live.client_for("colleague")
    danish = client.get("/forecast/101/report/").content.decode()
    assert '<html lang="da">' in danish
    assert "starter på indslusningsforløbet i gennemsnit 1¼ måned efter" in danish
    assert _assumptions_shown(danish, "da") and not _assumptions_shown(danish, "en")
    assert "after 1¼ months on average" not in danish

    client.cookies["django_language"] = "en"  # what the language menu sets
    english = client.get("/forecast/101/report/").content.decode()
    assert '<html lang="en">' in english
    assert "Referred citizens start the course after 1¼ months on average." in english
    assert _assumptions_shown(english, "en") and not _assumptions_shown(english, "da")


@pytest.mark.parametrize(("language", "expected"), [
    ("da", "starter på indslusningsforløbet i gennemsnit 1¼ måned efter"),
    ("en", "start the course after 1¼ months on average"),
], ids=["da", "en"])
def test_the_report_pdf_gives_the_assumptions_in_the_active_language(
        live, monkeypatch, language, expected):
    import weasyprint

    rendered: list[str] = []
    real = weasyprint.HTML

    def recording(*args, **kwargs):
        rendered.append(kwargs["string"])
        return real(*args, **kwargs)

    monkeypatch.setattr(weasyprint, "HTML", recording)
    response = live.client_for("owner").get("/forecast/101/report.pdf",
                                             HTTP_ACCEPT_LANGUAGE=language)
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")
    (html,) = rendered
    assert expected in html and _assumptions_shown(html, language)


def _pdf_text(data: bytes) -> bytes:
    """The PDF with its compressed streams inflated (dictionaries and outline in clear)."""
    parts = [data]
    for m in re.finditer(rb"stream\r?\n", data):
        try:
            parts.append(zlib.decompressobj().decompress(data[m.end():]))
        except zlib.error:
            continue
    return b"\n".join(parts)


def test_the_report_pdf_is_a_real_pdf_naming_the_municipality(live):
    response = live.client_for("owner").get("/forecast/101/report.pdf")
    assert response["Content-Type"] == "application/pdf"
    data = response.content
    assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
    assert len(data) > 20_000
    inflated = _pdf_text(data)
    assert len(re.findall(rb"/Type\s*/Page\b", inflated)) >= 2
    titles = [bytes.fromhex(h.decode()).decode("utf-16")
              for h in re.findall(rb"/Title <([0-9a-fA-F]+)>", inflated)]
    assert any("København" in t for t in titles)


def test_a_registry_the_model_cannot_take_is_explained_not_a_crash(live):
    from tests.web.conftest import CPR_NEW, make_participant

    late = make_participant(live.partnership_a, CPR_NEW, live.owner,
                            referred_on=dt.date(2023, 3, 1), name="Late")
    for path in ("/forecast/", "/forecast/101/report/", "/forecast/101/report.pdf"):
        response = live.client_for("owner").get(path)
        assert response.status_code == 409
        html = response.content.decode()
        # said in the page's language, naming the participant by reference, not by name
        assert (f"Kommune 101: henvisninger i 2023-03 ligger uden for programperioden "
                f"(deltagere {late.reference})") in html
        assert "Late" not in html.replace(late.reference, "")
    english = live.client_for("owner")
    english.cookies["django_language"] = "en"
    html = english.get("/forecast/").content.decode()
    assert (f"Municipality 101: referrals in 2023-03 fall outside the programme period "
            f"(participants {late.reference})") in html


def test_another_municipality_s_problem_is_counted_not_shown(live):
    from tests.web.conftest import CPR_NEW, make_participant

    late = make_participant(live.partnership_b, CPR_NEW, live.outsider,
                            referred_on=dt.date(2023, 3, 1), name="Late")
    own = live.client_for("owner").get("/forecast/")
    html = own.content.decode()
    assert own.status_code == 409
    assert late.reference not in html and "751" not in html and "Aarhus" not in html
    assert ("1 problem i en anden kommunes registreringer standser også fremskrivningen"
            in html)
    # the municipality whose registration it is, and the secretariat, see it named
    for user in ("outsider", "operator"):
        html = live.client_for(user).get("/forecast/751/").content.decode()
        assert f"(deltagere {late.reference})" in html
        assert 'data-testid="other-problems"' not in html


def test_a_payer_mostly_never_in_deficit_is_said_so_not_given_a_first_month(live):
    payers = {p["payer"]: p for p in
              live.client_for("owner").get("/forecast/101/").context["payers"]}
    # the state gains from the first month in most draws (the test registry's one hire)
    assert payers["state"]["break_even_median"] == "aldrig i underskud"
    assert payers["municipality"]["never_in_deficit"] is None
    html = live.client_for("owner").get("/forecast/101/report/").content.decode()
    assert re.search(r"For staten er .*I \d+ % af trækkene kommer det aldrig i underskud, "
                     r"så der er intet at indhente\.", html)
    assert html.count("medianmåneden for break-even er") == 1  # the municipality's
    assert "medianmåneden for break-even er aldrig" not in html
    page = live.client_for("owner").get("/forecast/101/").content.decode()
    assert re.search(r"aldrig i underskud i \d+\s%\saf trækkene", page)
    assert "(aldrig i underskud –" not in page


def test_the_report_s_tables_fit_the_pdf_s_page(live):
    """Every box WeasyPrint lays out lies within the A4 page (a table's long headings and
    ranges wrap instead of running past its edge)."""
    from weasyprint import HTML

    html = live.client_for("owner").get("/forecast/101/report/").content.decode()
    document = HTML(string=html).render()
    for page in document.pages:
        for box in page._page_box.descendants():  # (WeasyPrint's layout, read-only)
            if getattr(box, "width", None) is not None and hasattr(box, "margin_width"):
                assert box.position_x + box.margin_width() <= page.width + 0.5, box
