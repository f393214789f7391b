"""Import of participants and events: all or nothing, every bad row listed, idempotent."""

from __future__ import annotations

import io
from typing import ClassVar

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import FileUploadHandler
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from brobygger.web.audit.models import Action, AuditEntry
from brobygger.web.pathways.models import Participant, PathwayEvent
from tests.web.conftest import CPR_A, CPR_B, CPR_NEW, cpr_forms, make_participant

URL = reverse("import")
P_HEADER = ("cpr;name;partnership_id;referred_on;benefit_type;weeks_on_benefit_at_entry;"
            "employment_status_at_entry;education;migrant_background;disability;"
            "other_disadvantage;consent_given_on")


def csv_file(text: str, name="data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8-sig"), content_type="text/csv")


def participants_csv(world, *rows: str) -> SimpleUploadedFile:
    return csv_file("\n".join([P_HEADER, *rows]) + "\n")


def good_row(world, cpr=CPR_NEW, name="Nina"):
    return (f"{cpr[:6]}-{cpr[6:]};{name};{world.partnership_a.pk};15-01-2020;kontanthjaelp;80;"
            "long_term_unemployed;isced_1_2;ja;nej;;2020-01-15")


def upload(client, kind, file):
    return client.post(URL, {"kind": kind, "file": file})


def test_a_valid_participant_file_is_imported_with_its_referrals(world):
    response = upload(world.client_for("owner"), "participants",
                      participants_csv(world, good_row(world)))
    assert response.status_code == 302
    nina = Participant.objects.get(name="Nina")
    assert (nina.birth_year, nina.migrant_background) == (1992, True)
    assert nina.events.get().kind == "referral"


def test_re_importing_the_same_file_creates_no_duplicates(world):
    client = world.client_for("owner")
    upload(client, "participants", participants_csv(world, good_row(world)))
    response = upload(client, "participants", participants_csv(world, good_row(world)))
    assert response.status_code == 302
    assert Participant.objects.filter(name="Nina").count() == 1
    follow = client.get(URL).content.decode()
    assert "0 rækker importeret, 1 allerede registreret" in follow


