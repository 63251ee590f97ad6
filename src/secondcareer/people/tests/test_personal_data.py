"""export-person and anonymise (issue 12 item 9; docs/personal-data.md)."""

from __future__ import annotations

import datetime as dt
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from secondcareer.booking.services import reservation_create
from secondcareer.consultations.models import Case, ConsultationRecord
from secondcareer.consultations.services import case_close, plan_revise
from secondcareer.consultations.tests.conftest import another_seeker, at, frozen, record, staff
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.core.models import AuditEntry
from secondcareer.messaging.line.models import LineUser, WebhookEvent
from secondcareer.messaging.models import ChatMessage, Inquiry
from secondcareer.messaging.services import (
    chat_message_post_seeker,
    chat_message_post_staff,
    chat_thread_open,
    inquiry_open,
)
from secondcareer.people.models import Role, Seeker
from secondcareer.programs.models import Program, Service, Venue
from secondcareer.scheduling.services import shift_pattern_create

NOTES = "年金を受給しながら週3日程度の勤務を希望。持病の腰痛あり。"
CHAT = "来週の面接の件でご相談があります"
QUESTION = "履歴書の書き方を教えてください"
LINE_ID = "U" + "4af4980629" * 3 + "ab"
CLOSED = dt.date(2027, 2, 1)
BEFORE = "2027-03-01"
NOW = dt.date(2027, 6, 1)

__all__ = ["frozen"]  # the fixture, shared with the consultations tests


@pytest.fixture
def people(saitama: Program, frozen: Any) -> dict[str, Any]:
    """Three seekers of Saitama, each with a case opened in January 2027:
    ``old`` — notes, a plan, a chat, an inquiry, LINE; case closed on 1 February;
    ``open`` — that case closed too, a new one open since May; ``later`` — case closed,
    but an inquiry in April."""
    consultant = staff(saitama, Role.CONSULTANT)
    old = another_seeker(saitama, 1)
    still_open = another_seeker(saitama, 2)
    later = another_seeker(saitama, 3)
    frozen(dt.date(2027, 1, 20))
    for i, seeker in enumerate((old, still_open, later)):
        record(seeker, consultant, dt.date(2027, 1, 7 + i), notes=NOTES, topics=["work_wishes"])
        record(seeker, consultant, dt.date(2027, 1, 14 + i), notes=NOTES, method="phone")
    case = Case.objects.get(seeker=old)
    plan_revise(case=case, actor=consultant, goals="週3日の事務職", steps=["求人を探す"])
    thread = chat_thread_open(case=case, actor=consultant)
    chat_message_post_staff(user=consultant, thread=thread, body="ご都合はいかがですか")
    chat_message_post_seeker(thread=thread, body=CHAT)
    inquiry_open(program=saitama, question=QUESTION, reason="requested", seeker=old)
    LineUser.objects.create(
        program=saitama, line_user_id=LINE_ID, seeker=old, display_name="たろう"
    )
    WebhookEvent.objects.create(
        program=saitama,
        dedupe_key="e1",
        event_type="message",
        line_user_id=LINE_ID,
        payload={"message": {"type": "text", "text": QUESTION}},
    )
    frozen(CLOSED)
    for seeker in (old, still_open, later):
        case_close(
            case=Case.objects.get(seeker=seeker), actor=consultant, reason="就職決定（事務）"
        )
    frozen(dt.date(2027, 4, 2))
    inquiry_open(program=saitama, question="また相談したい", reason="requested", seeker=later)
    frozen(NOW)
    record(still_open, consultant, dt.date(2027, 5, 10))  # opens a new case
    return {"old": old, "open": still_open, "later": later, "consultant": consultant}


def export(seeker: Seeker, program: str = "saitama") -> dict[str, Any]:
    out = io.StringIO()
    call_command("export-person", "--program", program, "--seeker", str(seeker.pk), stdout=out)
    return json.loads(out.getvalue())  # type: ignore[no-any-return]


def section(data: dict[str, Any], key: str) -> dict[str, Any]:
    return next(s for s in data["sections"] if s["key"] == key)


def anonymise(*args: str) -> str:
    out = io.StringIO()
    call_command("anonymise", "--program", "saitama", *args, stdout=out)
    return out.getvalue()


def monthly_counts(
    program: Program,
) -> tuple[Counter[tuple[str, str, str]], int, Counter[str]]:
    """What a monthly report counts: records per kind, method and month, distinct seekers, and
    seekers per area and age group (birth year)."""
    records = ConsultationRecord.objects.filter(program=program).select_related("kind")
    per_kind = Counter(
        (r.kind.code, r.method, r.started_at.astimezone(TOKYO).strftime("%Y-%m")) for r in records
    )
    distinct = records.values("seeker").distinct().count()
    groups = Counter(
        f"{s.area_id}/{s.gender}/{s.birth_date.year}"
        for s in Seeker.objects.filter(program=program)
    )
    return per_kind, distinct, groups


# --- export-person ----------------------------------------------------------------


