"""The Saitama preset, loaded through the service, holds every figure of the
specification (seeds/saitama-second-career-center-spec.txt)."""

from __future__ import annotations

import datetime as dt

import pytest

from secondcareer.programs.models import (
    EventAllocation,
    EventKind,
    Program,
    Venue,
)

pytestmark = pytest.mark.django_db

MON, TUE, WED, THU, FRI, SAT = range(6)

# 2(2)ア(ア)a 実施市町、会場及び日程.
CONSULTATION_VENUES = {
    # name: (address, area, {weekday: nth})
    "所沢地方庁舎": ("所沢市並木1-8-1", "所沢市", {MON: None, TUE: None}),
    "ラーク所沢": ("所沢市花園2-2400-4", "所沢市", {THU: None, FRI: None, SAT: None}),
    "草加市立勤労福祉会館": ("草加市旭町6-13-20", "草加市", {MON: None, WED: None, FRI: None}),
    "ウェスタ川越": ("川越市新宿町1-17-17", "川越市", {WED: None, THU: None, FRI: None}),
    "春日部地方庁舎": ("春日部市大沼1-76", "春日部市", {TUE: None}),
    "ふれあいキューブ": ("春日部市南1-1-7", "春日部市", {WED: None}),
    "市民プラザかぞ": ("加須市中央2-4-17", "加須市", {MON: None, THU: None}),
    "上柴公民館": ("深谷市上柴町西4-2-14", "深谷市", {TUE: None, FRI: None}),
    "秩父勤労者福祉センター": ("秩父市上宮地町27-5", "秩父市", {WED: [1, 3]}),
    "県民活動総合センター": ("伊奈町内宿台6-26", "伊奈町", {TUE: None, THU: None}),
}

# 2(2)ア(ウ)a 就職支援セミナー: (all ages, senior, women, health), venues with addresses.
SEMINARS = {
    "所沢市": ((5, 12, 6, 1), {"所沢市役所": "所沢市並木1-1-1"}),
    "草加市": ((8, 4, 6, 0), {"草加市立勤労福祉会館": "草加市旭町6-13-20"}),
    "川越市": ((4, 8, 0, 0), {"ウェスタ川越": "川越市新宿町1-17-17"}),
    "春日部市": (
        (2, 2, 0, 0),
        {"ウィスかすかべ": "春日部市粕壁6918-1", "春日部地方庁舎": "春日部市大沼1-76"},
    ),
    "加須市": ((2, 1, 0, 0), {"市民プラザかぞ": "加須市中央2-4-17"}),
    "深谷市": ((2, 1, 0, 0), {"上柴公民館": "深谷市上柴町西4-2-14"}),
    "伊奈町": ((2, 1, 0, 0), {"伊奈町総合センター": "伊奈町小室5161"}),
}


def test_saitama_program_identity(saitama: Program) -> None:
    assert (saitama.slug, saitama.client, saitama.card_prefix) == ("saitama", "埼玉県", "ST")
    assert saitama.name == "セカンドキャリアセンター運営事業"
    assert saitama.spec_fiscal_year == 2023
    assert (saitama.office_name, saitama.office_address) == (
        "ウェスタ川越 3階 執務室",
        "川越市新宿町1-17-17",
    )


def test_saitama_preset_has_the_eight_municipalities_and_no_invented_neighbours(
    saitama: Program,
) -> None:
    names = list(saitama.areas.values_list("name", flat=True))
    assert names == [
        "所沢市",
        "草加市",
        "川越市",
        "加須市",
        "春日部市",
        "深谷市",
        "秩父市",
        "伊奈町",
    ]
    assert set(saitama.areas.values_list("kind", flat=True)) == {"municipality"}
    assert not any(area.adjacent.exists() for area in saitama.areas.all())


def test_saitama_preset_has_every_consultation_venue_and_weekday(saitama: Program) -> None:
    service = saitama.services.get(code="consultation")
    venues = {v.name: v for v in service.venues.prefetch_related("days").select_related("area")}
    assert set(venues) == set(CONSULTATION_VENUES)
    for name, (address, area, days) in CONSULTATION_VENUES.items():
        venue = venues[name]
        assert venue.address == address, name
        assert venue.area.name == area, name
        assert venue.booths == 1, name
        assert {d.weekday: d.nth for d in venue.days.all()} == days, name


