"""The staff home per role: what each role sees of the day's work, that every item links
to the action that clears it, and that it costs the same queries for 3 cases or 40."""

from __future__ import annotations

import datetime as dt
import re

from django.test import Client
from django.urls import reverse

from secondcareer.conftest import register_seeker
from secondcareer.consultations.models import Case
from secondcareer.consultations.tests.conftest import record, staff
from secondcareer.devtools.testing.queries import count_queries
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.messaging.services import inquiry_open
from secondcareer.people.models import Role, User
from secondcareer.programs.models import Program

FIRST = dt.date(2026, 9, 1)  # first consultations; by TODAY the 3-month review is overdue
TODAY = dt.date(2027, 1, 5)  # and nobody has been in touch for more than 3 months


def as_user(user: User) -> Client:
    return sign_in_staff(Client(), user)


def caseload(program: Program, consultant: User, start: int, count: int) -> None:
    for n in range(start, start + count):
        seeker = register_seeker(
            program,
            birth_date=dt.date(1950, 1, 1) + dt.timedelta(days=n),
            family="鈴木",
            given=f"一郎{n}",
            family_kana="スズキ",
            given_kana="イチロウ",
            phone=f"090-5555-{n:04d}",
        )
        record(seeker, consultant, FIRST, notes="週3日の仕事を希望")


def text_of(client: Client) -> str:
    html = client.get(reverse("workspace:home")).content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_a_consultant_sees_their_overdue_reviews_and_out_of_contact_seekers_only(
    saitama, st_consultant, st_consultant2, frozen
):
    frozen(FIRST)
    caseload(saitama, st_consultant, 1, 2)
    caseload(saitama, st_consultant2, 3, 1)
    frozen(TODAY)
    home = as_user(st_consultant).get(reverse("workspace:home")).content.decode()
    mine = Case.objects.filter(consultant=st_consultant).order_by("pk")
    for case in mine:
        assert reverse("consultations:case_detail", args=["saitama", case.pk]) in home
    theirs = Case.objects.get(consultant=st_consultant2)
    assert reverse("consultations:case_detail", args=["saitama", theirs.pk]) not in home
    text = text_of(as_user(st_consultant))
    assert "鈴木 一郎1" in text and "鈴木 一郎2" in text and "鈴木 一郎3" not in text
    assert "期限切れ 2" in text  # both reviews overdue (due 2026-12-01)
    assert "3か月以上連絡のない利用者 2" in text


def test_a_manager_sees_the_whole_program_and_the_inquiries_by_deadline(
    saitama, st_consultant, st_consultant2, st_manager, frozen
):
    frozen(FIRST)
    caseload(saitama, st_consultant, 1, 2)
    caseload(saitama, st_consultant2, 3, 1)
    frozen(TODAY)
    inquiry, _ = inquiry_open(
        program=saitama, question="シルバー人材センターとの違いは？", reason="human"
    )
    client = as_user(st_manager)
    home = client.get(reverse("workspace:home")).content.decode()
    assert reverse("messaging:inquiry_detail", args=[inquiry.pk]) in home
    text = text_of(client)
    assert "シルバー人材センターとの違いは？" in text
    assert "3か月以上連絡のない利用者 3" in text
    assert "期限切れ 3" in text  # every overdue review of the program


def test_reception_and_the_municipality_see_no_case_content(saitama, st_consultant, frozen):
    frozen(FIRST)
    caseload(saitama, st_consultant, 1, 2)
    frozen(TODAY)
    reception = text_of(as_user(staff(saitama, Role.RECEPTION)))
    assert "見直し" not in reception and "連絡のない利用者" not in reception
    city = as_user(staff(saitama, Role.MUNICIPALITY))
    text = text_of(city)
    assert "鈴木" not in text and "今日の相談" not in text
    assert city.get(reverse("consultations:case_list", args=["saitama"])).status_code == 403


def test_the_home_of_a_consultant_costs_the_same_queries_for_3_cases_or_40(
    saitama, st_consultant, frozen
):
    frozen(FIRST)
    caseload(saitama, st_consultant, 1, 3)
    frozen(TODAY)
    client = as_user(st_consultant)
    client.get(reverse("workspace:home"))  # warm the session
    few = count_queries(client, reverse("workspace:home"))
    frozen(FIRST)
    caseload(saitama, st_consultant, 10, 37)
    frozen(TODAY)
    client = as_user(st_consultant)
    client.get(reverse("workspace:home"))
    many = count_queries(client, reverse("workspace:home"))
    assert few == many, (few, many)
    assert "3か月以上連絡のない利用者 40" in text_of(client)


