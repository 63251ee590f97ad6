"""Staff pages in real headless Chromium: every link and button is a target of at least
44×44 px (measured with getBoundingClientRect; inline links used to be 24 px high),
axe-core finds no WCAG 2.0/2.1 A or AA violation, and the Content-Security-Policy
blocks nothing, the Django admin included."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from secondcareer.booking.selectors import availability
from secondcareer.booking.services import reservation_create
from secondcareer.conftest import register_seeker
from secondcareer.devtools.testing.browser import (
    axe_report,
    axe_violations,
    csp_violations,
    horizontal_overflow,
    set_width,
    sign_in,
    small_targets,
    wait_styled,
)
from secondcareer.messaging.services import inquiry_open
from secondcareer.people.models import Role, User
from secondcareer.people.services import staff_create
from secondcareer.programs.models import Program

pytestmark = pytest.mark.browser


@pytest.fixture
def kobe_manager(kobe: Program) -> User:
    return staff_create(username="kb-manager", password=None, program=kobe, role=Role.MANAGER)


@pytest.fixture
def booked(kobe: Program) -> Any:
    """A seeker of 66 with an online consultation in the coming days, and a question."""
    seeker = register_seeker(kobe, birth_date=dt.date(1960, 5, 1))
    today = timezone.localdate()
    slot = next(
        a
        for a in availability(
            program=kobe,
            service_code="online",
            start=today + dt.timedelta(days=2),
            end=today + dt.timedelta(days=30),
        )
        if a.free > 0
    )
    reservation = reservation_create(
        program=kobe,
        seeker=seeker,
        service=kobe.services.get(code="online"),
        start=slot.slot.start,
        method="phone",
        channel="phone",
    )
    inquiry, _ = inquiry_open(
        program=kobe, question="年金をもらいながら働けますか。", reason="human"
    )
    return seeker, reservation, inquiry


def check_page(page: Any, url: str, *, signed_in: bool = True) -> list[str]:
    """What is wrong with one page, as readable lines (empty when nothing is)."""
    page.get(url)
    wait_styled(page)
    problems = []
    if signed_in and "ログイン" in page.title:
        problems.append(f"{url}: redirected to the login page")
    for target in small_targets(page):
        problems.append(f"{url}: target under 44px: {target}")
    violations = axe_violations(page)
    if violations:
        problems.append(f"{url}: axe:\n{axe_report(violations)}")
    for violation in csp_violations(page):
        problems.append(f"{url}: CSP blocked {violation}")
    return problems


def test_every_target_on_the_staff_home_is_44px_and_axe_finds_nothing(
    page, live_server, client_for, manager
):
    sign_in(page, live_server.url, client_for(manager))
    page.get(live_server.url + reverse("workspace:home"))
    wait_styled(page)
    links = page.execute_script(
        "return [...document.querySelectorAll('main a, header a, header button')]"
        ".map(e => e.getBoundingClientRect().height)"
    )
    assert len(links) >= 5 and min(links) >= 44, links
    assert check_page(page, live_server.url + reverse("workspace:home")) == []


def test_the_staff_pages_have_44px_targets_no_axe_violations_and_no_blocked_content(
    page, live_server, client_for, kobe, kobe_manager, booked
):
    seeker, reservation, inquiry = booked
    sign_in(page, live_server.url, client_for(kobe_manager))
    urls = [
        reverse("workspace:home"),
        reverse("people:seeker_list") + f"?program={kobe.pk}",
        reverse("people:seeker_list") + f"?program={kobe.pk}&q=ヤマダ",
        reverse("people:seeker_detail", args=[seeker.pk]),
        reverse("booking_staff:phone_find", args=["kobe"]),
        reverse("booking_staff:phone_find", args=["kobe"]) + "?q=ヤマダ",
        reverse("booking_staff:phone_slots", args=["kobe", seeker.pk]),
        reverse("booking_staff:calendar", args=["kobe"])
        + f"?date={reservation.starts_at.date().isoformat()}&view=week",
        reverse("booking_staff:reservation_detail", args=["kobe", reservation.pk]),
        reverse("booking_staff:absence", args=["kobe"]),
        reverse("messaging:inbox"),
        reverse("messaging:inquiry_detail", args=[inquiry.pk]),
    ]
    problems = [p for url in urls for p in check_page(page, live_server.url + url)]
    assert problems == [], "\n".join(problems)
    set_width(page, 320)
    problems = [p for url in urls[:4] for p in check_page(page, live_server.url + url)]
    assert problems == [], "\n".join(problems)
    page.get(live_server.url + urls[0])
    assert horizontal_overflow(page) == 0


def test_the_staff_login_page_is_accessible(page, live_server, db):
    assert check_page(page, live_server.url + reverse("workspace:login"), signed_in=False) == []


def test_the_django_admin_runs_under_the_same_strict_policy(page, live_server, client_for, kobe):
    admin = User.objects.create_superuser(username="root", password=None)
    sign_in(page, live_server.url, client_for(admin))
    for url in (
        reverse("admin:index"),
        reverse("admin:programs_program_changelist"),
        reverse("admin:programs_program_change", args=[kobe.pk]),
        reverse("admin:people_user_changelist"),
    ):
        page.get(live_server.url + url)
        assert "ログイン" not in page.title, url
        assert csp_violations(page) == [], url
        # The admin's own stylesheets applied (its header is a coloured bar).
        header = page.execute_script(
            "return getComputedStyle(document.getElementById('header')).backgroundColor"
        )
        assert header not in {"", "transparent", "rgba(0, 0, 0, 0)"}, url


def test_the_case_screens_have_44px_targets_no_axe_violations_at_full_width_and_320px(
    page, live_server, client_for, kobe, kobe_manager, booked
):
    from secondcareer.consultations.models import SupportBody
    from secondcareer.consultations.services import (
        case_share,
        consultation_record_create,
        plan_draft_save,
        referral_create,
    )

    seeker, reservation, _inquiry = booked
    record = consultation_record_create(
        program=kobe,
        seeker=seeker,
        actor=kobe_manager,
        kind=kobe.consultation_kinds.first().code,
        method="in_person",
        channel="venue",
        start=timezone.now() - dt.timedelta(hours=2),
        minutes=45,
        notes="週3日程度の仕事を希望。家賃の滞納もあり生活費に困っている。",
        topics=["living_hardship"],
    )
    plan_draft_save(case=record.case, actor=kobe_manager, goals="週3日の仕事", steps=["求人紹介"])
    # The sharing and referral sections with their forms: a share, a referral, a
    # suggestion (the record above) and consultants left to share with.
    for n in (1, 2):
        staff_create(username=f"kobe-cc-{n}", password=None, program=kobe, role=Role.CONSULTANT)
    case_share(
        case=record.case,
        shared_with=User.objects.get(username="kobe-cc-1"),
        actor=kobe_manager,
        reason="不在時の対応",
    )
    referral_create(
        case=record.case,
        body=SupportBody.objects.filter(program=kobe).first(),
        actor=kobe_manager,
        reason="家賃の滞納",
    )
    other = register_seeker(
        kobe, birth_date=dt.date(1957, 3, 3), given="花子", phone="090-2222-3333"
    )
    suggested = consultation_record_create(  # a suggestion with the area's bodies
        program=kobe,
        seeker=other,
        actor=kobe_manager,
        kind=kobe.consultation_kinds.first().code,
        method="phone",
        start=timezone.now() - dt.timedelta(hours=3),
        minutes=30,
        notes="生活保護の相談をしたいとのこと。",
    )
    sign_in(page, live_server.url, client_for(kobe_manager))
    urls = [
        reverse("consultations:case_list", args=["kobe"]),
        reverse("consultations:case_detail", args=["kobe", record.case_id]),
        reverse("consultations:case_detail", args=["kobe", suggested.case_id]),
        reverse("consultations:record_create", args=["kobe"]) + f"?reservation={reservation.pk}",
        reverse("consultations:record_create", args=["kobe"]) + f"?seeker={seeker.pk}",
        reverse("consultations:group_record", args=["kobe"]),
        reverse("consultations:plan_edit", args=["kobe", record.case_id]),
    ]
    problems = [p for url in urls for p in check_page(page, live_server.url + url)]
    assert problems == [], "\n".join(problems)
    set_width(page, 320)
    problems = [p for url in urls for p in check_page(page, live_server.url + url)]
    assert problems == [], "\n".join(problems)
    for url in urls:
        page.get(live_server.url + url)
        assert horizontal_overflow(page) == 0, url


def test_the_follow_up_screens_have_44px_targets_no_axe_violations_at_full_width_and_320px(
    page, live_server, client_for, saitama
):
    from secondcareer.consultations.services import (
        consultation_record_create,
        inactivity_check_record,
    )

    manager = staff_create(username="st-manager", password=None, program=saitama, role=Role.MANAGER)
    seekers = [
        register_seeker(saitama, birth_date=dt.date(1958, 1, n), phone=f"090-5555-{n:04d}")
        for n in (1, 2)
    ]
    for seeker in seekers:
        consultation_record_create(
            program=saitama,
            seeker=seeker,
            actor=manager,
            kind=saitama.consultation_kinds.first().code,
            method="in_person",
            channel="venue",
            start=timezone.now() - dt.timedelta(days=150),
            minutes=45,
        )
    inactivity_check_record(
        program=saitama, seeker=seekers[1], actor=manager, method="phone", result="unreachable"
    )
    sign_in(page, live_server.url, client_for(manager))
    urls = [
        reverse("workspace:home"),
        reverse("consultations_followup:queue", args=["saitama"]),
        reverse("consultations_followup:queue", args=["saitama"]) + "?due=1",
        reverse("consultations_followup:check", args=["saitama", seekers[0].pk]),
        reverse("consultations_followup:check", args=["saitama", seekers[1].pk]),
    ]
    problems = [p for url in urls for p in check_page(page, live_server.url + url)]
    assert problems == [], "\n".join(problems)
    set_width(page, 320)
    problems = [p for url in urls for p in check_page(page, live_server.url + url)]
    assert problems == [], "\n".join(problems)
    for url in urls:
        page.get(live_server.url + url)
        assert horizontal_overflow(page) == 0, url


def test_the_jobs_screens_have_44px_targets_no_axe_violations_at_full_width_and_320px(
    page, live_server, client_for, kobe
):
    from secondcareer.jobs.models import JobPosting
    from secondcareer.jobs.search import posting_search_text
    from secondcareer.jobs.services import (
        development_activity_record,
        employer_create,
        posting_create,
    )

    developer = staff_create(
        username="kb-developer", password=None, program=kobe, role=Role.JOB_DEVELOPER
    )
    employer = employer_create(
        program=kobe,
        name="株式会社神戸ビルメンテナンス",
        name_kana="コウベビルメンテナンス",
        corporate_number="7123456789012",
        area=kobe.areas.get(code="chuo"),
        industry="R",
        retirement_age=65,
        contacts=[{"name": "採用 花子", "role": "人事課長", "phone": "078-000-1111"}],
    )
    development_activity_record(
        employer=employer,
        kind="visit",
        on=timezone.localdate(),
        by=developer,
        appeal="シニアの短時間勤務",
        outcome="求人票をいただける見込み",
    )
    own = posting_create(
        program=kobe,
        employer=employer,
        occupation="ビル清掃スタッフ",
        description="オフィスビルの床と窓の清掃。\n週3日、午前中のみ。",
        workplace_area=kobe.areas.get(code="chuo"),
        employment_type="パート労働者",
        wage_type="hourly",
        wage_from=1100,
        wage_to=1300,
        days_per_week=3,
        referral_deadline=timezone.localdate() + dt.timedelta(days=30),
    )
    imported = JobPosting.objects.create(  # as the Hello Work import leaves it
        program=kobe,
        employer=employer,
        number="28010-00000001",
        source="hellowork",
        office_name=employer.name,
        occupation="介護補助",
        description="デイサービスでの見守り",
        wage_type="monthly",
        wage_from=180000,
        referral_deadline=timezone.localdate() + dt.timedelta(days=20),
        search_text=posting_search_text("介護補助", "デイサービスでの見守り", employer.name),
    )
    sign_in(page, live_server.url, client_for(developer))
    urls = [
        reverse("jobs:posting_list", args=["kobe"]),
        reverse("jobs:posting_list", args=["kobe"]) + "?q=清掃&wage_type=hourly&wage_min=1000",
        reverse("jobs:posting_list", args=["kobe"]) + "?wage_min=1000",  # a form error
        reverse("jobs:posting_detail", args=["kobe", own.pk]),
        reverse("jobs:posting_detail", args=["kobe", imported.pk]),
        reverse("jobs:posting_create", args=["kobe"]),
        reverse("jobs:posting_edit", args=["kobe", own.pk]),
        reverse("jobs:employer_list", args=["kobe"]),
        reverse("jobs:employer_list", args=["kobe"]) + "?q=ｺｳﾍﾞ",
        reverse("jobs:employer_detail", args=["kobe", employer.pk]),
        reverse("jobs:employer_create", args=["kobe"]),
        reverse("jobs:employer_edit", args=["kobe", employer.pk]),
        reverse("jobs:contact_edit", args=["kobe", employer.pk, employer.contacts.get().pk]),
    ]
    problems = [p for url in urls for p in check_page(page, live_server.url + url)]
    assert problems == [], "\n".join(problems)
    set_width(page, 320)
    problems = [p for url in urls for p in check_page(page, live_server.url + url)]
    assert problems == [], "\n".join(problems)
    for url in urls:
        page.get(live_server.url + url)
        assert horizontal_overflow(page) == 0, url


def test_the_matching_screens_have_44px_targets_no_axe_violations_at_full_width_and_320px(
    page, live_server, client_for, kobe, kobe_manager, booked
):
    from secondcareer.consultations.services import consultation_record_create
    from secondcareer.jobs.mapping import load_mapping
    from secondcareer.jobs.models import JobPosting
    from secondcareer.jobs.services.hellowork import postings_import
    from secondcareer.jobs.tests.conftest import csv_text, posting_row
    from secondcareer.matching.services import match_decide, profile_save

    seeker, _reservation, _inquiry = booked
    today = timezone.localdate()
    rows = [
        posting_row(
            n,
            職種=job,
            仕事内容=text,
            就業場所=place,
            紹介期限日=f"{today.year + 1}/3/31",
            賃金=wage,
        )
        for n, (job, text, place, wage) in enumerate(
            [
                (
                    "経理事務",
                    "伝票の入力と月次の経理",
                    "神戸市東灘区住吉本町1-1",
                    "時給1,000円～1,300円",
                ),
                (
                    "清掃スタッフ",
                    "オフィスビルの日常清掃",
                    "神戸市灘区岩屋中町1-1",
                    "1,100円～1,300円",
                ),
                ("受付", "来客の案内と電話の取次", "神戸市東灘区本山北町1-1", "1,150円～1,200円"),
            ],
            start=1,
        )
    ]
    postings_import(
        program=kobe,
        data=csv_text(rows).encode("utf-8"),
        mapping=load_mapping(None),
        today=today,
    )
    record = consultation_record_create(
        program=kobe,
        seeker=seeker,
        actor=kobe_manager,
        kind=kobe.consultation_kinds.first().code,
        method="in_person",
        channel="venue",
        start=timezone.now() - dt.timedelta(hours=2),
        minutes=45,
        consultant=kobe_manager,
    )
    profile_save(
        program=kobe,
        seeker=seeker,
        by=kobe_manager,
        wished_occupations=["経理事務"],
        days_per_week=3,
        hours_per_day=5,
        min_hourly_wage=1100,
        career_history="メーカーで経理と簿記を20年担当しました",
    )
    postings = list(JobPosting.objects.filter(program=kobe).order_by("number"))
    match_decide(program=kobe, seeker=seeker, posting=postings[1], choice="pin", by=kobe_manager)
    match_decide(program=kobe, seeker=seeker, posting=postings[2], choice="hide", by=kobe_manager)
    sign_in(page, live_server.url, client_for(kobe_manager))
    urls = [
        reverse("consultations:case_detail", args=["kobe", record.case_id]),
        reverse("matching:recommendations", args=["kobe", seeker.pk]),
        reverse("matching:recommendations", args=["kobe", seeker.pk]) + "?hidden=1",
        reverse("matching:profile_edit", args=["kobe", seeker.pk]),
        reverse("matching:candidates", args=["kobe", postings[0].pk]),
        reverse("matching:meeting", args=["kobe"]),
        reverse("matching:meeting", args=["kobe"]) + "?date=nope",
    ]
    problems = [p for url in urls for p in check_page(page, live_server.url + url)]
    assert problems == [], "\n".join(problems)
    assert "経理事務" in page.execute_script("return document.body.innerText")
    set_width(page, 320)
    problems = [p for url in urls for p in check_page(page, live_server.url + url)]
    assert problems == [], "\n".join(problems)
    for url in urls:
        page.get(live_server.url + url)
        assert horizontal_overflow(page) == 0, url
    # Printed, the meeting's agenda has no navigation, forms or buttons, and the
    # postings start on a new page.
    page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        page.get(live_server.url + reverse("matching:meeting", args=["kobe"]))
        style = "return getComputedStyle(document.querySelector(arguments[0]))[arguments[1]]"
        assert page.execute_script(style, ".staff-nav", "display") == "none"
        assert page.execute_script(style, ".site-header", "display") == "none"
        assert page.execute_script(style, "form.date-form", "display") == "none"
        assert page.execute_script(style, "#postings", "breakBefore") == "page"
        assert "経理事務" in page.execute_script("return document.body.innerText")
    finally:
        page.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_the_internship_screens_have_44px_targets_no_axe_violations_at_full_width_and_320px(
    page, live_server, client_for, kobe
):
    from secondcareer.jobs.services import employer_create
    from secondcareer.placements.internships.services import (
        internship_consent_record,
        internship_create,
    )

    developer = staff_create(
        username="kb-developer", password=None, program=kobe, role=Role.JOB_DEVELOPER
    )
    employer = employer_create(
        program=kobe,
        name="株式会社みどり介護サービス",
        contacts=[{"name": "鈴木 一郎", "role": "施設長"}],
    )
    seeker = register_seeker(kobe, birth_date=dt.date(1959, 8, 9))
    today = timezone.localdate()
    bare = internship_create(
        program=kobe,
        kind="work_experience",
        employer=employer,
        participant=seeker,
        start_on=today + dt.timedelta(days=7),
        end_on=today + dt.timedelta(days=9),
        by=developer,
        content="デイサービスでの配膳補助",
        place="神戸市中央区1-2-3 みどり苑",
        schedule="9:30 集合\n10:00 配膳補助\n15:00 振り返り",
    )
    observation = internship_create(
        program=kobe,
        kind="observation",
        employer=employer,
        host_contact=employer.contacts.get(),
        participant=seeker,
        start_on=today + dt.timedelta(days=14),
        end_on=today + dt.timedelta(days=14),
        by=developer,
    )
    internship_consent_record(
        internship=observation, party="participant", given_on=today, by=developer
    )
    sign_in(page, live_server.url, client_for(developer))
    urls = [
        reverse("placements_internships:list", args=["kobe"]),
        reverse("placements_internships:list", args=["kobe"]) + "?status=planned",
        reverse("placements_internships:new", args=["kobe"]),
        reverse("placements_internships:detail", args=["kobe", bare.pk]),
        reverse("placements_internships:detail", args=["kobe", observation.pk]),
    ]
    problems = [p for url in urls for p in check_page(page, live_server.url + url)]
    assert problems == [], "\n".join(problems)
    set_width(page, 320)
    problems = [p for url in urls for p in check_page(page, live_server.url + url)]
    assert problems == [], "\n".join(problems)
    for url in urls:
        page.get(live_server.url + url)
        assert horizontal_overflow(page) == 0, url