def test_fureai_cube_keeps_its_formal_name(saitama: Program) -> None:
    venue = saitama.venues.get(name="ふれあいキューブ")
    assert venue.formal_name == "東部地域振興ふれあい拠点施設「ふれあいキューブ」"


def test_chichibu_is_used_on_the_first_and_third_wednesday_only(saitama: Program) -> None:
    chichibu = saitama.venues.get(name="秩父勤労者福祉センター")
    december_wednesdays = [dt.date(2026, 12, d) for d in (2, 9, 16, 23, 30)]
    used = [day for day in december_wednesdays if chichibu.is_used_on(day)]
    assert used == [dt.date(2026, 12, 2), dt.date(2026, 12, 16)]
    assert not chichibu.is_used_on(dt.date(2026, 12, 3))  # a Thursday


def test_saitama_consultations_have_five_one_hour_slots_with_a_lunch_break(
    saitama: Program,
) -> None:
    service = saitama.services.get(code="consultation")
    assert (service.slot_minutes, service.session_minutes) == (60, 45)
    assert service.methods == ["in_person"]
    assert service.delivery == "venue"
    assert list(service.kinds.values_list("name", flat=True)) == ["就職相談"]
    for day_type in ("weekday", "saturday"):
        periods = [
            (p.start, p.end) for p in service.periods.filter(day_type=day_type).order_by("start")
        ]
        assert periods == [
            (dt.time(10), dt.time(12)),
            (dt.time(13), dt.time(16)),
        ]
        slots = sum(
            (end.hour * 60 + end.minute - start.hour * 60 - start.minute) // service.slot_minutes
            for start, end in periods
        )
        assert slots == 5
    assert not service.periods.filter(day_type="sunday_holiday").exists()


def test_saitama_closes_on_national_holidays_with_substitution_and_over_the_new_year(
    saitama: Program,
) -> None:
    closures = {c.code: c for c in saitama.closures.all()}
    assert set(closures) == {"national_holidays", "year_end"}
    holidays = closures["national_holidays"]
    assert holidays.substitutable
    assert holidays.covers(dt.date(2026, 11, 3))  # 文化の日
    assert not holidays.covers(dt.date(2026, 11, 4))
    year_end = closures["year_end"]
    assert (year_end.start_month, year_end.start_day, year_end.end_month, year_end.end_day) == (
        12,
        29,
        1,
        3,
    )
    assert year_end.covers(dt.date(2026, 12, 29)) and year_end.covers(dt.date(2027, 1, 3))
    assert not year_end.covers(dt.date(2027, 1, 4))
    assert not saitama.substitute_dates.exists()  # the prefecture designates them


def test_saitama_job_seminars_per_municipality_and_category(saitama: Program) -> None:
    seminar = saitama.event_kinds.get(code="job_seminar")
    categories = ["all_ages", "senior", "women", "health"]
    allocations = EventAllocation.objects.filter(event_kind=seminar).select_related("area")
    found = {}
    for allocation in allocations.prefetch_related("counts__category", "venues"):
        per_category = {c.category.code: c.count for c in allocation.counts.all()}
        counts = tuple(per_category.get(code, 0) for code in categories)
        venues = {v.name: v.address for v in allocation.venues.all()}
        found[allocation.area.name] = (counts, venues)
        assert allocation.count == sum(counts)
    assert found == SEMINARS
    assert {name: sum(c) for name, (c, _) in found.items()} == {
        "所沢市": 24,
        "草加市": 18,
        "川越市": 12,
        "春日部市": 4,
        "加須市": 3,
        "深谷市": 3,
        "伊奈町": 3,
    }


def test_saitama_job_seminar_category_totals(saitama: Program) -> None:
    seminar = saitama.event_kinds.get(code="job_seminar")
    totals = dict(seminar.categories.values_list("name", "count"))
    assert totals == {
        "全年齢向け": 25,
        "シニア（又はシニア・ミドル）向け": 29,
        "女性向け": 12,
        "健康関連セミナー": 1,
    }
    assert seminar.count == 67
    assert seminar.count_period == "year"
    assert not seminar.count_is_minimum


