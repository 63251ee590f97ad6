"""The follow-up queue (/staff/followup/<program>/), the check form and the label sheet as
staff use them: who sees whom, what a call does to the list, audit per opening, bad
input in Japanese, and the queue's queries whatever its length."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from secondcareer.consultations.models import InactivityCheck
from secondcareer.consultations.tests.conftest import another_seeker, record, staff
from secondcareer.core.models import AuditEntry
from secondcareer.devtools.testing.queries import count_queries
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Role, Seeker, User

LAST = dt.date(2027, 1, 9)
TODAY = dt.date(2027, 4, 10)  # 3 months and 1 day after LAST


def as_user(user: User) -> Client:
    return sign_in_staff(Client(), user)


def queue_url(program: str = "saitama") -> str:
    return reverse("consultations_followup:queue", args=[program])


def check_url(seeker: Seeker) -> str:
    return reverse("consultations_followup:check", args=[seeker.program.slug, seeker.pk])


def text(response) -> str:  # type: ignore[no-untyped-def]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


@pytest.fixture
def two_caseloads(saitama, st_consultant, st_consultant2, frozen) -> tuple[Seeker, Seeker]:
    frozen(LAST)
    mine, theirs = another_seeker(saitama, 1), another_seeker(saitama, 2)
    record(mine, st_consultant, LAST)
    record(theirs, st_consultant2, LAST)
    Seeker.objects.filter(pk=mine.pk).update(postal_code="359-0042", address="所沢市並木1-1-1")
    frozen(TODAY)
    return mine, theirs


def test_a_consultant_sees_their_caseload_with_phone_and_a_link_to_log_a_call(
    st_consultant, two_caseloads
):
    mine, theirs = two_caseloads
    response = as_user(st_consultant).get(queue_url())
    assert response.status_code == 200
    page = text(response)
    assert "鈴木 一郎1" in page and "鈴木 一郎2" not in page
    assert mine.phone in page and mine.card_number in page
    assert "2027年1月9日" in page and "未確認" in page
    assert check_url(mine) in response.content.decode()
    assert check_url(theirs) not in response.content.decode()


@pytest.mark.parametrize("role", [Role.MANAGER, Role.RECEPTION])
def test_managers_and_reception_see_the_whole_program(saitama, two_caseloads, role):
    page = text(as_user(staff(saitama, role)).get(queue_url()))
    assert "鈴木 一郎1" in page and "鈴木 一郎2" in page


@pytest.mark.parametrize("role", [Role.MUNICIPALITY, Role.JOB_DEVELOPER])
def test_the_municipality_and_job_developers_get_403(saitama, two_caseloads, role):
    client = as_user(staff(saitama, role))
    mine, _theirs = two_caseloads
    assert client.get(queue_url()).status_code == 403
    assert client.get(check_url(mine)).status_code == 403
    labels = reverse("consultations_followup:labels", args=["saitama"])
    assert client.get(labels).status_code == 403


def test_staff_of_another_program_find_nothing(kobe, two_caseloads):
    client = as_user(staff(kobe, Role.MANAGER))
    mine, _theirs = two_caseloads
    assert client.get(queue_url()).status_code == 404
    assert client.get(check_url(mine)).status_code == 404


def test_another_consultants_seeker_is_a_404_on_the_form(st_consultant, two_caseloads):
    _mine, theirs = two_caseloads
    client = as_user(st_consultant)
    assert client.get(check_url(theirs)).status_code == 404
    response = client.post(
        check_url(theirs), {"method": "phone", "result": "working", "done_on": "2027-04-10"}
    )
    assert response.status_code == 404
    assert not InactivityCheck.objects.exists()


def test_a_reached_call_takes_the_seeker_off_the_queue(st_consultant, two_caseloads):
    mine, _theirs = two_caseloads
    client = as_user(st_consultant)
    response = client.post(
        check_url(mine),
        {
            "method": "phone",
            "result": "working",
            "done_on": "2027-04-10",
            "employer_note": "所沢市内の清掃会社（週3日）",
        },
        follow=True,
    )
    assert response.status_code == 200
    page = text(response)
    assert "連絡がつき、「就労中」と記録しました" in page
    assert "鈴木 一郎1" not in page.split("連絡がつき")[1]
    check = InactivityCheck.objects.get()
    assert (check.checked_by, check.result, check.reached) == (st_consultant, "working", True)


def test_an_unreachable_call_keeps_the_seeker_on_the_queue_with_the_result(
    st_consultant, two_caseloads
):
    mine, _theirs = two_caseloads
    client = as_user(st_consultant)
    client.post(
        check_url(mine), {"method": "phone", "result": "unreachable", "done_on": "2027-04-10"}
    )
    page = text(client.get(queue_url()))
    assert "鈴木 一郎1" in page and "連絡つかず（電話）" in page
    # Not "due" again until the retry interval has passed.
    assert "鈴木 一郎1" not in text(client.get(queue_url(), {"due": "1"}))


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"method": "fax", "result": "working", "done_on": "2027-04-10"}, "一覧にある確認の方法"),
        ({"method": "phone", "result": "", "done_on": "2027-04-10"}, "一覧にある就職状況"),
        ({"method": "phone", "result": "working", "done_on": "4/10"}, "「2026-12-03」の形"),
        ({"method": "phone", "result": "working", "done_on": "2027-04-11"}, "今日以前の日付"),
        ({"method": "phone", "result": "working"}, "実施日を入力してください"),
    ],
)
def test_bad_input_is_refused_in_japanese_on_the_form(st_consultant, two_caseloads, data, message):
    mine, _theirs = two_caseloads
    response = as_user(st_consultant).post(check_url(mine), data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not InactivityCheck.objects.exists()


def test_reception_logs_a_call_but_sees_no_notes(saitama, st_consultant, two_caseloads):
    mine, _theirs = two_caseloads
    as_user(st_consultant).post(
        check_url(mine),
        {
            "method": "postcard",
            "result": "searching",
            "done_on": "2027-04-10",
            "next_action": "面接会の案内を送る",
        },
    )
    consultant_page = as_user(st_consultant).get(check_url(mine)).content.decode()
    assert "面接会の案内を送る" in consultant_page
    reception = as_user(staff(saitama, Role.RECEPTION))
    page = reception.get(check_url(mine)).content.decode()
    assert "求職中" in page and "面接会の案内を送る" not in page
    response = reception.post(
        check_url(mine), {"method": "phone", "result": "stopped", "done_on": "2027-04-10"}
    )
    assert response.status_code == 302
    assert InactivityCheck.objects.count() == 2


def test_each_opening_of_the_queue_audits_the_seekers_shown(st_consultant, two_caseloads):
    mine, _theirs = two_caseloads
    client = as_user(st_consultant)
    for _ in range(2):
        client.get(queue_url())
    entries = AuditEntry.objects.filter(note="followup", action="view")
    assert [e.object_id for e in entries] == [str(mine.pk)] * 2
    client.get(check_url(mine))
    assert AuditEntry.objects.filter(
        object_type="people.seeker", object_id=str(mine.pk), note="", action="view"
    ).exists()


def test_the_label_sheet_has_those_without_a_phone_or_not_reached(
    saitama, st_consultant, two_caseloads
):
    from io import BytesIO

    from pypdf import PdfReader

    mine, _theirs = two_caseloads
    client = as_user(st_consultant)
    labels = reverse("consultations_followup:labels", args=["saitama"])
    # The one seeker with an address has a phone and has not been called yet: no label.
    response = client.get(labels)
    assert response.status_code == 302
    client.post(
        check_url(mine), {"method": "phone", "result": "unreachable", "done_on": "2027-04-10"}
    )
    response = client.get(labels)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text_of_pdf = "".join(p.extract_text() for p in PdfReader(BytesIO(response.content)).pages)
    assert "鈴木 一郎1" in text_of_pdf and "所沢市並木1-1-1" in text_of_pdf
    exported = AuditEntry.objects.filter(note="followup labels", action="export")
    assert [e.object_id for e in exported] == [str(mine.pk)]


def test_kobe_has_no_follow_up_queue_and_no_nav_entry(kobe):
    client = as_user(staff(kobe, Role.MANAGER))
    response = client.get(queue_url("kobe"))
    assert response.status_code == 200
    assert "設定されていません" in response.content.decode()
    home = client.get(reverse("workspace:home")).content.decode()
    nav = home.split('class="staff-nav"')[1].split("</nav>")[0]
    assert "/staff/followup/" not in nav


def test_the_nav_links_the_queue_in_saitama(st_consultant, two_caseloads):
    home = as_user(st_consultant).get(reverse("workspace:home")).content.decode()
    nav = home.split('class="staff-nav"')[1].split("</nav>")[0]
    assert queue_url() in nav


def test_the_queue_costs_the_same_queries_for_1_seeker_or_30(
    saitama, st_manager, st_consultant, frozen
):
    frozen(LAST)
    record(another_seeker(saitama, 1), st_consultant, LAST)
    frozen(TODAY)
    client = as_user(st_manager)
    client.get(queue_url())
    few = count_queries(client, queue_url())
    frozen(LAST)
    for n in range(2, 31):
        seeker = another_seeker(saitama, n)
        record(seeker, st_consultant, LAST)
    frozen(TODAY)
    client = as_user(st_manager)
    client.get(queue_url())
    many = count_queries(client, queue_url())
    assert few == many, (few, many)
    assert "30人" in text(client.get(queue_url()))