def test_the_export_holds_registration_consents_records_plans_chats_inquiries_and_line(people):
    old = people["old"]
    data = export(old)
    assert data["format"] == "secondcareer.export-person/1"
    assert data["seeker_id"] == old.pk
    seeker = section(data, "people.seeker")
    assert seeker["title"] == "利用者の登録情報（利用者カードの番号を含む）"
    assert seeker["fields"]["family_name"] == "姓"
    assert seeker["rows"][0]["family_name"] == "鈴木"
    assert seeker["rows"][0]["birth_date"] == "1958-01-01"
    assert seeker["rows"][0]["card_number"] == old.card_number
    assert section(data, "people.consents")["count"] == 1
    records = section(data, "consultations.records")
    assert records["count"] == 2
    assert records["rows"][0]["notes"] == NOTES
    assert records["rows"][0]["started_at"] == "2027-01-07T10:00:00+09:00"
    assert records["rows"][0]["topics"]
    assert section(data, "consultations.cases")["rows"][0]["closed_on"] == "2027-02-01"
    assert section(data, "consultations.plans")["rows"][0]["goals"] == "週3日の事務職"
    assert section(data, "consultations.assignments")["count"] == 1
    assert CHAT in [m["body"] for m in section(data, "messaging.chat_messages")["rows"]]
    assert section(data, "messaging.inquiries")["rows"][0]["question"] == QUESTION
    assert section(data, "line.accounts")["rows"][0]["line_user_id"] == LINE_ID
    assert section(data, "line.events")["count"] == 1


def test_the_export_says_who_opened_the_persons_data_and_when(people):
    data = export(people["old"])
    audit = section(data, "core.auditentry")
    assert audit["title"] == "この方の情報の閲覧・操作の記録（監査ログ）"
    assert audit["fields"]["actor_username"] == "操作者"
    assert {"記録の種類", "日時"} <= set(audit["fields"].values())
    assert audit["count"] >= 3  # the seeker's registration, records, the case …
    assert "ip_address" not in audit["fields"]
    # a later export shows the first one
    later = section(export(people["old"]), "core.auditentry")
    assert [r for r in later["rows"] if r["note"] == "export-person"]


def test_the_export_leaves_out_secrets_and_other_peoples_data(people):
    text = json.dumps(export(people["old"]), ensure_ascii=False)
    for secret in ("cancel_token", "answer_token", "code_hash", "name_search_key"):
        assert secret not in text
    assert "一郎2" not in text and "一郎3" not in text