def test_saitama_job_seminars_run_14_to_16_for_30_people_except_kazo_16(
    saitama: Program,
) -> None:
    seminar = saitama.event_kinds.get(code="job_seminar")
    assert (seminar.start_time, seminar.end_time) == (dt.time(14), dt.time(16))
    assert seminar.duration_minutes == 120
    assert seminar.capacity == 30
    capacities = dict(seminar.allocations.values_list("area__name", "capacity"))
    assert capacities == {
        "所沢市": 30,
        "草加市": 30,
        "川越市": 30,
        "春日部市": 30,
        "加須市": 16,
        "深谷市": 30,
        "伊奈町": 30,
    }


def test_women_seminars_ask_about_childcare_and_seniors_rotate_three_themes(
    saitama: Program,
) -> None:
    categories = {c.code: c for c in saitama.event_kinds.get(code="job_seminar").categories.all()}
    assert [code for code, c in categories.items() if c.asks_childcare] == ["women"]
    assert (categories["senior"].min_themes, categories["senior"].rotate_monthly) == (3, True)
    assert (categories["women"].min_themes, categories["women"].rotate_monthly) == (2, True)
    assert (categories["all_ages"].min_themes, categories["all_ages"].rotate_monthly) == (2, False)
    notes = dict(
        saitama.event_kinds.get(code="job_seminar").allocations.values_list(
            "area__name", "childcare_note"
        )
    )
    assert "無料保育施設" in notes["所沢市"]
    assert "保育士を配置" in notes["草加市"]


def test_saitama_outreach_seminars(saitama: Program) -> None:
    outreach = saitama.event_kinds.get(code="outreach_seminar")
    assert (outreach.count, outreach.count_is_minimum, outreach.count_period) == (3, True, "year")
    assert (outreach.capacity, outreach.duration_minutes) == (50, 180)
    assert (outreach.followup_consultations, outreach.followup_minutes) == (3, 30)
    assert "8市町以外" in outreach.venue_note


def test_saitama_one_point_seminars_twice_a_month_offline_and_online(saitama: Program) -> None:
    one_point = saitama.event_kinds.get(code="one_point_seminar")
    assert (one_point.count, one_point.count_period) == (2, "month")
    assert one_point.required_themes == ["起業", "在宅ワーク"]
    room = one_point.venues.get()
    assert (room.name, room.address, room.seats) == (
        "ウェスタ川越 セミナー室",
        "川越市新宿町1-17-17",
        18,
    )
    variants = {
        c.code: (c.delivery, c.capacity, c.duration_minutes) for c in one_point.categories.all()
    }
    assert variants == {"offline": ("in_person", 15, 90), "online": ("online", 50, 90)}


def test_saitama_job_fairs_roundtables_and_internships(saitama: Program) -> None:
    fair = saitama.event_kinds.get(code="job_fair")
    assert (fair.count, fair.count_is_minimum, fair.capacity, fair.companies_per_event) == (
        12,
        True,
        50,
        10,
    )
    roundtable = saitama.event_kinds.get(code="roundtable")
    assert (roundtable.count, roundtable.count_is_minimum) == (6, True)
    assert (roundtable.capacity, roundtable.duration_minutes) == (20, 90)
    internship = saitama.event_kinds.get(code="internship")
    assert (internship.format, internship.days_min, internship.days_max) == ("internship", 1, 3)


