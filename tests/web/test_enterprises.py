"""Accelerator enterprise pages: growth over time, in Danish number format."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from brobygger.web.accelerator.models import Enrolment, GrowthFigure, Milestone

LIST = reverse("enterprise-list")


@pytest.fixture
def growth(world):
    enrolment = Enrolment.objects.create(enterprise=world.enterprise_a, cohort="Hold 1",
                                         starts_on=dt.date(2018, 9, 1))
    Milestone.objects.create(enrolment=enrolment, name="Forretningsplan",
                             due_on=dt.date(2018, 12, 1))
    return GrowthFigure.objects.create(
        enterprise=world.enterprise_a, period_start=dt.date(2019, 1, 1),
        period_end=dt.date(2019, 12, 31), revenue=Decimal("1234567"), fte=Decimal("7.5"),
    )


def detail(world):
    return reverse("enterprise-detail", args=[world.enterprise_a.pk])


def test_the_enterprise_sees_its_growth_in_danish_number_format(world, growth):
    html = world.client_for("enterprise").get(detail(world)).content.decode()
    assert "1.234.567" in html
    assert "7,5" in html
    assert "Forretningsplan" in html


def test_in_english_the_numbers_use_english_separators(world, growth):
    client = world.client_for("enterprise")
    client.cookies["django_language"] = "en"
    html = client.get(detail(world)).content.decode()
    assert "1,234,567" in html and "Growth" in html


@pytest.mark.parametrize("persona", ["owner", "actor", "enterprise", "operator"])
def test_the_partnership_members_see_the_enterprise(world, growth, persona):
    client = world.client_for(persona)
    assert "Café A" in client.get(LIST).content.decode()
    assert client.get(detail(world)).status_code == 200


def test_it_refuses_an_outsider_with_404(world, growth):
    client = world.client_for("outsider")
    assert "Café A" not in client.get(LIST).content.decode()
    assert client.get(detail(world)).status_code == 404


def test_anonymous_visitors_are_sent_to_the_login(world):
    assert world.client_for("anonymous").get(LIST).status_code == 302
    assert world.client_for("anonymous").get(detail(world)).status_code == 302


FIGURE = {"period_start": "2020-01-01", "period_end": "2020-12-31", "revenue": "2500000",
          "fte": "9", "education_places": "1", "internship_places": "2",
          "ordinary_hires": "1", "vulnerable_hires": "3"}


def growth_url(world):
    return reverse("growth-create", args=[world.enterprise_a.pk])


def test_the_enterprise_registers_growth_figures_and_sees_them(world):
    client = world.client_for("enterprise")
    response = client.post(growth_url(world), FIGURE, follow=True)
    assert "2.500.000" in response.content.decode()
    assert GrowthFigure.objects.get().registered_by == world.enterprise


def test_a_period_ending_before_it_starts_is_refused_with_the_reason(world):
    response = world.client_for("enterprise").post(
        growth_url(world), {**FIGURE, "period_end": "2019-12-31"})
    assert "Perioden slutter før den starter" in response.content.decode()
    assert not GrowthFigure.objects.exists()


def test_the_municipality_may_read_but_not_report_an_enterprise_s_growth(world):
    assert world.client_for("owner").post(growth_url(world), FIGURE).status_code == 403
    assert not GrowthFigure.objects.exists()


def test_an_outsider_cannot_report_growth_for_another_enterprise(world):
    assert world.client_for("outsider").post(growth_url(world), FIGURE).status_code == 404


def test_a_period_overlapping_one_already_reported_is_refused_not_counted_twice(world, growth):
    response = world.client_for("enterprise").post(
        growth_url(world), {**FIGURE, "period_start": "2019-07-01", "period_end": "2020-06-30"})
    assert response.status_code == 200
    assert ("Der er allerede registreret tal for 01.01.2019 til 31.12.2019, som overlapper "
            "denne periode." in response.content.decode())
    assert GrowthFigure.objects.count() == 1
    after = world.client_for("enterprise").post(growth_url(world), FIGURE)  # the next year
    assert after.status_code == 302 and GrowthFigure.objects.count() == 2


def test_the_api_refuses_an_overlapping_period_too(world, growth):
    from tests.web.api_helpers import api_for

    response = api_for(world, "enterprise").post(
        f"/enterprises/{world.enterprise_a.pk}/growth",
        {"period_start": "2019-12-01", "period_end": "2020-11-30", "revenue": 1, "fte": 1})
    assert response.status_code == 409
    assert "2019-01-01 til 2019-12-31" in str(response.json()["errors"])  # (Danish first)
    assert GrowthFigure.objects.count() == 1


def test_amounts_are_typed_as_the_page_writes_them(world):
    response = world.client_for("enterprise").post(
        growth_url(world), {**FIGURE, "revenue": "4.500.000,50", "fte": "7,5"})
    assert response.status_code == 302, response.content.decode()[:3000]
    figure = GrowthFigure.objects.get()
    assert (figure.revenue, figure.fte) == (Decimal("4500000.50"), Decimal("7.5"))
    form = world.client_for("enterprise").get(growth_url(world)).content.decode()
    assert 'name="revenue"' in form and 'inputmode="decimal"' in form
    english = world.client_for("enterprise")
    english.cookies["django_language"] = "en"
    response = english.post(growth_url(world), {
        **FIGURE, "period_start": "2021-01-01", "period_end": "2021-12-31",
        "revenue": "1,234,567.50", "fte": "7.5"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert GrowthFigure.objects.get(period_start="2021-01-01").revenue == Decimal("1234567.50")


@pytest.mark.parametrize(("start", "end", "field"), [
    ("2098-01-01", "2099-12-31", "period_start"),   # in the future
    ("0001-01-01", "0001-12-31", "period_start"),   # before any registry
])
def test_a_growth_period_no_report_can_have_is_refused(world, start, end, field):
    from tests.web.api_helpers import api_for

    response = api_for(world, "enterprise").post(
        f"/enterprises/{world.enterprise_a.pk}/growth",
        {"period_start": start, "period_end": end, "revenue": 1, "fte": 1})
    assert response.status_code == 422
    assert field in [e["location"] for e in response.json()["errors"]]
    form = world.client_for("enterprise").post(
        growth_url(world), {**FIGURE, "period_start": start, "period_end": end})
    assert form.status_code == 200 and form.context["form"].errors.get(field)
    assert not GrowthFigure.objects.exists()


def _admin_client(world):
    from django.contrib.auth import get_user_model
    from django.test import Client

    superuser = get_user_model().objects.create_superuser("admin", "a@example.org", "x-long-pw")
    client = Client()
    client.force_login(superuser)
    return client


ADMIN_FIGURE = {"revenue": "1000", "fte": "2", "education_places": "0",
                "internship_places": "0", "ordinary_hires": "0", "vulnerable_hires": "0"}


def test_the_admin_refuses_an_overlapping_period_too(world, growth):
    """The secretariat's admin is a way in like the screen and the API: a second period
    over a year already reported would count the enterprise's places and hires twice."""
    response = _admin_client(world).post("/admin/accelerator/growthfigure/add/", {
        **ADMIN_FIGURE, "enterprise": world.enterprise_a.pk,
        "period_start": "01.07.2019", "period_end": "30.06.2020"})
    assert response.status_code == 200
    assert ("Der er allerede registreret tal for 01.01.2019 til 31.12.2019, som overlapper "
            "denne periode." in response.content.decode())
    assert GrowthFigure.objects.count() == 1


def test_the_admin_edits_a_period_without_it_overlapping_itself(world, growth):
    response = _admin_client(world).post(
        f"/admin/accelerator/growthfigure/{growth.pk}/change/", {
            **ADMIN_FIGURE, "enterprise": world.enterprise_a.pk,
            "period_start": "01.01.2019", "period_end": "30.06.2019"})
    assert response.status_code == 302
    growth.refresh_from_db()
    assert growth.period_end == dt.date(2019, 6, 30) and growth.revenue == 1000


def test_the_admin_refuses_negative_revenue(world):
    response = _admin_client(world).post("/admin/accelerator/growthfigure/add/", {
        **ADMIN_FIGURE, "revenue": "-5", "enterprise": world.enterprise_a.pk,
        "period_start": "01.01.2019", "period_end": "31.12.2019"})
    assert response.status_code == 200
    assert "Kan ikke være negativ." in response.content.decode()
    assert not GrowthFigure.objects.exists()
