"""The internship screens: the list says what each internship still lacks; the detail
records consents and insurance, confirms, and gives the plan PDF. Job developers and
managers manage, a consultant reads their caseload's, reception and the municipality
get 403, another program 404; every page that names a participant is audited."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.urls import reverse
from pypdf import PdfReader

from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditEntry
from secondcareer.people.models import Role
from secondcareer.placements.internship_models import (
    ConsentParty,
    Internship,
    InternshipKind,
    InternshipStatus,
)
from secondcareer.placements.tests.internship_helpers import (
    DAY,
    both_consents,
    caseload,
    employer,
    insure,
    internship,
    participant,
    staff,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with time_machine.travel(dt.datetime(2026, 11, 20, 12, tzinfo=TOKYO), tick=False):
        yield


@pytest.fixture
def item(saitama):  # type: ignore[no-untyped-def]
    return internship(saitama)


def url(name: str, item: Internship) -> str:
    if name == "list":
        return reverse("placements_internships:list", args=[item.program.slug])
    return reverse(f"placements_internships:{name}", args=[item.program.slug, item.pk])


def pdf_text(content: bytes) -> str:
    return "".join("".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(content)).pages)


PAGES = ["list", "detail", "plan_pdf"]
POSTS = {
    "consent": {"party": "participant", "given_on": "2026-11-18"},
    "insurance": {
        "policy_name": "インターンシップ保険",
        "insurer": "あおぞら損害保険",
        "coverage_start": "2026-12-08",
        "coverage_end": "2026-12-09",
    },
    "confirm": {},
}


@pytest.mark.parametrize("role", [Role.JOB_DEVELOPER, Role.MANAGER])
def test_job_developers_and_managers_see_and_manage(saitama, item, client_for, role):
    client = client_for(staff(saitama, role))
    for name in PAGES:
        assert client.get(url(name, item)).status_code == 200, name
    for name, data in POSTS.items():
        assert client.post(url(name, item), data).status_code == 302, name


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.MUNICIPALITY])
def test_reception_and_the_municipality_get_403(saitama, item, client_for, role):
    client = client_for(staff(saitama, role))
    for name in PAGES:
        assert client.get(url(name, item)).status_code == 403, name
    for name, data in POSTS.items():
        assert client.post(url(name, item), data).status_code == 403, name
    assert client.get(reverse("placements_internships:new", args=[saitama.slug])).status_code == 403


def test_staff_of_another_program_get_404(saitama, kobe, item, client_for):
    client = client_for(staff(kobe, Role.MANAGER))
    for name in PAGES:
        assert client.get(url(name, item)).status_code == 404, name
    for name, data in POSTS.items():
        assert client.post(url(name, item), data).status_code == 404, name


def test_a_consultant_reads_their_caseloads_internships_only(saitama, item, client_for):
    mine = staff(saitama, Role.CONSULTANT)
    other = internship(saitama, seeker=participant(saitama, 1))
    caseload(item.participant, mine)
    client = client_for(mine)
    page = client.get(url("list", item))
    assert page.status_code == 200
    assert "髙橋 美智子" in page.text
    assert "佐藤 次郎1" not in page.text
    assert client.get(url("detail", item)).status_code == 200
    assert client.get(url("plan_pdf", item)).status_code == 200
    assert client.get(url("detail", other)).status_code == 404
    # reading is all: no consent, insurance or confirmation
    for name, data in POSTS.items():
        assert client.post(url(name, item), data).status_code == 403, name
    assert "同意を記録する" not in client.get(url("detail", item)).text


def test_the_list_says_what_each_internship_still_lacks(saitama, client_for):
    manager = staff(saitama, Role.MANAGER)
    bare = internship(saitama, content="")
    ready = internship(
        saitama, kind=InternshipKind.OBSERVATION, days=1, seeker=participant(saitama, 1)
    )
    both_consents(ready)
    page = client_for(manager).get(url("list", bare)).text
    assert page.count("参加者の同意") == 1  # only the bare one lacks it
    assert "受入事業所の同意" in page
    assert "保険の加入（職場体験には必要です）" in page
    assert "計画書の記載（実施内容）" in page
    assert "なし" in page  # the observation with both consents lacks nothing
    entries = AuditEntry.objects.filter(note="internships", actor_id=manager.pk)
    assert sorted(entries.values_list("object_id", flat=True)) == sorted(
        [str(bare.participant_id), str(ready.participant_id)]
    )


def test_recording_consents_and_insurance_then_confirming_on_the_detail_page(
    saitama, item, client_for
):
    developer = staff(saitama, Role.JOB_DEVELOPER)
    client = client_for(developer)
    refused = client.post(url("confirm", item), follow=True)
    assert "インターンシップを確定できません。足りないもの：参加者の同意" in refused.text
    client.post(url("consent", item), {"party": "participant", "given_on": "2026-11-18"})
    client.post(
        url("consent", item),
        {"party": "employer", "given_on": "2026-11-19", "given_by": "鈴木 一郎"},
    )
    client.post(url("insurance", item), POSTS["insurance"])
    done = client.post(url("confirm", item), follow=True)
    assert "インターンシップを確定しました。" in done.text
    item.refresh_from_db()
    assert item.status == InternshipStatus.CONFIRMED
    assert item.confirmed_by == developer
    assert set(item.consents.values_list("party", "recorded_by")) == {
        (ConsentParty.PARTICIPANT, developer.pk),
        (ConsentParty.EMPLOYER, developer.pk),
    }


def test_bad_input_is_refused_in_japanese_and_nothing_is_written(saitama, item, client_for):
    client = client_for(staff(saitama, Role.JOB_DEVELOPER))
    future = client.post(url("consent", item), {"party": "employer", "given_on": "2026-12-01"})
    assert future.status_code == 400
    assert "同意日に未来の日付は指定できません。" in future.text
    wrong = client.post(url("consent", item), {"party": "nobody", "given_on": "昨日"})
    assert wrong.status_code == 400
    assert "参加者か受入事業所を選んでください。" in wrong.text
    assert "同意日を「2026-12-10」の形で入力してください。" in wrong.text
    backwards = client.post(
        url("insurance", item), {**POSTS["insurance"], "coverage_end": "2026-12-01"}
    )
    assert backwards.status_code == 400
    assert "補償の終了日は開始日と同じか、それより後の日にしてください。" in backwards.text
    assert not item.consents.exists()
    assert not hasattr(Internship.objects.get(pk=item.pk), "insurance")


def test_the_plan_pdf_names_both_sides_and_says_there_is_no_employment(saitama, item, client_for):
    insure(item)
    manager = staff(saitama, Role.MANAGER)
    response = client_for(manager).get(url("plan_pdf", item))
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    assert "髙橋美智子" in text
    assert "株式会社みどり介護サービス" in text
    assert "労働基準法第9条に規定する労働者には当たらず" in text
    assert "雇用関係は生じません" in text
    assert "あおぞら損害保険株式会社" in text
    assert AuditEntry.objects.filter(
        actor_id=manager.pk, object_id=str(item.participant_id), action="view"
    ).exists()


def test_the_detail_page_is_audited_once_per_opening(saitama, item, client_for):
    manager = staff(saitama, Role.MANAGER)
    client = client_for(manager)
    client.get(url("detail", item))
    client.get(url("detail", item))
    assert (
        AuditEntry.objects.filter(actor_id=manager.pk, object_id=str(item.participant_id)).count()
        == 2
    )


def test_a_new_internship_from_the_screen(saitama, client_for):
    host = employer(saitama)
    seeker = participant(saitama)
    client = client_for(staff(saitama, Role.JOB_DEVELOPER))
    new = reverse("placements_internships:new", args=[saitama.slug])
    assert client.get(new).status_code == 200
    data = {
        "kind": "work_experience",
        "card_number": seeker.card_number,
        "employer": str(host.pk),
        "start_on": "2026-12-08",
        "end_on": "2026-12-11",
    }
    too_long = client.post(new, data)
    assert too_long.status_code == 400
    assert "インターンシップの期間は1日から3日までです（4日になっています）。" in too_long.text
    unknown = client.post(new, {**data, "card_number": "XX-0000"})
    assert "この事業の利用者カード番号を入力してください。" in unknown.text
    assert not Internship.objects.exists()
    made = client.post(new, {**data, "end_on": "2026-12-10"})
    assert made.status_code == 302
    item = Internship.objects.get()
    assert (item.participant, item.employer, item.days[-1]) == (
        seeker,
        host,
        DAY + dt.timedelta(days=2),
    )
    assert item.host_contact == host.contacts.first()


def test_the_list_does_not_query_per_internship(saitama, client_for, django_assert_max_num_queries):
    from secondcareer.devtools.testing.queries import same_count_with_more_rows

    manager = staff(saitama, Role.MANAGER)
    host = employer(saitama)
    both_consents(internship(saitama, host=host))

    def grow() -> None:
        for n in range(1, 8):
            item = internship(saitama, host=host, seeker=participant(saitama, n))
            both_consents(item)
            insure(item)

    client = client_for(manager)
    # session, user, device, roles; the count, the page (internships with participant,
    # employer and insurance), their consents; the audit entries; the messages
    same_count_with_more_rows(
        client,
        reverse("placements_internships:list", args=[saitama.slug]),
        None,
        grow,
        12,
        django_assert_max_num_queries,
    )


def test_the_staff_home_links_the_list_for_those_who_may_see_it(saitama, client_for):
    link = reverse("placements_internships:list", args=[saitama.slug])
    assert link in client_for(staff(saitama, Role.JOB_DEVELOPER)).get("/staff/").text
    assert link not in client_for(staff(saitama, Role.RECEPTION)).get("/staff/").text
