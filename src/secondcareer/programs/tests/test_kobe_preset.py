"""The Kobe preset, loaded through the service, holds every figure of the
specification (seeds/kobe-senior-career-platform-spec.txt)."""

from __future__ import annotations

import datetime as dt

import pytest

from secondcareer.programs.models import Program

pytestmark = pytest.mark.django_db

WARDS = ["東灘区", "灘区", "中央区", "兵庫区", "北区", "北神", "長田区", "須磨区", "垂水区", "西区"]

ADJACENT = {
    frozenset(pair)
    for pair in [
        ("東灘区", "灘区"),
        ("東灘区", "北区"),
        ("灘区", "中央区"),
        ("灘区", "北区"),
        ("中央区", "兵庫区"),
        ("中央区", "北区"),
        ("兵庫区", "長田区"),
        ("兵庫区", "北区"),
        ("長田区", "須磨区"),
        ("長田区", "北区"),
        ("須磨区", "垂水区"),
        ("須磨区", "西区"),
        ("須磨区", "北区"),
        ("垂水区", "西区"),
        ("西区", "北区"),
        ("西区", "北神"),
        ("北区", "北神"),
    ]
}


def _hours(program: Program, code: str) -> dict[str, list[tuple[dt.time, dt.time]]]:
    service = program.services.get(code=code)
    hours: dict[str, list[tuple[dt.time, dt.time]]] = {}
    for period in service.periods.order_by("day_type", "start"):
        hours.setdefault(period.day_type, []).append((period.start, period.end))
    return hours


def test_kobe_program_identity(kobe: Program) -> None:
    assert (kobe.slug, kobe.client, kobe.card_prefix) == ("kobe", "神戸市", "KB")
    assert kobe.name == "シニアのキャリア相談・就労支援事業"
    assert kobe.spec_fiscal_year == 2023


def test_kobe_has_ten_ward_areas_including_the_hokushin_branch(kobe: Program) -> None:
    assert list(kobe.areas.values_list("name", flat=True)) == WARDS
    kinds = dict(kobe.areas.values_list("name", "kind"))
    assert kinds.pop("北神") == "branch"
    assert set(kinds.values()) == {"ward"}


def test_kobe_ward_adjacency_is_exactly_the_seventeen_pairs_both_ways(kobe: Program) -> None:
    seen_from_each_side = {
        (area.name, other.name)
        for area in kobe.areas.prefetch_related("adjacent")
        for other in area.adjacent.all()
    }
    assert {frozenset(pair) for pair in seen_from_each_side} == ADJACENT
    assert len(ADJACENT) == 17
    assert all((b, a) in seen_from_each_side for a, b in seen_from_each_side)
    assert len(seen_from_each_side) == 34


def test_kobe_online_consultation_hours(kobe: Program) -> None:
    online = kobe.services.get(code="online")
    assert online.delivery == "remote"
    assert online.methods == ["chat", "phone", "video"]
    assert not online.venues.exists()
    assert _hours(kobe, "online") == {
        "weekday": [(dt.time(9), dt.time(21))],
        "saturday": [(dt.time(9), dt.time(18))],
        "sunday_holiday": [(dt.time(9), dt.time(18))],
    }


def test_kobe_in_person_desk_at_sannomiya_on_weekdays(kobe: Program) -> None:
    desk = kobe.services.get(code="in_person")
    assert desk.delivery == "venue"
    assert desk.methods == ["in_person"]
    venue = desk.venues.get()
    assert (venue.name, venue.address, venue.booths, venue.area.name) == (
        "三宮ビル東館",
        "神戸市中央区御幸通6-1-12",
        1,
        "中央区",
    )
    assert sorted(venue.days.values_list("weekday", flat=True)) == [0, 1, 2, 3, 4]
    assert _hours(kobe, "in_person") == {"weekday": [(dt.time(10), dt.time(17))]}


def test_kobe_consultations_are_booked_in_one_hour_slots_for_three_purposes(
    kobe: Program,
) -> None:
    for code in ("online", "in_person"):
        service = kobe.services.get(code=code)
        assert service.slot_minutes == 60
        assert service.booking_required
        assert sorted(service.kinds.values_list("code", flat=True)) == [
            "job_referral",
            "life_career",
            "retention_followup",
        ]


def test_kobe_is_closed_over_the_new_year_and_in_summer_but_open_on_holidays(
    kobe: Program,
) -> None:
    closures = {c.code: c for c in kobe.closures.all()}
    assert set(closures) == {"year_end", "summer"}
    assert all(c.service is None and c.venue is None for c in closures.values())
    year_end = closures["year_end"]
    assert [d for d in (28, 29, 30, 31) if year_end.covers(dt.date(2026, 12, d))] == [29, 30, 31]
    assert [d for d in (1, 2, 3, 4) if year_end.covers(dt.date(2027, 1, d))] == [1, 2, 3]
    summer = closures["summer"]
    assert summer.name == "夏季休業"
    summer_days = [d for d in range(1, 32) if summer.covers(dt.date(2026, 8, d))]
    assert summer_days == [13, 14, 15]  # the documented default: about three days
    assert not any(c.covers(dt.date(2026, 11, 3)) for c in closures.values())  # 文化の日