def test_a_participant_file_costs_the_same_queries_for_one_row_and_for_three(world):
    client = world.client_for("owner")

    def queries(*rows: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = upload(client, "participants", participants_csv(world, *rows))
        assert response.status_code == 302, response.context["result"].problems
        return len(captured)

    one = queries(good_row(world, cpr="1203951112", name="One"))
    three = queries(*(good_row(world, cpr=cpr, name=cpr) for cpr in
                      ("2307921118", "0506881234", "1111801234")))
    assert Participant.objects.filter(partnership=world.partnership_a).count() == 5
    assert PathwayEvent.objects.filter(kind="referral", source="import").count() == 4
    assert three == one


def test_every_bad_row_is_listed_and_nothing_is_written(world):
    rows = [
        good_row(world),                                     # row 2: fine
        good_row(world, cpr="3102921118", name="Bad date"),  # row 3: not a date
        good_row(world, cpr=CPR_NEW, name="Twice"),          # row 4: same as row 2
        good_row(world, cpr=CPR_B, name="Elsewhere"),        # row 5: B's citizen
        good_row(world, cpr="1203951112").replace("kontanthjaelp", "lottery"),  # row 6
    ]
    response = upload(world.client_for("owner"), "participants", participants_csv(world, *rows))
    html = response.content.decode()
    assert response.status_code == 422
    assert Participant.objects.count() == 2
    problems = response.context["result"].problems
    assert [(p.row, p.column) for p in problems] == [
        (3, "cpr"), (4, "cpr"), (5, "cpr"), (6, "benefit_type")]
    assert "samme CPR-nummer som række 2" in html
    # B's citizen is in another municipality: refused without saying where, and seen
    assert problems[2].message == ("Borgeren kan ikke registreres her. "
                                   "Kontakt programsekretariatet.")
    assert world.participant_b.reference not in html
    assert AuditEntry.objects.get(action=Action.REFUSED).participant_id == \
        world.participant_b.pk
    for cpr in (CPR_NEW, "3102921118", CPR_B):
        assert not any(f in html for f in cpr_forms(cpr))


def test_a_choice_may_be_written_as_its_danish_or_english_label(world):
    client = world.client_for("owner")
    row = good_row(world).replace("long_term_unemployed", "Langtidsledig")
    assert upload(client, "participants", participants_csv(world, row)).status_code == 302
    assert Participant.objects.get(name="Nina").employment_status_at_entry == \
        "long_term_unemployed"
    row = good_row(world, cpr="1203951112", name="Ole").replace(
        "long_term_unemployed", "Long-term unemployed")
    assert upload(client, "participants", participants_csv(world, row)).status_code == 302
    # a value that is neither: refused with each code and its label
    row = good_row(world, cpr="2307921118", name="Per").replace("long_term_unemployed", "lotto")
    response = upload(client, "participants", participants_csv(world, row))
    [problem] = response.context["result"].problems
    assert problem.column == "employment_status_at_entry"
    assert "long_term_unemployed (langtidsledig)" in problem.message


def test_a_file_without_the_required_columns_is_refused(world):
    response = upload(world.client_for("owner"), "participants", csv_file("cpr;name\n1;2\n"))
    assert response.status_code == 422
    assert "Mangler kolonner" in response.content.decode()


def test_an_outsider_cannot_import_into_another_municipality_s_partnership(world):
    response = upload(world.client_for("outsider"), "participants",
                      participants_csv(world, good_row(world)))
    assert response.status_code == 422
    assert not Participant.objects.filter(name="Nina").exists()


def test_a_read_only_colleague_may_not_import(world):
    assert world.client_for("colleague").get(URL).status_code == 403


def test_anonymous_visitors_are_sent_to_the_login(world):
    assert world.client_for("anonymous").get(URL).status_code == 302


E_HEADER = "cpr,kind,occurred_on,employer_cvr,hours_per_week,monthly_wage,subsidy_type"


def test_events_are_imported_in_date_order_whatever_the_row_order(world):
    world.enterprise_a.cvr = "10150817"
    world.enterprise_a.save()
    text = "\n".join([
        E_HEADER,
        f"{CPR_A},employment_end,2020-03-01,,,,",
        f"{CPR_A},employment_start,2019-09-01,10150817,30,\"21000,50\",loentilskud",
        f"{CPR_A},induction_start,2019-04-01,,,,",
    ])
    client = world.client_for("owner")
    response = upload(client, "events", csv_file(text))
    assert response.status_code == 302, response.context["result"].problems
    kinds = list(PathwayEvent.objects.filter(participant=world.participant_a)
                 .order_by("occurred_on").values_list("kind", flat=True))
    assert kinds == ["referral", "induction_start", "employment_start", "employment_end"]
    assert upload(client, "events", csv_file(text)).status_code == 302
    assert PathwayEvent.objects.filter(participant=world.participant_a).count() == 4


def _benefit_months(first: int, last: int) -> str:
    return "\n".join([E_HEADER + ",benefit_month,benefit_type"] + [
        f"{CPR_A},benefit_status,{2019 + m // 12}-{m % 12 + 1:02d}-01,,,,,"
        f"{2019 + m // 12}-{m % 12 + 1:02d}-01,kontanthjaelp"
        for m in range(first, last + 1)])  # m months after January 2019


def _import_queries(client, text: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = upload(client, "events", csv_file(text))
    assert response.status_code == 302, response.context["result"].problems
    return len(captured)


def test_an_event_file_costs_the_same_queries_for_two_rows_of_a_participant_and_for_ten(world):
    # a participant's events are read once per file, not once per row (100,000 rows)
    client = world.client_for("owner")
    two = _import_queries(client, _benefit_months(3, 4))
    ten = _import_queries(client, _benefit_months(5, 14))
    assert PathwayEvent.objects.filter(participant=world.participant_a,
                                       kind="benefit_status").count() == 12
    assert ten == two


def test_an_event_file_costs_the_same_queries_for_one_participant_and_for_four(world):
    # the participants of a file and their events are looked up together, not one by one
    cprs = [f"15038{i}1234" for i in range(4)]
    for i, cpr in enumerate(cprs):
        make_participant(world.partnership_a, cpr, world.owner, name=f"P {i}")
    client = world.client_for("owner")

    def induction(who: list[str]) -> str:
        return "\n".join([E_HEADER] + [f"{cpr},induction_start,2019-04-01,,,," for cpr in who])

    one = _import_queries(client, induction(cprs[:1]))
    four = _import_queries(client, induction([*cprs[1:], CPR_A]))
    assert PathwayEvent.objects.filter(kind="induction_start").count() == 5
    assert four == one


def test_a_job_end_before_its_start_in_a_file_is_refused_with_the_row(world):
    text = "\n".join([E_HEADER, f"{CPR_A},employment_end,2019-03-05,,,,"])
    response = upload(world.client_for("owner"), "events", csv_file(text))
    problems = response.context["result"].problems
    assert [(p.row, p.column) for p in problems] == [(2, "kind")]


def test_a_problem_names_the_file_s_own_column(world):
    text = "\n".join([E_HEADER, f"{CPR_A},employment_start,2019-04-01,,,,",
                      f"{CPR_A},cancellation,2019-04-02,,,,"])
    response = upload(world.client_for("owner"), "events", csv_file(text))
    columns = {p.column for p in response.context["result"].problems}
    assert {"employer_cvr", "corrects_id"} <= columns, columns
    assert not columns & {"employer", "corrects"}


def test_events_for_another_municipality_s_citizen_are_refused(world):
    text = "\n".join([E_HEADER, f"{CPR_B},induction_start,2019-04-01,,,,"])
    response = upload(world.client_for("owner"), "events", csv_file(text))
    assert response.status_code == 422
    assert PathwayEvent.objects.filter(participant=world.participant_b).count() == 1


def test_an_excel_file_is_read_like_a_csv(world):
    book = Workbook()
    book.active.append(P_HEADER.split(";"))
    book.active.append(good_row(world).split(";"))
    out = io.BytesIO()
    book.save(out)
    file = SimpleUploadedFile("data.xlsx", out.getvalue())
    assert upload(world.client_for("owner"), "participants", file).status_code == 302
    assert Participant.objects.filter(name="Nina").exists()


def test_the_templates_download_with_the_expected_columns(world):
    client = world.client_for("owner")
    text = client.get(reverse("import-template", args=["participants", "csv"])).content.decode()
    assert text.strip() == P_HEADER
    xlsx = client.get(reverse("import-template", args=["events", "xlsx"])).content
    header = next(load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True))
    assert header[:3] == ("cpr", "kind", "occurred_on")


def test_a_file_over_the_row_limit_is_refused_when_the_limit_is_passed(monkeypatch):
    """A file of millions of (blank) lines is refused after MAX_ROWS + 1 rows are read,
    not after every row has been held in memory."""
    import pytest

    from brobygger.web.pathways import importing

    monkeypatch.setattr(importing, "MAX_ROWS", 5)
    taken = 0

    def lines():
        nonlocal taken
        yield ["cpr", "kind", "occurred_on"]
        while True:
            taken += 1
            assert taken <= 6, "the reader went on past the row limit"
            yield [""]

    with pytest.raises(importing.FileError, match=r"\b5\b"):
        importing._as_dicts(lines())
    assert taken == 6
    # and through the CSV reader: 5 rows pass, 6 do not
    header = "cpr;kind;occurred_on\n"
    assert len(importing.read_rows("a.csv", (header + "\n" * 5).encode())) == 5
    with pytest.raises(importing.FileError):
        importing.read_rows("a.csv", (header + "\n" * 6).encode())


def test_referral_and_consent_dates_no_registration_can_have_are_listed_by_row(world):
    born_2005 = "0101054123"
    rows = [good_row(world).replace("15-01-2020", "01-01-1900"),
            good_row(world, cpr=CPR_A, name="A").replace(";2020-01-15", ";9999-12-31"),
            good_row(world, cpr=born_2005, name="B").replace("15-01-2020", "01-06-2004")]
    response = upload(world.client_for("owner"), "participants", participants_csv(world, *rows))
    assert response.status_code == 422
    problems = response.context["result"].problems
    assert [(p.row, p.column) for p in problems] == [
        (2, "referred_on"), (3, "consent_given_on"), (4, "referred_on")]
    assert not Participant.objects.filter(name__in=["Nina", "B"]).exists()


def test_a_referral_after_the_programme_is_refused_by_row(world):
    rows = [good_row(world), good_row(world, cpr=CPR_B, name="Late").replace(
        "15-01-2020", "01-03-2023")]
    response = upload(world.client_for("owner"), "participants", participants_csv(world, *rows))
    assert response.status_code == 422
    [problem] = response.context["result"].problems
    assert (problem.row, problem.column) == (3, "referred_on")
    assert "uden for partnerskabets periode" in problem.message
    assert not Participant.objects.filter(name__in=["Nina", "Late"]).exists()


class Keeping(FileUploadHandler):
    """An upload handler after the limit's, counting the bytes it is given."""

    kept: ClassVar[list[int]] = []

    def receive_data_chunk(self, raw_data, start):
        self.kept.append(len(raw_data))
        return raw_data

    def file_complete(self, file_size):
        return None


# past the limit as its bytes arrive (5,000), and as the request's declared length says
@pytest.mark.parametrize("size", [5_000, 200_000])
def test_a_file_over_the_size_limit_is_refused_as_it_arrives(world, settings, size):
    settings.MAX_UPLOAD_BYTES = 1_000
    settings.FILE_UPLOAD_HANDLERS = [settings.FILE_UPLOAD_HANDLERS[0],
                                     "tests.web.test_import.Keeping"]
    Keeping.kept = []
    rows = [good_row(world, cpr=CPR_NEW, name="N" * (size // 40))] * 40
    response = upload(world.client_for("owner"), "participants",
                      participants_csv(world, *rows))
    assert response.status_code == 422
    assert "Filen er større end 0 MB." in response.content.decode()
    assert Keeping.kept == []  # nothing of it went on to be kept
    assert not Participant.objects.filter(name__startswith="NNN").exists()


def test_an_excel_file_that_unpacks_to_too_much_is_refused_before_it_is_opened(
        world, monkeypatch):
    import zipfile

    from brobygger.web.pathways import importing

    monkeypatch.setattr(importing, "MAX_XLSX_UNPACKED", 1_000_000)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/sharedStrings.xml", b"<a>" + b"x" * 2_000_000 + b"</a>")
    assert len(out.getvalue()) < 10_000  # a small file that unpacks to 2 MB
    opened = []
    monkeypatch.setattr("openpyxl.load_workbook", lambda *a, **k: opened.append(1))
    response = upload(world.client_for("owner"), "participants",
                      SimpleUploadedFile("bomb.xlsx", out.getvalue()))
    assert response.status_code == 422
    assert ("Excel-filen fylder mere end 0 MB, når den pakkes ud. Gem den som CSV."
            in response.content.decode())
    assert not opened


def test_a_cell_past_its_field_s_limits_is_a_row_problem_not_a_crash(world):
    rows = [good_row(world, name="N" * 201),
            good_row(world, cpr=CPR_B, name="Long").replace(";80;", ";5201;"),
            good_row(world, cpr="1203951112", name="Huge").replace(";80;", ";99999999999;")]
    response = upload(world.client_for("owner"), "participants", participants_csv(world, *rows))
    assert response.status_code == 422
    problems = response.context["result"].problems
    assert [(p.row, p.column) for p in problems] == [
        (2, "name"), (3, "weeks_on_benefit_at_entry"), (4, "weeks_on_benefit_at_entry")]
    assert problems[0].message == "Denne værdi må højst have 200 tegn (den har 201)."
    assert problems[1].message == "Denne værdi skal være mindre end eller lig 5200."
    assert not Participant.objects.filter(name__in=["Long", "Huge"]).exists()


def test_the_import_page_explains_every_column_in_the_page_s_language(world):
    from brobygger.web.pathways import importing

    html = world.client_for("owner").get(URL).content.decode()
    for column in (*importing.PARTICIPANT_COLUMNS, *importing.EVENT_COLUMNS):
        assert f"<code>{column}</code>" in html, column
    assert "Partnerskabets nummer (på dets side)" in html
    assert "Arbejdsgiverens CVR-nummer" in html
    assert "Uddannelse (ISCED)" in html  # the model's own field name