def test_the_navigation_bar_shows_what_the_role_may_open(saitama, st_consultant, frozen):
    frozen(TODAY)
    consultant = as_user(st_consultant).get(reverse("workspace:home")).content.decode()
    nav = consultant.split('class="staff-nav"')[1].split("</nav>")[0]
    assert reverse("consultations:case_list", args=["saitama"]) in nav
    assert 'aria-current="page"' in nav
    city = as_user(staff(saitama, Role.MUNICIPALITY)).get(reverse("workspace:home"))
    city_nav = city.content.decode().split('class="staff-nav"')[1].split("</nav>")[0]
    assert "consultations" not in city_nav and "/staff/cases/" not in city_nav
    assert "/staff/seekers/" not in city_nav


def test_unread_chats_show_on_the_consultants_home_and_link_to_the_thread(
    saitama, st_consultant, st_consultant2, frozen
):
    from secondcareer.messaging.services import chat_message_post_seeker, chat_thread_open

    frozen(FIRST)
    caseload(saitama, st_consultant, 1, 1)
    caseload(saitama, st_consultant2, 2, 1)
    mine = Case.objects.get(consultant=st_consultant)
    theirs = Case.objects.get(consultant=st_consultant2)
    for case in (mine, theirs):
        thread = chat_thread_open(case=case)
        chat_message_post_seeker(thread=thread, body="来週の面接が不安です")
        chat_message_post_seeker(thread=thread, body="相談できますか")
    frozen(FIRST + dt.timedelta(days=1))
    page = as_user(st_consultant).get(reverse("workspace:home")).content.decode()
    assert "未読のチャット" in page
    assert reverse("chat:thread", args=["saitama", chat_thread_open(case=mine).pk]) in page
    assert reverse("chat:thread", args=["saitama", chat_thread_open(case=theirs).pk]) not in page
    assert "未読 2件" in page
    # Once the consultant opens the thread, it leaves the home.
    client = as_user(st_consultant)
    client.get(reverse("chat:thread", args=["saitama", chat_thread_open(case=mine).pk]))
    assert "未読のチャット" not in client.get(reverse("workspace:home")).content.decode()


def test_every_seeker_the_home_names_is_audited_once(saitama, st_consultant, frozen):
    from secondcareer.core.models import AuditEntry

    frozen(FIRST)
    caseload(saitama, st_consultant, 1, 3)
    frozen(TODAY)
    client = as_user(st_consultant)
    before = AuditEntry.objects.count()
    client.get(reverse("workspace:home"))
    entries = list(AuditEntry.objects.order_by("id")[before:])
    seekers = {str(c.seeker_id) for c in Case.objects.filter(consultant=st_consultant)}
    assert {e.object_id for e in entries if e.note == "home"} == seekers
    assert len([e for e in entries if e.note == "home"]) == 3


def test_todays_video_consultation_links_its_room_and_a_phone_one_the_call_list(kobe, frozen):
    from django.utils import timezone

    from secondcareer.booking.tests.test_video_rooms import book, free_starts, seekers, with_rooms
    from secondcareer.core.jpcalendar import TOKYO

    kobe = with_rooms(kobe)
    video_at, phone_at = free_starts(kobe, 2)
    video_seeker, phone_seeker = seekers(kobe, 2)
    video = book(kobe, video_seeker, video_at, method="video")
    book(kobe, phone_seeker, phone_at, method="phone")
    day = timezone.localtime(video_at, TOKYO).date()
    frozen(day)
    page = as_user(staff(kobe, Role.MANAGER)).get(reverse("workspace:home")).content.decode()
    assert video.video_url and video.video_url in page
    if timezone.localtime(phone_at, TOKYO).date() == day:
        assert reverse("booking_staff:call_list", args=["kobe"]) + f"?day={day}" in page


