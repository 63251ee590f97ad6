"""Referrals to public support bodies (Kobe Ⅲ-2: 生活困窮など公的支援が必要なケース): the
bodies come from the preset per area; a hardship topic or hardship words in a record
suggest a referral on the case page with the bodies of the seeker's area; a referral
and later its outcome are recorded there or through the API; consultants and managers
only."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from secondcareer.consultations.hardship import hardship_words
from secondcareer.consultations.models import (
    Case,
    ReferralOutcome,
    SupportBody,
    SupportReferral,
)
from secondcareer.consultations.services import referral_create, referral_outcome_record
from secondcareer.consultations.tests.conftest import record, staff
from secondcareer.core.errors import DomainError
from secondcareer.core.models import AuditEntry
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.people.models import Role, User
from secondcareer.programs.preset_format import PresetInvalid, parse_preset_text
from secondcareer.programs.services import program_load_preset

DAY = dt.date(2027, 1, 7)
ORDINARY = "履歴書の志望動機を添削。職務経歴書は経験を3点に絞って書き直す。"
SUGGESTION = "公的支援機関への紹介を検討してください。"


def as_user(user: User) -> Client:
    return sign_in_staff(Client(), user)


def preset_text(slug: str) -> str:
    return (Path(settings.PROGRAM_PRESET_DIR) / f"{slug}.yaml").read_text(encoding="utf-8")


def detail(case: Case) -> str:
    return reverse("consultations:case_detail", args=[case.program.slug, case.pk])


@pytest.fixture
def case(saitama: Any, st_seeker: Any, st_consultant: User, frozen: Any) -> Case:
    frozen(DAY)
    record(st_seeker, st_consultant, DAY, notes=ORDINARY, topics=["application_documents"])
    return Case.objects.select_related("program").get(seeker=st_seeker)


def jiritsu(program: Any, area: str) -> SupportBody:
    return SupportBody.objects.get(program=program, code=f"{area}_jiritsu")


# --- the preset -----------------------------------------------------------------------------


def test_both_presets_give_each_area_its_bodies_with_contact_details(kobe, saitama):
    for program in (kobe, saitama):
        bodies = SupportBody.objects.filter(program=program).prefetch_related("areas")
        kinds = {b.kind for b in bodies}
        assert kinds == {
            "self_reliance",
            "community_care",
            "hello_work",
            "silver_center",
            "social_welfare",
        }
        for area in program.areas.all():
            serving = [b for b in bodies if not b.areas.all() or area in b.areas.all()]
            assert {"self_reliance", "community_care"} <= {b.kind for b in serving}, area
        assert all(b.phone and b.name for b in bodies)
    chuo = SupportBody.objects.get(program=kobe, code="chuo_kurashi")
    assert (chuo.name, chuo.get_kind_display(), chuo.phone) == (
        "中央区 くらし支援窓口",
        "自立相談支援機関",
        "078-000-0105",
    )
    assert [a.code for a in chuo.areas.all()] == ["chuo"]


def test_loading_the_preset_again_changes_no_body(saitama):
    result = program_load_preset(path_or_name="saitama")
    assert not result.changed


def test_a_body_of_an_unknown_kind_is_refused_in_japanese():
    text = preset_text("kobe").replace(
        "code: kobe_silver, name: 神戸市シルバー人材センター, kind: silver_center",
        "code: kobe_silver, name: 神戸市シルバー人材センター, kind: welfare_office",
    )
    with pytest.raises(PresetInvalid) as refused:
        parse_preset_text(text, file="kobe.yaml")
    [line] = [line for line in refused.value.lines() if "support_bodies" in line]
    assert line.startswith("kobe.yaml: support_bodies[")
    assert "支援機関の種類 'welfare_office' は使えません" in line
    assert "self_reliance, community_care, hello_work, silver_center, social_welfare" in line


def test_a_body_of_an_unknown_area_or_with_a_bad_phone_is_refused():
    text = preset_text("kobe").replace(
        'areas: [nada], phone: "078-000-0103"', 'areas: [atlantis], phone: "12345"'
    )
    with pytest.raises(PresetInvalid) as refused:
        parse_preset_text(text, file="kobe.yaml")
    lines = [line for line in refused.value.lines() if "support_bodies" in line]
    assert any("地域 'atlantis' は定義されていません" in line for line in lines)
    assert any("電話をかける人がダイヤルする形の日本の電話番号" in line for line in lines)


def test_a_body_that_referrals_name_cannot_leave_the_preset(case, st_consultant, tmp_path):
    body = jiritsu(case.program, "tokorozawa")
    referral_create(case=case, body=body, actor=st_consultant, reason="家賃の滞納", on=DAY)
    lines = preset_text("saitama").splitlines(keepends=True)
    path = tmp_path / "saitama.yaml"
    path.write_text("".join(x for x in lines if "code: tokorozawa_jiritsu" not in x))
    with pytest.raises(DomainError, match="公的支援機関への紹介 1件"):
        program_load_preset(path_or_name=str(path))
    assert SupportBody.objects.filter(pk=body.pk).exists()


# --- what suggests a referral -----------------------------------------------------------------


def test_hardship_words_are_found_however_they_are_typed():
    assert hardship_words("家賃を３か月 滞納している") == ["家賃", "滞納"]
    assert hardship_words("ｶﾞｽ代が払えず、生活 保護 の相談も") == ["生活保護", "ガス代"]
    assert hardship_words("ﾗｲﾌﾗｲﾝが止まりそう") == ["ライフライン"]
    assert hardship_words("らいふ らいん") == ["ライフライン"]
    assert hardship_words(ORDINARY, "求人を3件紹介する") == []


def test_a_hardship_topic_suggests_a_referral_with_the_bodies_of_the_seekers_area(
    case, st_seeker, st_consultant
):
    page = as_user(st_consultant).get(detail(case)).content.decode()
    assert SUGGESTION not in page  # an ordinary record suggests nothing

    record(st_seeker, st_consultant, DAY, topics=["living_hardship"], notes="近況を確認。")
    page = as_user(st_consultant).get(detail(case)).content.decode()
    assert SUGGESTION in page
    assert "話題「生活の困りごと」" in page
    assert "所沢市の公的支援機関" in page
    assert "所沢市 生活困窮者自立相談支援窓口" in page and "048-000-0101" in page
    assert "ハローワーク（埼玉県内の公共職業安定所）" in page  # serves every area
    assert "草加市 生活困窮者自立相談支援窓口</td>" not in page  # another municipality


def test_hardship_words_in_the_notes_suggest_a_referral(case, st_seeker, st_consultant):
    record(st_seeker, st_consultant, DAY, notes="家賃を 滞納 しており、食べ物にも困っている。")
    page = as_user(st_consultant).get(detail(case)).content.decode()
    assert SUGGESTION in page
    assert "記録の言葉「家賃」「滞納」「食べ物」" in page


def test_a_referral_answers_the_suggestion_until_a_later_record_suggests_one_again(
    case, st_seeker, st_consultant, frozen
):
    record(st_seeker, st_consultant, DAY, notes="借金の返済に困っている。")
    referral_create(
        case=case, body=jiritsu(case.program, "tokorozawa"), actor=st_consultant, reason="借金"
    )
    page = as_user(st_consultant).get(detail(case)).content.decode()
    assert SUGGESTION not in page
    assert "所沢市 生活困窮者自立相談支援窓口" in page  # the referral is listed
    later = DAY + dt.timedelta(days=14)
    frozen(later)
    record(st_seeker, st_consultant, later, notes="生活保護の申請を考えている。")
    assert SUGGESTION in as_user(st_consultant).get(detail(case)).content.decode()


# --- recording a referral and its outcome ---------------------------------------------------------


def test_a_consultant_records_a_referral_and_later_its_outcome_on_the_case_page(
    case, st_seeker, st_consultant, frozen
):
    record(st_seeker, st_consultant, DAY, topics=["living_hardship"])
    client = as_user(st_consultant)
    body = jiritsu(case.program, "tokorozawa")
    response = client.post(
        reverse("consultations:referral_add", args=["saitama", case.pk]),
        {"body": body.pk, "reason": "家賃の滞納が続いており、家計の相談が必要。"},
    )
    assert response.status_code == 302
    referral = SupportReferral.objects.get(case=case)
    assert (referral.body, referral.referred_on, referral.referred_by) == (body, DAY, st_consultant)
    assert referral.outcome == ReferralOutcome.PENDING
    page = client.get(response["Location"]).content.decode()
    assert "所沢市 生活困窮者自立相談支援窓口への紹介を記録しました。" in page
    assert "家賃の滞納が続いており、家計の相談が必要。" in page and "結果待ち" in page
    assert SUGGESTION not in page

    frozen(DAY + dt.timedelta(days=10))
    client = as_user(st_consultant)
    response = client.post(
        reverse("consultations:referral_outcome", args=["saitama", case.pk, referral.pk]),
        {"outcome": "connected", "note": "窓口で家計改善支援を受け始めた。"},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.outcome, referral.outcome_on, referral.outcome_by) == (
        ReferralOutcome.CONNECTED,
        DAY + dt.timedelta(days=10),
        st_consultant,
    )
    page = client.get(detail(case)).content.decode()
    assert "支援につながった" in page and "窓口で家計改善支援を受け始めた。" in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"reason": "家賃の滞納"}, "紹介先を選んでください。"),
        (
            {"body": "999999", "reason": "家賃の滞納"},
            "この事業の公的支援機関を一覧から選んでください。",
        ),
        ({"body": "{body}", "reason": " "}, "紹介の理由を入力してください。"),
        ({"body": "{body}", "reason": "x", "referred_on": "2027-13-01"}, "紹介日を「2026-12-03」"),
        (
            {"body": "{body}", "reason": "x", "referred_on": "2027-03-01"},
            "未来の日付は指定できません。",
        ),
    ],
)
def test_a_bad_referral_gets_a_japanese_message_and_saves_nothing(
    case, st_consultant, data, message
):
    body = jiritsu(case.program, "tokorozawa")
    data = {k: v.format(body=body.pk) for k, v in data.items()}
    response = as_user(st_consultant).post(
        reverse("consultations:referral_add", args=["saitama", case.pk]), data, follow=True
    )
    assert message in response.content.decode()
    assert not SupportReferral.objects.exists()


def test_another_programs_body_is_refused(case, st_consultant, kobe):
    kobe_body = SupportBody.objects.get(program=kobe, code="chuo_kurashi")
    with pytest.raises(DomainError, match="この事業の公的支援機関を一覧から選んでください"):
        referral_create(case=case, body=kobe_body, actor=st_consultant, reason="家賃")
    assert not SupportReferral.objects.exists()


def test_an_outcome_needs_a_known_value_and_a_date_not_before_the_referral(case, st_consultant):
    referral = referral_create(
        case=case, body=jiritsu(case.program, "tokorozawa"), actor=st_consultant, reason="困窮"
    )
    with pytest.raises(DomainError, match="結果は pending, connected, declined, unreachable"):
        referral_outcome_record(referral=referral, actor=st_consultant, outcome="lost")
    with pytest.raises(DomainError, match="紹介日より前にはできません"):
        referral_outcome_record(
            referral=referral,
            actor=st_consultant,
            outcome="unreachable",
            on=DAY - dt.timedelta(days=1),
        )
    done = referral_outcome_record(referral=referral, actor=st_consultant, outcome="unreachable")
    assert (done.outcome, done.outcome_on) == ("unreachable", DAY)
    back = referral_outcome_record(referral=referral, actor=st_consultant, outcome="pending")
    assert (back.outcome, back.outcome_on) == ("pending", None)


# --- who may see and make referrals -----------------------------------------------------------------


def test_reception_job_developers_and_the_municipality_neither_see_nor_make_referrals(
    case, st_seeker, st_consultant, saitama
):
    record(st_seeker, st_consultant, DAY, topics=["living_hardship"])
    body = jiritsu(saitama, "tokorozawa")
    referral = referral_create(case=case, body=body, actor=st_consultant, reason="生活費の不足")
    add = reverse("consultations:referral_add", args=["saitama", case.pk])
    outcome = reverse("consultations:referral_outcome", args=["saitama", case.pk, referral.pk])
    for role in (Role.RECEPTION, Role.JOB_DEVELOPER):
        client = as_user(staff(saitama, role))
        page = client.get(detail(case)).content.decode()
        assert "公的支援機関" not in page and "生活費の不足" not in page, role
        assert client.post(add, {"body": body.pk, "reason": "x"}).status_code == 403
        assert client.post(outcome, {"outcome": "connected"}).status_code == 403
    city = as_user(staff(saitama, Role.MUNICIPALITY))
    assert city.get(detail(case)).status_code == 403
    assert city.post(add, {"body": body.pk, "reason": "x"}).status_code == 403
    other = as_user(staff(saitama, Role.CONSULTANT, "-other"))
    assert other.post(add, {"body": body.pk, "reason": "x"}).status_code == 404
    assert SupportReferral.objects.count() == 1
    referral.refresh_from_db()
    assert referral.outcome == ReferralOutcome.PENDING
    manager = as_user(staff(saitama, Role.MANAGER))
    assert "生活費の不足" in manager.get(detail(case)).content.decode()


# --- the API -----------------------------------------------------------------------------------------


def api_post(client: Client, case: Case, data: Any):
    return client.post(
        f"/api/cases/{case.pk}/referrals", json.dumps(data), content_type="application/json"
    )


def test_the_api_records_and_lists_a_cases_referrals(case, st_consultant, st_manager):
    client = as_user(st_consultant)
    response = api_post(client, case, {"body": "tokorozawa_houkatsu", "reason": "介護の相談"})
    assert response.status_code == 201, response.content
    made = response.json()
    assert made["body"] == "tokorozawa_houkatsu"
    assert made["body_kind"] == "community_care"
    assert (made["referred_on"], made["outcome"], made["outcome_on"]) == (
        DAY.isoformat(),
        "pending",
        None,
    )
    assert made["referred_by"] == st_consultant.get_username()
    before = AuditEntry.objects.filter(object_type="consultations.case", action="view").count()
    listed = as_user(st_manager).get(f"/api/cases/{case.pk}/referrals")
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()] == [made["id"]]
    after = AuditEntry.objects.filter(object_type="consultations.case", action="view").count()
    assert after == before + 1


def test_the_api_refuses_an_unknown_body_or_date_in_japanese(case, st_consultant):
    client = as_user(st_consultant)
    response = api_post(client, case, {"body": "chuo_kurashi", "reason": "家賃"})  # Kobe's
    assert response.status_code == 422
    assert response.json()["fields"]["body"] == [
        "この事業の公的支援機関の code を指定してください。"
    ]
    response = api_post(
        client, case, {"body": "tokorozawa_jiritsu", "reason": "家賃", "referred_on": "昨日"}
    )
    assert response.status_code == 400
    assert "referred_on" in response.json()["fields"]
    response = api_post(client, case, {"body": "tokorozawa_jiritsu", "reason": ""})
    assert response.status_code in (400, 422)
    assert not SupportReferral.objects.exists()


def test_the_referral_api_is_for_the_cases_consultants_and_managers_only(
    case, st_consultant, st_consultant2, saitama, kobe
):
    url = f"/api/cases/{case.pk}/referrals"
    data = {"body": "tokorozawa_jiritsu", "reason": "困窮"}
    for role in (Role.RECEPTION, Role.JOB_DEVELOPER, Role.MUNICIPALITY):
        client = as_user(staff(saitama, role))
        assert client.get(url).status_code == 403, role
        assert api_post(client, case, data).status_code == 403, role
    assert as_user(st_consultant2).get(url).status_code == 404  # not their case
    assert api_post(as_user(st_consultant2), case, data).status_code == 404
    kobe_manager = as_user(staff(kobe, Role.MANAGER))
    assert kobe_manager.get(url).status_code == 404
    assert api_post(kobe_manager, case, data).status_code == 404
    assert Client().get(url).status_code == 401
    assert not SupportReferral.objects.exists()
