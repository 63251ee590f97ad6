"""The matching API: the shapes the README promises, and who may call each endpoint
(a program without a role is a 404, a role without the permission a 403, a consultant
works within their caseload), with an audit entry whenever a seeker is shown."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from secondcareer.conftest import register_seeker
from secondcareer.consultations.models import Case
from secondcareer.core.models import AuditAction, AuditEntry
from secondcareer.devtools.testing.staff import sign_in_staff
from secondcareer.jobs.models import JobPosting
from secondcareer.matching.models import MatchDecision, SeekerProfile
from secondcareer.matching.services import profile_save
from secondcareer.matching.tests.conftest import TODAY, row
from secondcareer.people.models import Role, Seeker, User
from secondcareer.programs.models import Program

pytestmark = pytest.mark.django_db

PROFILE = {
    "days_per_week": 3,
    "hours_per_day": 5,
    "min_hourly_wage": 1100,
    "max_commute_minutes": 45,
    "wished_areas": ["gamma"],
    "wished_occupations": ["経理"],
    "career_history": "経理と簿記を20年",
    "tags": ["事務希望"],
}


def signed_in(user: User) -> Client:
    return sign_in_staff(Client(), user)


@pytest.fixture
def world(program: Program, seeker: Seeker, import_rows: Callable[..., str]) -> dict[str, Any]:
    import_rows(
        [
            row(1, 職種="清掃スタッフ", 仕事内容="ビルの清掃"),
            row(
                2,
                職種="経理事務",
                仕事内容="経理と簿記",
                就業場所="ガンマ市1",
                賃金="時給1,000円～1,300円",
            ),
        ]
    )
    profile_save(program=program, seeker=seeker, by=None, **PROFILE)
    return {"posting": JobPosting.objects.get(number="11010-00000002")}


def _urls(seeker: Seeker, posting: JobPosting) -> dict[str, tuple[str, str]]:
    return {
        "seeker matches": ("get", f"/api/seekers/{seeker.pk}/matches"),
        "posting matches": ("get", f"/api/postings/{posting.pk}/matches"),
        "profile": ("get", f"/api/seekers/{seeker.pk}/profile"),
        "profile put": ("put", f"/api/seekers/{seeker.pk}/profile"),
        "decision": ("post", f"/api/seekers/{seeker.pk}/matches/{posting.pk}/decision"),
    }


def call(client: Client, method: str, url: str, body: Any = None, program: str = "alpha") -> Any:
    path = f"{url}?program={program}"
    if method == "get":
        return client.get(path)
    data = json.dumps(body if body is not None else {})
    return getattr(client, method)(path, data, content_type="application/json")


BODIES = {"profile put": {"days_per_week": 4}, "decision": {"choice": "pin"}}

# endpoint → the roles allowed
ALLOWED = {
    "seeker matches": {Role.CONSULTANT, Role.MANAGER, Role.JOB_DEVELOPER},
    "posting matches": {Role.CONSULTANT, Role.MANAGER, Role.JOB_DEVELOPER},
    "profile": {Role.CONSULTANT, Role.MANAGER, Role.JOB_DEVELOPER},
    "profile put": {Role.CONSULTANT, Role.MANAGER, Role.JOB_DEVELOPER},
    "decision": {Role.CONSULTANT, Role.MANAGER},
}


@pytest.mark.parametrize("endpoint", list(ALLOWED))
@pytest.mark.parametrize("role", list(Role.values))
def test_each_endpoint_answers_each_role_as_the_rules_say(
    world: dict[str, Any],
    program: Program,
    seeker: Seeker,
    staff_of: Callable[..., User],
    endpoint: str,
    role: str,
) -> None:
    user = staff_of(role)
    if role == Role.CONSULTANT:  # their caseload holds the seeker
        Case.objects.create(
            program=program, seeker=seeker, consultant=user, opened_on=TODAY, anchor_on=TODAY
        )
    method, url = _urls(seeker, world["posting"])[endpoint]
    response = call(signed_in(user), method, url, BODIES.get(endpoint))
    expected = 200 if role in ALLOWED[endpoint] else 403
    assert response.status_code == expected, response.content
    if expected == 403:
        assert response.json()["error"] == "forbidden"


@pytest.mark.parametrize("endpoint", list(ALLOWED))
def test_another_programs_staff_find_no_such_program_and_anonymous_callers_get_401(
    world: dict[str, Any], seeker: Seeker, staff_of: Callable[..., User], endpoint: str
) -> None:
    method, url = _urls(seeker, world["posting"])[endpoint]
    stranger = signed_in(staff_of(Role.MANAGER, other=True))
    assert call(stranger, method, url, BODIES.get(endpoint)).status_code == 404
    # their own program, but the seeker and posting are not in it
    assert call(stranger, method, url, BODIES.get(endpoint), program="beta").status_code == 404
    assert call(Client(), method, url, BODIES.get(endpoint)).status_code == 401


@pytest.mark.parametrize("endpoint", ["seeker matches", "profile", "profile put", "decision"])
def test_a_seeker_outside_a_consultants_caseload_does_not_exist_for_them(
    world: dict[str, Any], seeker: Seeker, consultant: User, endpoint: str
) -> None:
    method, url = _urls(seeker, world["posting"])[endpoint]
    assert call(signed_in(consultant), method, url, BODIES.get(endpoint)).status_code == 404


def test_a_postings_candidates_for_a_consultant_are_their_caseload(
    world: dict[str, Any], program: Program, seeker: Seeker, consultant: User
) -> None:
    other = register_seeker(
        program,
        birth_date=dt.date(1959, 1, 1),
        family="鈴木",
        given="花子",
        family_kana="スズキ",
        given_kana="ハナコ",
        phone="080-3333-4444",
    )
    profile_save(program=program, seeker=other, by=None, **PROFILE)
    url = f"/api/postings/{world['posting'].pk}/matches"
    client = signed_in(consultant)
    assert call(client, "get", url).json() == []
    Case.objects.create(
        program=program, seeker=other, consultant=consultant, opened_on=TODAY, anchor_on=TODAY
    )
    assert [m["seeker_id"] for m in call(client, "get", url).json()] == [other.pk]


def test_the_seekers_matches_have_the_promised_shape_and_are_audited(
    world: dict[str, Any], seeker: Seeker, manager: User
) -> None:
    response = call(signed_in(manager), "get", f"/api/seekers/{seeker.pk}/matches")
    assert response.status_code == 200
    data = response.json()
    assert data[0]["posting_id"] == world["posting"].pk  # the wished occupation
    first = data[0]
    assert {"posting_id", "score", "reasons", "gaps", "decision", "occupation", "employer"} <= set(
        first
    )
    assert "時給が希望より100円低い（上限1,300円）" in first["gaps"]
    assert "希望の職種です" in first["reasons"]
    assert 0 <= first["score"] <= 1
    assert AuditEntry.objects.filter(
        actor_id=manager.pk,
        action=AuditAction.VIEW,
        object_type="people.seeker",
        object_id=str(seeker.pk),
    ).exists()


def test_a_postings_matches_list_the_seekers_and_audit_each(
    world: dict[str, Any], seeker: Seeker, job_developer: User
) -> None:
    response = call(signed_in(job_developer), "get", f"/api/postings/{world['posting'].pk}/matches")
    (found,) = response.json()
    assert found["seeker_id"] == seeker.pk and found["name"] == "山田 太郎"
    assert "週3日から可" in found["reasons"]
    assert AuditEntry.objects.filter(
        actor_id=job_developer.pk,
        object_type="people.seeker",
        object_id=str(seeker.pk),
        note="api posting matches",
    ).exists()


def test_the_profile_is_read_and_updated_with_japanese_field_errors(
    world: dict[str, Any], seeker: Seeker, manager: User
) -> None:
    client = signed_in(manager)
    url = f"/api/seekers/{seeker.pk}/profile"
    got = call(client, "get", url).json()
    assert got["wished_areas"] == ["gamma"] and got["days_per_week"] == 3
    assert got["tags"] == ["事務希望"]
    updated = call(
        client, "put", url, {"days_per_week": 5, "min_wage": 8800, "min_wage_type": "daily"}
    )
    assert updated.status_code == 200, updated.content
    assert updated.json()["days_per_week"] == 5
    assert updated.json()["min_hourly_wage"] == 1760  # 8,800円 ÷ 5 hours
    assert updated.json()["updated_by"] == manager.username
    bad = call(client, "put", url, {"days_per_week": 8, "wished_areas": ["mars"]})
    assert bad.status_code == 422
    assert set(bad.json()["fields"]) == {"days_per_week", "wished_areas"}
    assert SeekerProfile.objects.get().days_per_week == 5
    wrong_type = call(client, "put", url, {"days_per_week": "five"})
    assert wrong_type.status_code == 400
    unknown = call(client, "put", url, {"shoe_size": 27})
    assert unknown.status_code == 400


def test_a_profile_not_yet_kept_is_a_404_in_japanese(
    program: Program, manager: User, areas: Any
) -> None:
    other = register_seeker(
        program,
        birth_date=dt.date(1959, 1, 1),
        family="鈴木",
        given="花子",
        family_kana="スズキ",
        given_kana="ハナコ",
        phone="080-3333-4444",
    )
    response = call(signed_in(manager), "get", f"/api/seekers/{other.pk}/profile")
    assert response.status_code == 404
    assert "まだ登録されていません" in response.json()["message"]
    assert call(signed_in(manager), "get", f"/api/seekers/{other.pk}/matches").json() == []


def test_a_decision_pins_hides_and_clears(
    world: dict[str, Any], seeker: Seeker, consultant: User, program: Program
) -> None:
    Case.objects.create(
        program=program, seeker=seeker, consultant=consultant, opened_on=TODAY, anchor_on=TODAY
    )
    client = signed_in(consultant)
    posting = world["posting"]
    url = f"/api/seekers/{seeker.pk}/matches/{posting.pk}/decision"
    hidden = call(client, "post", url, {"choice": "hide"})
    assert hidden.json() == {"seeker_id": seeker.pk, "posting_id": posting.pk, "choice": "hide"}
    listed = call(client, "get", f"/api/seekers/{seeker.pk}/matches").json()
    assert posting.pk not in [m["posting_id"] for m in listed]
    assert call(client, "post", url, {"choice": "star"}).status_code == 422
    assert call(client, "post", url, {"choice": "clear"}).json()["choice"] is None
    assert not MatchDecision.objects.exists()
    assert call(client, "get", f"/api/seekers/{seeker.pk}/matches?top=0").status_code == 400
    assert (
        call(client, "get", f"/api/seekers/{seeker.pk}/matches", program="alpha").status_code == 200
    )


def test_the_role_groups_carry_matchings_permissions(db: None) -> None:
    from django.contrib.auth.models import Group

    from secondcareer.people.roles import ROLE_GROUP_NAMES

    def codenames(role: str) -> set[str]:
        group = Group.objects.get(name=ROLE_GROUP_NAMES[role])
        return set(
            group.permissions.filter(content_type__app_label="matching").values_list(
                "codename", flat=True
            )
        )

    assert {"view_matches", "change_seekerprofile", "decide_match"} <= codenames(Role.CONSULTANT)
    assert {"view_matches", "change_seekerprofile"} <= codenames(Role.JOB_DEVELOPER)
    assert "decide_match" not in codenames(Role.JOB_DEVELOPER)
    assert codenames(Role.RECEPTION) == codenames(Role.MUNICIPALITY) == set()
