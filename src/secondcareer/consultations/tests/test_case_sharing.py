"""A case shared with another consultant of the program: they see it as its consultant
does (case page, notes, lists, API, chat) until the share is ended; only a manager or
the case's own consultant shares; the history stays; each opening is audited once."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from secondcareer.consultations.models import Case, CaseShare
from secondcareer.consultations.services import case_close, case_share, case_share_revoke
from secondcareer.consultations.tests.conftest import record, staff
from secondcareer.core.errors import DomainError
from secondcareer.core.models import AuditEntry
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Role, User

DAY = dt.date(2027, 1, 7)
NOTE = "家族の事情で勤務日を週2日に減らしたいとの相談。"


def as_user(user: User) -> Client:
    return sign_in_staff(Client(), user)


def case_views(case: Case) -> int:
    return AuditEntry.objects.filter(
        object_type="consultations.case", object_id=str(case.pk), action="view"
    ).count()


@pytest.fixture
def case(saitama: Any, st_seeker: Any, st_consultant: User, frozen: Any) -> Case:
    frozen(DAY)
    record(st_seeker, st_consultant, DAY, notes=NOTE)
    return Case.objects.get(seeker=st_seeker)


def detail(case: Case) -> str:
    return reverse("consultations:case_detail", args=["saitama", case.pk])


def test_a_shared_consultant_opens_the_case_with_its_notes_until_the_share_ends(
    case, st_consultant, st_consultant2, saitama
):
    other = staff(saitama, Role.CONSULTANT, "-other")
    assert as_user(st_consultant2).get(detail(case)).status_code == 404

    share = case_share(case=case, shared_with=st_consultant2, actor=st_consultant, reason="休暇中")
    response = as_user(st_consultant2).get(detail(case))
    assert response.status_code == 200
    assert NOTE in response.content.decode()
    assert as_user(other).get(detail(case)).status_code == 404  # not shared with them

    case_share_revoke(share=share, actor=st_consultant)
    assert as_user(st_consultant2).get(detail(case)).status_code == 404
    assert as_user(other).get(detail(case)).status_code == 404
    # The assigned consultant kept the case all along.
    assert as_user(st_consultant).get(detail(case)).status_code == 200


def test_the_shared_case_is_in_the_consultants_list_and_api_until_revoked(
    case, st_consultant, st_consultant2
):
    share = case_share(case=case, shared_with=st_consultant2, actor=st_consultant)
    client = as_user(st_consultant2)
    listing = client.get(reverse("consultations:case_list", args=["saitama"])).content.decode()
    assert "山田 太郎" in listing
    cases = client.get("/api/cases", {"program": "saitama"}).json()
    assert [c["id"] for c in cases] == [case.pk]
    records = client.get("/api/consultations", {"program": "saitama"}).json()
    assert [r["notes"] for r in records] == [NOTE]
    assert client.get(f"/api/cases/{case.pk}/plans").status_code == 200

    case_share_revoke(share=share, actor=st_consultant)
    listing = client.get(reverse("consultations:case_list", args=["saitama"])).content.decode()
    assert "山田 太郎" not in listing
    assert client.get("/api/cases", {"program": "saitama"}).json() == []
    assert client.get("/api/consultations", {"program": "saitama"}).json() == []
    assert client.get(f"/api/cases/{case.pk}/plans").status_code == 404


def test_the_shared_consultant_may_open_the_seekers_chat_until_revoked(
    case, st_consultant, st_consultant2
):
    url = reverse("chat:open_for_case", args=["saitama", case.pk])
    assert as_user(st_consultant2).post(url).status_code == 404
    share = case_share(case=case, shared_with=st_consultant2, actor=st_consultant)
    response = as_user(st_consultant2).post(url)
    assert response.status_code == 302
    thread_url = response["Location"]
    assert as_user(st_consultant2).get(thread_url).status_code == 200
    case_share_revoke(share=share, actor=st_consultant)
    assert as_user(st_consultant2).get(thread_url).status_code == 404
    assert as_user(st_consultant2).post(url).status_code == 404


def test_the_consultant_shares_from_the_case_page_and_ends_it_there(
    case, st_consultant, st_consultant2
):
    client = as_user(st_consultant)
    page = client.get(detail(case)).content.decode()
    assert "ケースの共有" in page and "共有する" in page
    response = client.post(
        reverse("consultations:case_share", args=["saitama", case.pk]),
        {"consultant": st_consultant2.pk, "reason": "担当の不在時の対応"},
    )
    assert response.status_code == 302
    share = CaseShare.objects.get(case=case)
    assert (share.shared_with, share.shared_by, share.reason) == (
        st_consultant2,
        st_consultant,
        "担当の不在時の対応",
    )
    page = client.get(response["Location"]).content.decode()
    assert f"このケースを{st_consultant2.get_username()}さんと共有しました。" in page
    assert f"{st_consultant2.get_username()}さんとの共有を終了する" in page

    response = client.post(
        reverse("consultations:case_share_revoke", args=["saitama", case.pk, share.pk])
    )
    assert response.status_code == 302
    share.refresh_from_db()
    assert share.ended_at is not None and share.ended_by == st_consultant
    # History stays: sharing again is a new row beside the ended one.
    case_share(case=case, shared_with=st_consultant2, actor=st_consultant)
    assert CaseShare.objects.filter(case=case).count() == 2
    assert CaseShare.objects.filter(case=case, ended_at__isnull=True).count() == 1


def test_a_manager_shares_and_revokes_any_case_of_the_program(
    case, st_consultant, st_consultant2, st_manager
):
    share = case_share(case=case, shared_with=st_consultant2, actor=st_manager)
    assert as_user(st_consultant2).get(detail(case)).status_code == 200
    case_share_revoke(share=share, actor=st_manager)
    assert as_user(st_consultant2).get(detail(case)).status_code == 404


@pytest.mark.parametrize("role", [Role.RECEPTION, Role.JOB_DEVELOPER, Role.MANAGER])
def test_only_a_consultant_of_the_program_can_be_chosen(case, st_consultant, saitama, role):
    somebody = staff(saitama, role, "-x")
    with pytest.raises(DomainError) as refused:
        case_share(case=case, shared_with=somebody, actor=st_consultant)
    assert refused.value.message == "共有できるのは、この事業のキャリアコンサルタントだけです。"
    assert not CaseShare.objects.exists()


def test_a_consultant_of_another_program_cannot_be_chosen(case, st_consultant, kobe):
    kobe_consultant = staff(kobe, Role.CONSULTANT)
    with pytest.raises(DomainError, match="この事業のキャリアコンサルタントだけです"):
        case_share(case=case, shared_with=kobe_consultant, actor=st_consultant)
    response = as_user(st_consultant).post(
        reverse("consultations:case_share", args=["saitama", case.pk]),
        {"consultant": kobe_consultant.pk},
        follow=True,
    )
    assert "共有できるのは、この事業のキャリアコンサルタントだけです。" in response.content.decode()
    assert not CaseShare.objects.exists()
    assert as_user(kobe_consultant).get(detail(case)).status_code == 404


def test_sharing_with_the_cases_own_consultant_or_twice_is_refused(
    case, st_consultant, st_consultant2
):
    with pytest.raises(DomainError, match="このケースの担当です"):
        case_share(case=case, shared_with=st_consultant, actor=st_consultant)
    case_share(case=case, shared_with=st_consultant2, actor=st_consultant)
    with pytest.raises(DomainError, match="すでに共有しています") as again:
        case_share(case=case, shared_with=st_consultant2, actor=st_consultant)
    assert again.value.status == 409
    assert CaseShare.objects.count() == 1


def test_reception_cannot_share_and_a_shared_consultant_cannot_share_further(
    case, st_consultant, st_consultant2, saitama
):
    url = reverse("consultations:case_share", args=["saitama", case.pk])
    third = staff(saitama, Role.CONSULTANT, "-3")
    for role in (Role.RECEPTION, Role.JOB_DEVELOPER, Role.MUNICIPALITY):
        user = staff(saitama, role)
        assert as_user(user).post(url, {"consultant": third.pk}).status_code == 403, role
        with pytest.raises(DomainError) as refused:
            case_share(case=case, shared_with=third, actor=user)
        assert refused.value.status == 403
    page = as_user(staff(saitama, Role.RECEPTION, "-2")).get(detail(case)).content.decode()
    assert "ケースの共有" not in page

    share = case_share(case=case, shared_with=st_consultant2, actor=st_consultant)
    with pytest.raises(DomainError, match="担当のキャリアコンサルタントと運営管理責任者だけ"):
        case_share(case=case, shared_with=third, actor=st_consultant2)
    with pytest.raises(DomainError, match="担当のキャリアコンサルタントと運営管理責任者だけ"):
        case_share_revoke(share=share, actor=st_consultant2)
    page = as_user(st_consultant2).get(detail(case)).content.decode()
    assert "共有を終了する" not in page and 'name="consultant"' not in page
    assert CaseShare.objects.filter(ended_at__isnull=True).count() == 1


def test_each_opening_of_a_shared_case_writes_one_audit_entry_and_shares_are_logged(
    case, st_consultant, st_consultant2
):
    share = case_share(case=case, shared_with=st_consultant2, actor=st_consultant)
    before = case_views(case)
    client = as_user(st_consultant2)
    client.get(detail(case))
    client.get(detail(case))
    assert case_views(case) == before + 2
    case_share_revoke(share=share, actor=st_consultant)
    client.get(detail(case))  # refused: 404, no entry
    assert case_views(case) == before + 2
    logged = AuditEntry.objects.filter(object_type="consultations.caseshare").order_by("id")
    assert [(e.action, e.note) for e in logged] == [("create", "share"), ("update", "share_revoke")]


def test_a_closed_case_cannot_be_shared(case, st_consultant, st_consultant2):
    case_close(case=case, actor=st_consultant, on=DAY)
    with pytest.raises(DomainError, match="終結したケース"):
        case_share(case=case, shared_with=st_consultant2, actor=st_consultant)


def test_the_shared_consultant_sees_the_cases_review_in_the_api_until_revoked(
    case, st_consultant, st_consultant2
):
    query = {"program": "saitama", "due_before": "2027-12-31"}
    assert as_user(st_consultant2).get("/api/reviews", query).json() == []
    share = case_share(case=case, shared_with=st_consultant2, actor=st_consultant)
    reviews = as_user(st_consultant2).get("/api/reviews", query).json()
    assert [(r["case_id"], r["due"]) for r in reviews] == [(case.pk, "2027-04-07")]
    case_share_revoke(share=share, actor=st_consultant)
    assert as_user(st_consultant2).get("/api/reviews", query).json() == []