def test_saitama_kpi_targets_for_fiscal_2023_to_2027(saitama: Program) -> None:
    expected = {
        "利用者数": (6750, "人", None, None),
        "利用者数（うち60歳以上）": (4600, "人", "users", 60),
        "利用者数（うち65歳以上）": (2120, "人", "users", 65),
        "就職確認者数": (900, "人", None, None),
        "就職確認者数（うち60歳以上）": (620, "人", "placements", 60),
        "就職確認者数（うち65歳以上）": (340, "人", "placements", 65),
        "新規開拓企業数": (300, "社", None, None),
        "職業紹介件数": (500, "件", None, None),
        "シニア向けインターンシップ参加者数": (100, "人", None, None),
    }
    for fiscal_year in (2023, 2024, 2025, 2026, 2027):
        found = {
            kpi.name: (
                kpi.targets.get(fiscal_year=fiscal_year).value,
                kpi.unit,
                kpi.parent.code if kpi.parent else None,
                kpi.age_from,
            )
            for kpi in saitama.kpis.select_related("parent")
        }
        assert found == expected, fiscal_year
    internship = saitama.kpis.get(code="internship_participants")
    assert list(internship.event_kinds.values_list("code", flat=True)) == ["internship"]
    assert not saitama.kpis.filter(targets__fiscal_year=2028).exists()


def test_saitama_staffing_figures(saitama: Program) -> None:
    assert saitama.staffing == {
        "consultant_hours": "09:45-16:15",
        "consultants_per_area_min": 2,
        "consultants_per_area_min_overrides": {"chichibu": 1},
        "consultants_per_open_day_min": 1,
        "consultant_min_experience_years": 1,
        "managers": 1,
        "deputy_managers": 2,
        "reception_staff_min": 6,
        "job_developers_min": 6,
        "office_hours": {"weekday": ["09:00-17:00"]},
    }


def test_saitama_policies_and_phone_line(saitama: Program) -> None:
    assert saitama.senior_age_from == 60
    assert saitama.age_bands == [
        {"code": "youth", "name": "若者", "min": None, "max": 39},
        {"code": "middle", "name": "ミドル", "min": 40, "max": 59},
        {"code": "senior", "name": "シニア", "min": 60, "max": None},
    ]
    assert saitama.assigned_consultant
    assert saitama.plan_review_months == [3, 6]
    assert saitama.inactivity_followup_months == 3
    assert not saitama.chatbot_booking_always_open
    assert saitama.phone_line_hours == {"weekday": ["09:00-17:00"]}


def test_saitama_monthly_report_items_and_due_dates(saitama: Program) -> None:
    items = list(saitama.report_items.order_by("number").values_list("number", "name"))
    assert items == [(1, "利用者数"), (2, "就職者数"), (3, "求職者登録数"), (4, "求人情報の提供数")]
    # Default (an assumption until the prefecture sets it): the 10th of the next month.
    assert saitama.report_due_date(2026, 11) == dt.date(2026, 12, 10)
    # The March report is due March 31 of the same month, even on a Sunday (2024).
    assert saitama.report_due_date(2027, 3) == dt.date(2027, 3, 31)
    assert saitama.report_due_date(2024, 3) == dt.date(2024, 3, 31)


def test_saitama_publications(saitama: Program) -> None:
    counts = dict(saitama.publications.values_list("code", "count"))
    assert counts == {
        "leaflet": 10,
        "job_seminar_flyer": 67,
        "outreach_seminar_flyer": 3,
        "one_point_seminar_flyer": 24,
        "job_fair_flyer": 12,
        "roundtable_flyer": 6,
        "employer_flyer": 6,
        "poster": 1,
        "mail_magazine": 1,
    }
    magazine = saitama.publications.get(code="mail_magazine")
    assert (magazine.period, magazine.every) == ("week", 2)
    assert saitama.publications.get(code="poster").copies == 30
    flyer = saitama.publications.get(code="job_seminar_flyer")
    assert (flyer.lead_time_months, flyer.event_kind) == (
        2,
        EventKind.objects.get(program=saitama, code="job_seminar"),
    )


def test_every_saitama_venue_lies_in_one_of_its_municipalities(saitama: Program) -> None:
    assert not Venue.objects.filter(program=saitama).exclude(area__program=saitama).exists()
    assert saitama.venues.count() == 14


def test_saitama_booking_dial_is_loaded_with_its_hours_as_a_placeholder(saitama: Program) -> None:
    # 2(2)コ(イ)c 電話の対応・予約受付 月～金 9時～17時; no number in the spec.
    assert saitama.contact_phone == "048-000-0000"
    assert saitama.contact_hours.startswith("月〜金 9:00〜17:00")