def test_employment_checks_due_show_with_a_link_to_log_the_call_and_leave_when_reached(
    saitama, st_consultant, st_consultant2, frozen
):
    from secondcareer.consultations.services import inactivity_check_record
    from secondcareer.people.models import Seeker

    frozen(FIRST)
    caseload(saitama, st_consultant, 1, 2)
    caseload(saitama, st_consultant2, 3, 1)
    frozen(TODAY)
    first, second = Seeker.objects.filter(cases__consultant=st_consultant).order_by("pk")
    form = reverse("consultations_followup:check", args=["saitama", first.pk])
    text = text_of(as_user(st_consultant))
    assert "就職状況の確認（電話・はがき） 2" in text
    assert form in as_user(st_consultant).get(reverse("workspace:home")).content.decode()
    # Reception makes the calls for the whole program.
    assert "就職状況の確認（電話・はがき） 3" in text_of(as_user(staff(saitama, Role.RECEPTION)))
    inactivity_check_record(
        program=saitama, seeker=first, actor=st_consultant, method="phone", result="working"
    )
    inactivity_check_record(
        program=saitama, seeker=second, actor=st_consultant, method="phone", result="unreachable"
    )
    page = as_user(st_consultant).get(reverse("workspace:home")).content.decode()
    assert form not in page and "就職状況の確認" not in page  # one reached, one just tried


def test_the_home_costs_the_same_queries_with_more_seekers_due_and_checks_logged(
    saitama, st_manager, st_consultant, frozen
):
    from secondcareer.consultations.services import inactivity_check_record
    from secondcareer.people.models import Seeker

    frozen(FIRST)
    caseload(saitama, st_consultant, 1, 2)
    frozen(TODAY)
    client = as_user(st_manager)
    client.get(reverse("workspace:home"))
    few = count_queries(client, reverse("workspace:home"))
    frozen(FIRST)
    caseload(saitama, st_consultant, 10, 30)
    frozen(TODAY)
    for seeker in Seeker.objects.filter(program=saitama).order_by("pk")[:5]:
        inactivity_check_record(
            program=saitama, seeker=seeker, actor=st_manager, method="postcard", result="searching"
        )
    client = as_user(st_manager)
    client.get(reverse("workspace:home"))
    many = count_queries(client, reverse("workspace:home"))
    assert few == many, (few, many)
    assert "就職状況の確認（電話・はがき） 27" in text_of(client)


def test_a_long_review_queue_lists_the_first_20_counts_all_and_links_the_rest(
    saitama, st_consultant, st_consultant2, st_manager, frozen
):
    frozen(FIRST)
    caseload(saitama, st_consultant, 1, 23)
    caseload(saitama, st_consultant2, 30, 2)
    frozen(TODAY)
    client = as_user(st_manager)
    html = client.get(reverse("workspace:home")).content.decode()
    section = html[html.index('id="reviews-saitama"') :]
    section = section[: section.index("</section>")]
    assert section.count("#reviews") == 20  # twenty rows, not 25
    text = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section))
    assert "期限切れ 25" in text and "すべての見直し（25件）を見る" in text
    rest = f"{reverse('consultations:case_list', args=['saitama'])}?review=due"
    assert rest in section.replace("&amp;", "&")

    listed = client.get(rest).content.decode()
    assert "25件" in re.sub(r"<[^>]+>", " ", listed)
    # a case with no review due soon is not in the filtered list
    done = Case.objects.filter(consultant=st_consultant2).first()
    done.reviews.update(done_on=TODAY)
    listed = client.get(rest).content.decode()
    assert "24件" in re.sub(r"<[^>]+>", " ", listed)
    assert reverse("consultations:case_detail", args=["saitama", done.pk]) not in listed


def test_a_consultant_with_more_reviews_due_costs_the_same_queries(saitama, st_consultant, frozen):
    frozen(FIRST)
    caseload(saitama, st_consultant, 1, 2)
    frozen(TODAY)
    client = as_user(st_consultant)
    client.get(reverse("workspace:home"))
    few = count_queries(client, reverse("workspace:home"))
    frozen(FIRST)
    caseload(saitama, st_consultant, 10, 25)
    frozen(TODAY)
    client = as_user(st_consultant)
    client.get(reverse("workspace:home"))
    assert count_queries(client, reverse("workspace:home")) == few
    assert "期限切れ 27" in text_of(client)
