"""The jobs screens: who may open what (no role in the program is a 404, a role
without the permission a 403), a job developer's day (an employer registered, a visit
logged, a contact added, a posting registered, changed and closed), Japanese messages
for wrong input, and lists whose query count does not grow with their rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from secondcareer.devtools.testing.queries import same_count_with_more_rows
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.jobs.models import DevelopmentActivity, Employer, JobPosting
from secondcareer.jobs.services import development_activity_record, employer_contact_add
from secondcareer.jobs.tests.conftest import hellowork_posting
from secondcareer.people.models import Role
from secondcareer.people.services import staff_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(program, make_employer, make_posting):
    logger = staff_create(
        username="alpha-jd-log", password=None, program=program, role=Role.JOB_DEVELOPER
    )
    employer = make_employer(program, "株式会社アルファ清掃", name_kana="アルファセイソウ")
    employer_contact_add(employer=employer, name="採用 花子", phone="048-000-1111")
    development_activity_record(
        employer=employer,
        kind="visit",
        on=dt.date(2026, 5, 1),
        by=logger,
        appeal="シニアの短時間勤務",
        outcome="求人票をいただける見込み",
    )
    own = make_posting(employer, occupation="ビル清掃スタッフ")
    imported = hellowork_posting(employer)
    return employer, own, imported


def urls(program, world) -> dict[str, str]:
    employer, own, _imported = world
    slug = program.slug
    return {
        "employer_list": reverse("jobs:employer_list", args=[slug]),
        "employer_detail": reverse("jobs:employer_detail", args=[slug, employer.pk]),
        "employer_create": reverse("jobs:employer_create", args=[slug]),
        "employer_edit": reverse("jobs:employer_edit", args=[slug, employer.pk]),
        "contact_edit": reverse(
            "jobs:contact_edit", args=[slug, employer.pk, employer.contacts.get().pk]
        ),
        "posting_list": reverse("jobs:posting_list", args=[slug]),
        "posting_detail": reverse("jobs:posting_detail", args=[slug, own.pk]),
        "posting_create": reverse("jobs:posting_create", args=[slug]),
        "posting_edit": reverse("jobs:posting_edit", args=[slug, own.pk]),
    }


# Which role may open which page (GET).
MAY_OPEN = {
    Role.JOB_DEVELOPER: set(),  # everything
    Role.MANAGER: set(),
    Role.CONSULTANT: {"employer_list", "employer_detail", "posting_list", "posting_detail"},
    Role.RECEPTION: {"posting_list", "posting_detail"},
    Role.MUNICIPALITY: set(),
}


@pytest.mark.parametrize("role", list(MAY_OPEN))
def test_each_role_opens_what_it_may_and_gets_403_elsewhere(
    program, world, staff_of, client_for, role
):
    client = client_for(staff_of(role))
    everything = role in {Role.JOB_DEVELOPER, Role.MANAGER}
    for name, url in urls(program, world).items():
        allowed = everything or name in MAY_OPEN[role]
        assert client.get(url).status_code == (200 if allowed else 403), (role, name)


def test_staff_of_another_program_and_anonymous_callers_get_no_page(
    program, world, staff_of, client_for
):
    pages = urls(program, world)
    stranger = client_for(staff_of(Role.MANAGER, other=True))
    for url in pages.values():
        assert stranger.get(url).status_code == 404
    for url in pages.values():
        response = Client().get(url)
        assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_an_id_of_another_program_or_beyond_64_bits_is_a_404(
    program, other_program, world, make_employer, client_for, job_developer
):
    theirs = make_employer(other_program, "ベータ商事")
    client = client_for(job_developer)
    assert client.get(reverse("jobs:employer_detail", args=["alpha", theirs.pk])).status_code == 404
    assert client.get(f"/staff/jobs/alpha/postings/{2**64}/").status_code == 404


def test_consultants_see_the_employer_but_not_its_contacts_or_log(
    program, world, consultant, client_for
):
    page = client_for(consultant).get(urls(program, world)["employer_detail"]).content.decode()
    assert "株式会社アルファ清掃" in page and "ビル清掃スタッフ" in page
    assert "採用 花子" not in page
    assert "シニアの短時間勤務" not in page


def test_the_employer_page_shows_facts_contacts_postings_and_the_log_newest_first(
    program, world, job_developer, client_for
):
    employer = world[0]
    development_activity_record(
        employer=employer, kind="call", on=dt.date(2026, 6, 2), by=job_developer, outcome="再訪問"
    )
    page = client_for(job_developer).get(urls(program, world)["employer_detail"]).content.decode()
    assert "令和8年度" in page  # newly developed in fiscal 2026 (first visit 2026-05-01)
    assert "採用 花子" in page and "048-000-1111" in page
    assert page.index("再訪問") < page.index("求人票をいただける見込み")
    assert "介護職員" in page and "ビル清掃スタッフ" in page


def test_a_job_developer_registers_an_employer_logs_a_visit_and_adds_a_contact(
    program, job_developer, client_for
):
    client = client_for(job_developer)
    response = client.post(
        reverse("jobs:employer_create", args=["alpha"]),
        {"name": "有限会社さくら", "name_kana": "さくら", "area": program.areas.get().pk},
    )
    employer = Employer.objects.get(name="有限会社さくら")
    assert response.status_code == 302
    assert employer.name_kana == "サクラ"
    response = client.post(
        reverse("jobs:activity_add", args=["alpha", employer.pk]),
        {
            "kind": "visit",
            "on": "2026-12-01",
            "by": job_developer.pk,
            "appeal": "定年後の再雇用",
            "outcome": "次回は人事部長と面談",
        },
    )
    assert response.status_code == 302
    activity = DevelopmentActivity.objects.get(employer=employer)
    assert (activity.kind, activity.by, activity.on) == (
        "visit",
        job_developer,
        dt.date(2026, 12, 1),
    )
    response = client.post(
        reverse("jobs:contact_add", args=["alpha", employer.pk]),
        {"contact-name": "桜 一郎", "contact-role": "社長"},
    )
    assert response.status_code == 302
    assert employer.contacts.get().role == "社長"
    list_page = client.get(reverse("jobs:employer_list", args=["alpha"]), {"q": "ｻｸﾗ"})
    assert "有限会社さくら" in list_page.content.decode()


def test_wrong_input_shows_japanese_messages_and_writes_nothing(
    program, world, job_developer, client_for
):
    employer = world[0]
    client = client_for(job_developer)
    response = client.post(
        reverse("jobs:employer_create", args=["alpha"]),
        {"name": "誤り", "corporate_number": "1234567890123"},
    )
    assert response.status_code == 400
    assert "法人番号" in response.content.decode()
    response = client.post(
        reverse("jobs:activity_add", args=["alpha", employer.pk]),
        {"kind": "telepathy", "on": "2026-12-01", "by": job_developer.pk},
    )
    assert response.status_code == 400
    assert "一覧にある開拓の方法を選んでください。" in response.content.decode()
    response = client.post(
        reverse("jobs:posting_create", args=["alpha"]),
        {
            "employer": employer.pk,
            "occupation": "清掃",
            "referral_deadline": (timezone.localdate() + dt.timedelta(days=9)).isoformat(),
            "wage_type": "hourly",
            "wage_from": "1300",
            "wage_to": "1100",
        },
    )
    assert response.status_code == 400
    assert "賃金の上限は下限以上にしてください。" in response.content.decode()
    search = client.get(reverse("jobs:posting_list", args=["alpha"]), {"wage_min": "1000"})
    assert search.status_code == 400
    assert "賃金の下限を指定するときは、賃金形態も選んでください。" in search.content.decode()
    assert Employer.objects.count() == 1
    assert DevelopmentActivity.objects.count() == 1
    assert JobPosting.objects.count() == 2


def test_an_own_posting_is_registered_changed_and_closed_on_the_screens(
    program, world, job_developer, client_for
):
    employer = world[0]
    client = client_for(job_developer)
    deadline = timezone.localdate() + dt.timedelta(days=30)
    response = client.post(
        reverse("jobs:posting_create", args=["alpha"]),
        {
            "employer": employer.pk,
            "occupation": "マンション管理員",
            "description": "受付と巡回",
            "referral_deadline": deadline.isoformat(),
            "wage_type": "monthly",
            "wage_from": "150000",
            "days_per_week": "4",
        },
    )
    posting = JobPosting.objects.get(occupation="マンション管理員")
    assert response["Location"] == reverse("jobs:posting_detail", args=["alpha", posting.pk])
    page = client.get(response["Location"]).content.decode()
    assert "月給 150,000円〜" in page and "週4日" in page and "募集中" in page
    client.post(
        reverse("jobs:posting_edit", args=["alpha", posting.pk]),
        {
            "employer": employer.pk,
            "occupation": "マンション管理員",
            "referral_deadline": deadline.isoformat(),
            "wage_type": "monthly",
            "wage_from": "150000",
            "wage_to": "150000",
        },
    )
    posting.refresh_from_db()
    assert posting.wage_to == 150000 and posting.days_per_week is None
    client.post(reverse("jobs:posting_close", args=["alpha", posting.pk]))
    page = client.get(reverse("jobs:posting_detail", args=["alpha", posting.pk])).content.decode()
    assert "月給 150,000円" in page and "募集終了" in page


def test_a_hello_work_posting_shows_every_field_and_cannot_be_edited(
    program, world, job_developer, client_for
):
    imported = world[2]
    client = client_for(job_developer)
    page = client.get(reverse("jobs:posting_detail", args=["alpha", imported.pk])).content.decode()
    for label in ("求人番号", "紹介期限日", "仕事内容", "週所定労働日数", "年齢制限", "加入保険"):
        assert label in page
    assert "時給 1,200円〜1,400円" in page
    assert reverse("jobs:posting_edit", args=["alpha", imported.pk]) not in page
    response = client.get(reverse("jobs:posting_edit", args=["alpha", imported.pk]))
    assert response.status_code == 302
    response = client.post(
        reverse("jobs:posting_edit", args=["alpha", imported.pk]),
        {"occupation": "変更", "employer": imported.employer_id},
    )
    imported.refresh_from_db()
    assert imported.occupation == "介護職員"


def test_the_forms_need_the_csrf_token(program, world, job_developer):
    client = Client(enforce_csrf_checks=True)
    sign_in_staff(client, job_developer)
    response = client.post(
        reverse("jobs:activity_add", args=["alpha", world[0].pk]),
        {"kind": "visit", "on": "2026-12-01", "by": job_developer.pk},
    )
    assert response.status_code == 403
    assert DevelopmentActivity.objects.count() == 1


def test_the_staff_navigation_links_the_jobs_screens_for_the_roles_that_see_them(
    program, staff_of, client_for
):
    home = client_for(staff_of(Role.RECEPTION)).get("/staff/").content.decode()
    assert reverse("jobs:posting_list", args=["alpha"]) in home
    assert reverse("jobs:employer_list", args=["alpha"]) not in home
    home = client_for(staff_of(Role.JOB_DEVELOPER)).get("/staff/").content.decode()
    assert reverse("jobs:employer_list", args=["alpha"]) in home


# --- query counts ---------------------------------------------------------------------------


def test_the_posting_search_does_not_query_per_posting(
    program, world, make_posting, job_developer, client_for, django_assert_max_num_queries
):
    employer = world[0]
    area = program.areas.get()

    def grow() -> None:
        for n in range(25):
            make_posting(employer, occupation=f"清掃スタッフ{n}", workplace_area=area)

    same_count_with_more_rows(
        client_for(job_developer),
        reverse("jobs:posting_list", args=["alpha"]),
        {"q": "清掃"},
        grow,
        12,
        django_assert_max_num_queries,
    )


def test_the_employer_list_does_not_query_per_employer(
    program, world, make_employer, job_developer, client_for, django_assert_max_num_queries
):
    def grow() -> None:
        for n in range(25):
            employer = make_employer(program, f"株式会社{n}", area=program.areas.get())
            development_activity_record(
                employer=employer, kind="call", on=dt.date(2026, 7, 1), by=job_developer
            )

    same_count_with_more_rows(
        client_for(job_developer),
        reverse("jobs:employer_list", args=["alpha"]),
        None,
        grow,
        10,
        django_assert_max_num_queries,
    )


def test_the_employer_page_does_not_query_per_posting_or_activity(
    program, world, make_posting, job_developer, client_for, django_assert_max_num_queries
):
    employer = world[0]

    def grow() -> None:
        for n in range(10):
            make_posting(employer, occupation=f"清掃{n}")
            development_activity_record(
                employer=employer, kind="call", on=dt.date(2026, 7, n + 1), by=job_developer
            )
            employer_contact_add(employer=employer, name=f"担当{n}")

    same_count_with_more_rows(
        client_for(job_developer),
        reverse("jobs:employer_detail", args=["alpha", employer.pk]),
        None,
        grow,
        16,
        django_assert_max_num_queries,
    )


def test_the_search_of_one_employers_postings_keeps_the_employer_across_searches(
    program, world, make_employer, make_posting, job_developer, client_for
):
    employer = world[0]
    make_posting(make_employer(program, "別の会社"), occupation="ビル清掃の補助")
    client = client_for(job_developer)
    page = client.get(
        reverse("jobs:posting_list", args=["alpha"]), {"employer": employer.pk, "q": "清掃"}
    ).content.decode()
    assert "ビル清掃スタッフ" in page and "ビル清掃の補助" not in page
    assert f'name="employer" value="{employer.pk}"' in page
    everything = client.get(reverse("jobs:posting_list", args=["alpha"]), {"q": "清掃"})
    assert "ビル清掃の補助" in everything.content.decode()
    # An employer of nowhere filters nothing away rather than failing.
    assert (
        client.get(reverse("jobs:posting_list", args=["alpha"]), {"employer": "9" * 30}).status_code
        == 200
    )