def test_the_export_writes_one_audit_entry_and_a_utf8_file(people, tmp_path: Path):
    out = tmp_path / "person.json"
    before = AuditEntry.objects.count()
    call_command(
        "export-person",
        "--program",
        "saitama",
        "--seeker",
        people["old"].card_number,
        "--out",
        str(out),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    text = out.read_text(encoding="utf-8")
    assert "鈴木" in text  # ensure_ascii=False
    assert json.loads(text)["seeker_id"] == people["old"].pk
    assert AuditEntry.objects.count() == before + 1
    entry = AuditEntry.objects.order_by("-id").first()
    assert (entry.action, entry.note, entry.object_id) == (
        "export",
        "export-person",
        str(people["old"].pk),
    )


@pytest.mark.parametrize("seeker", ["999999", "abc"])
def test_an_unknown_seeker_is_a_japanese_error_and_nothing_is_written(people, seeker, tmp_path):
    out = tmp_path / "person.json"
    before = AuditEntry.objects.count()
    with pytest.raises(CommandError, match="利用者"):
        call_command("export-person", "--program", "saitama", "--seeker", seeker, "--out", str(out))
    assert not out.exists()
    assert AuditEntry.objects.count() == before


def test_a_seeker_of_another_program_is_not_found(people, kobe, tmp_path):
    out = tmp_path / "person.json"
    with pytest.raises(CommandError, match="事業「kobe」に利用者"):
        call_command(
            "export-person",
            "--program",
            "kobe",
            "--seeker",
            str(people["old"].pk),
            "--out",
            str(out),
        )
    assert not out.exists()


# --- anonymise --------------------------------------------------------------------


def test_after_anonymising_the_export_shows_no_name_phone_notes_chat_or_line_id(people):
    old = people["old"]
    anonymise("--before", BEFORE)
    text = json.dumps(export(old), ensure_ascii=False)
    for personal in ("鈴木", "一郎", "スズキ", "090-5555", NOTES, CHAT, QUESTION, LINE_ID):
        assert personal not in text, personal
    data = export(old)
    seeker = section(data, "people.seeker")["rows"][0]
    assert seeker["anonymised_on"] == NOW.isoformat()
    assert seeker["birth_date"] == "1958-01-01"  # year and month kept (the 1st of it)
    assert section(data, "consultations.records")["count"] == 2  # the rows stay
    assert section(data, "consultations.records")["rows"][0]["topics"]


def test_the_monthly_counts_are_the_same_before_and_after(people, saitama):
    before = monthly_counts(saitama)
    anonymise("--before", BEFORE)
    assert Seeker.objects.get(pk=people["old"].pk).anonymised_on == NOW
    assert monthly_counts(saitama) == before
    assert before[0][("job_consultation", "phone", "2027-01")] == 3


def test_a_seeker_with_an_open_case_or_later_activity_is_untouched(people):
    before = {key: export(people[key]) for key in ("open", "later")}
    summary = anonymise("--before", BEFORE)
    assert "匿名化 1人" in summary
    assert "継続中のケースあり 1人" in summary
    assert "2027-03-01 以降の利用あり 1人" in summary
    for key in ("open", "later"):
        seeker = Seeker.objects.get(pk=people[key].pk)
        assert seeker.anonymised_on is None
        assert seeker.family_name == "鈴木"
        assert ConsultationRecord.objects.filter(seeker=seeker, notes=NOTES).count() == 2
        after = export(people[key])
        assert section(after, "consultations.records") == section(
            before[key], "consultations.records"
        )


def test_the_summary_holds_counts_only_and_one_audit_entry_is_written(people):
    count = AuditEntry.objects.count()
    summary = anonymise("--before", BEFORE)
    assert "鈴木" not in summary and "一郎" not in summary
    assert "相談記録（カルテ）: 2件" in summary
    assert AuditEntry.objects.count() == count + 1
    entry = AuditEntry.objects.order_by("-id").first()
    assert entry.action == "update"
    assert entry.note == "anonymise before=2027-03-01 seekers=1"


def test_a_second_run_changes_nothing(people):
    anonymise("--before", BEFORE)
    first = export(people["old"])
    summary = anonymise("--before", BEFORE)
    assert "匿名化 0人" in summary and "匿名化済み 1人" in summary
    second = export(people["old"])
    assert section(second, "people.seeker") == section(first, "people.seeker")


def test_a_dry_run_changes_nothing(people):
    count = AuditEntry.objects.count()
    summary = anonymise("--before", BEFORE, "--dry-run")
    assert "何も変更していません" in summary
    assert "匿名化 1人" in summary
    seeker = Seeker.objects.get(pk=people["old"].pk)
    assert (seeker.family_name, seeker.phone, seeker.anonymised_on) == (
        "鈴木",
        "090-5555-0001",
        None,
    )
    assert ConsultationRecord.objects.filter(seeker=seeker, notes=NOTES).count() == 2
    assert ChatMessage.objects.filter(body=CHAT).exists()
    assert Inquiry.objects.filter(question=QUESTION).exists()
    assert AuditEntry.objects.count() == count


def test_a_date_before_the_case_closed_anonymises_nobody(people):
    assert "匿名化 0人" in anonymise("--before", CLOSED.isoformat())
    assert not Seeker.objects.filter(anonymised_on__isnull=False).exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--before", "2027-02-30"], "日付は YYYY-MM-DD で指定してください"),
        (["--before", "yesterday"], "日付は YYYY-MM-DD で指定してください"),
        (["--before", "2027-06-02"], "今日以前の日付"),
        ([], "--before で保存期間の終わりの日付を指定してください"),
    ],
)
def test_a_bad_or_missing_date_is_a_japanese_error(people, args, message):
    with pytest.raises(CommandError, match=message):
        anonymise(*args)
    assert not Seeker.objects.filter(anonymised_on__isnull=False).exists()


def test_an_unknown_program_is_a_japanese_error(db):
    with pytest.raises(CommandError, match="事業「nowhere」は登録されていません"):
        call_command("anonymise", "--program", "nowhere", "--before", "2020-01-01")


def test_a_closed_case_with_a_future_booking_is_kept_and_the_booking_is_exported(people, saitama):
    consultant = people["consultant"]
    seeker = people["old"]
    lark = Venue.objects.get(program=saitama, name="ラーク所沢")
    day = dt.date(2027, 6, 10)  # a Thursday: ラーク所沢 is open
    shift_pattern_create(
        program=saitama,
        consultant=consultant,
        venue=lark,
        weekday=day.weekday(),
        start=dt.time(9, 45),
        end=dt.time(16, 15),
        valid_from=dt.date(2027, 6, 1),
    )
    reservation_create(
        program=saitama,
        seeker=seeker,
        service=Service.objects.get(program=saitama, code="consultation"),
        start=at(day),
        venue=lark,
        method="in_person",
        channel="phone",
        consultant_id=consultant.pk,
    )
    summary = anonymise("--before", BEFORE)
    assert "匿名化 0人" in summary and "以降の利用あり 2人" in summary
    assert Seeker.objects.get(pk=seeker.pk).family_name == "鈴木"
    booking = section(export(seeker), "booking.reservations")
    assert booking["count"] == 1
    assert booking["rows"][0]["starts_at"] == "2027-06-10T10:00:00+09:00"
    assert booking["rows"][0]["status"] == "予約済み"
    assert "cancel_token" not in booking["fields"] and "video_room" not in booking["fields"]