def test_kobe_circuit_consultations_once_in_each_ward_office(kobe: Program) -> None:
    circuit = kobe.event_kinds.get(code="circuit_consultation")
    assert circuit.name == "巡回相談"
    assert circuit.format == "group_consultation"
    assert (circuit.count, circuit.count_is_minimum) == (10, False)
    assert (circuit.capacity, circuit.max_duration_minutes) == (10, 120)
    assert circuit.no_repeat_in_adjacent_areas
    assert circuit.min_themes == 2
    plan = {
        allocation.area.name: (allocation.count, [v.name for v in allocation.venues.all()])
        for allocation in circuit.allocations.select_related("area").prefetch_related("venues")
    }
    assert plan == {
        ward: (1, [("北神区役所" if ward == "北神" else f"{ward}役所")]) for ward in WARDS
    }
    assert set(kobe.venues.filter(name__endswith="区役所").values_list("address", flat=True)) == {
        ""
    }


def test_kobe_reskill_courses_four_times(kobe: Program) -> None:
    course = kobe.event_kinds.get(code="reskill_course")
    assert course.name == "セカンドキャリアのためのリスキル講座"
    assert (course.format, course.count, course.requires_booking) == ("course", 4, True)


def test_kobe_kpi_targets_for_fiscal_2023_to_2027(kobe: Program) -> None:
    for fiscal_year in (2023, 2024, 2025, 2026, 2027):
        targets = {
            kpi.name: kpi.targets.get(fiscal_year=fiscal_year).value for kpi in kobe.kpis.all()
        }
        assert targets == {
            "SNS登録者数": 3000,
            "ライフキャリア相談数": 400,
            "巡回相談・リスキル講座参加者数": 100,
            "就職決定数": 100,
        }
    assert "SNS以外" in kobe.kpis.get(code="sns_registrations").note
    consultations = kobe.kpis.get(code="life_career_consultations")
    assert sorted(consultations.services.values_list("code", flat=True)) == ["in_person", "online"]
    participants = kobe.kpis.get(code="circuit_reskill_participants")
    assert sorted(participants.event_kinds.values_list("code", flat=True)) == [
        "circuit_consultation",
        "reskill_course",
    ]


def test_kobe_monthly_report_items_and_due_rule(kobe: Program) -> None:
    top = list(
        kobe.report_items.filter(parent=None).order_by("number").values_list("number", "name")
    )
    assert top == [
        (1, "プラットフォームの登録者数"),
        (2, "面談件数"),
        (3, "巡回相談・リスキル講座の参加者数"),
        (4, "職業紹介数、就職決定数"),
    ]
    interviews = kobe.report_items.get(code="interviews")
    assert list(interviews.breakdown.order_by("number").values_list("name", flat=True)) == [
        "オンライン相談",
        "対面相談",
        "職業紹介相談",
        "定着支援フォローアップ",
    ]
    split = kobe.report_items.get(code="referrals_and_placements")
    assert list(split.breakdown.values_list("name", flat=True)) == ["職業紹介数", "就職決定数"]
    # 翌月10日、土日祝日の場合は翌営業日: 2027-01-10 is a Sunday and 01-11 is 成人の日.
    assert kobe.report_due_date(2026, 12) == dt.date(2027, 1, 12)
    assert kobe.report_due_date(2026, 8) == dt.date(2026, 9, 10)
    assert kobe.report_due_date(2027, 3) == dt.date(2027, 4, 12)


def test_kobe_books_around_the_clock_and_the_phone_line_keeps_online_hours(
    kobe: Program,
) -> None:
    assert kobe.chatbot_booking_always_open
    assert kobe.phone_line_hours == {
        "weekday": ["09:00-21:00"],
        "saturday": ["09:00-18:00"],
        "sunday_holiday": ["09:00-18:00"],
    }
    assert kobe.inquiry_reply_hours == 24
    assert kobe.retention_followup_months == 6
    assert kobe.senior_age_from == 60


def test_kobe_push_notification_cadence(kobe: Program) -> None:
    pushes = {p.code: p for p in kobe.publications.all()}
    assert {p.medium for p in pushes.values()} == {"push"}
    guide, jobs = pushes["platform_guide"], pushes["job_recommendations"]
    assert (guide.count, guide.period, guide.approximate) == (1, "month", True)
    assert (jobs.count, jobs.period, jobs.approximate) == (4, "month", True)


def test_kobe_booking_dial_is_loaded_with_its_hours_as_a_placeholder(kobe: Program) -> None:
    # Ⅲ-2【共通】 予約ダイヤル; the spec gives no number, so the preset ships a placeholder.
    assert kobe.contact_phone == "078-000-0000"
    assert kobe.contact_tel_uri == "tel:+81-78-000-0000"
    assert kobe.contact_hours.startswith("平日 9:00〜21:00、土日祝 9:00〜18:00")


def test_a_booking_dial_edited_in_the_admin_is_checked_like_the_presets(kobe: Program) -> None:
    from django.core.exceptions import ValidationError

    kobe.contact_phone = "03-0000-0000"  # not a number phonenumbers accepts
    with pytest.raises(ValidationError) as refused:
        kobe.full_clean()
    assert "正しい番号を入力してください" in str(refused.value.message_dict["contact_phone"])
