"""Demo data for matching: a matching profile for every demo seeker, consistent with
the program's areas (their own area and sometimes a neighbour) and with the demo
postings' occupations (``jobs.demo.JOBS``), kept by the seeker's consultant when they
have a case.

Runs after the jobs seeder (order 90). Deterministic for the same seed; bulk writes
only (one ``bulk_create`` for the profiles, one for their wished areas), and seekers
that already have a profile are left as they are (running it again adds nothing).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Min

from secondcareer.consultations.models import Case
from secondcareer.core.demodata import DemoContext, demo_seeder
from secondcareer.core.jpcalendar import TOKYO
from secondcareer.jobs.demo import JOBS
from secondcareer.matching.models import SeekerProfile, TimeOfDay
from secondcareer.people.demo import reference_date
from secondcareer.people.models import Seeker, User
from secondcareer.programs.models import Area

# A former trade, the occupations it leads to among the demo postings, and a tag.
CAREERS = (
    ("メーカーの経理部で月次決算と簿記を担当しました。", ("経理事務", "一般事務"), "事務希望"),
    ("商社で伝票の入力と電話応対、書類の整理をしてきました。", ("一般事務",), "事務希望"),
    (
        "ビルメンテナンス会社で清掃と設備の巡回をしていました。",
        ("清掃スタッフ", "マンション管理員"),
        "体を動かしたい",
    ),
    ("介護施設で入浴や食事の介助をしていました。", ("介護職員", "送迎ドライバー"), "資格あり"),
    ("給食会社で盛り付けと洗い場を担当しました。", ("調理補助",), "短時間希望"),
    ("スーパーで品出しとレジを長く担当しました。", ("販売スタッフ", "軽作業"), "短時間希望"),
    ("物流倉庫で検品とピッキングのリーダーでした。", ("軽作業", "施設警備員"), "体を動かしたい"),
    ("造園会社で剪定と草刈りをしていました。", ("植栽管理",), "屋外希望"),
    ("小学校の教員として子どもの学習を見てきました。", ("学童保育補助",), "子ども好き"),
    ("路線バスの運転手を30年務めました。", ("送迎ドライバー",), "運転免許あり"),
)
COMMUTES = (30, 45, 60, 60, 90)
WAGES = (0, 1000, 1050, 1100, 1150, 1200)
TYPES = ((), ("パート労働者",), ("パート労働者", "正社員以外"))
LICENCES = ("", "", "普通自動車免許", "介護職員初任者研修", "日商簿記2級")


@demo_seeder(order=95, name="matching.profiles")
def seed_profiles(ctx: DemoContext) -> None:
    program = ctx.program
    rng = ctx.rng("matching.profiles")
    occupations = {job[0] for job in JOBS}
    have = set(SeekerProfile.objects.filter(program=program).values_list("seeker_id", flat=True))
    seekers = list(
        Seeker.objects.filter(program=program).order_by("id").values_list("id", "area_id")
    )
    neighbours: dict[int, list[int]] = {}
    through = Area.adjacent.through
    for a, b in through.objects.filter(from_area__program=program).values_list(
        "from_area_id", "to_area_id"
    ):
        neighbours.setdefault(a, []).append(b)
    consultant_of = dict(
        Case.objects.filter(program=program, consultant__isnull=False)
        .values("seeker_id")
        .annotate(first=Min("consultant_id"))
        .values_list("seeker_id", "first")
    )
    consultants = {u.pk: u for u in User.objects.filter(pk__in=set(consultant_of.values()))}
    today = reference_date(ctx)
    # kept the evening before the reference day, like the rest of the history
    moment = dt.datetime.combine(today, dt.time(0), TOKYO) - dt.timedelta(hours=6)
    profiles: list[SeekerProfile] = []
    wished: list[tuple[int, list[int]]] = []
    for seeker_id, area_id in seekers:
        # drawn for every seeker, so that the others do not depend on who already has one
        career, jobs, tag = rng.choice(CAREERS)
        days = rng.choice((2, 3, 3, 4, 5))
        hours = rng.choice((4, 4, 5, 6, 8))
        commute = rng.choice(COMMUTES)
        wage = rng.choice(WAGES)
        types = rng.choice(TYPES)
        load = rng.choice(("light", "medium", "medium", "heavy"))
        time_of_day = rng.choice(TimeOfDay.values)
        licence = rng.choice(LICENCES)
        areas = [area_id] if area_id is not None else []
        if area_id in neighbours and rng.random() < 0.4:
            areas.append(rng.choice(neighbours[area_id]))
        if seeker_id in have:
            continue
        consultant = consultants.get(consultant_of.get(seeker_id, 0))
        profiles.append(
            SeekerProfile(
                program=program,
                seeker_id=seeker_id,
                wished_occupations=[job for job in jobs if job in occupations],
                max_commute_minutes=commute,
                days_per_week=days,
                hours_per_day=float(hours),
                time_of_day=time_of_day,
                min_hourly_wage=wage,
                employment_types=list(types),
                physical_limit=load,
                licences=licence,
                career_history=career,
                tags=[tag],
                updated_at=moment,
                updated_by=consultant,
            )
        )
        wished.append((seeker_id, areas))
    SeekerProfile.objects.bulk_create(profiles, batch_size=500)
    ids = dict(
        SeekerProfile.objects.filter(
            program=program, seeker_id__in=[seeker for seeker, _ in wished]
        ).values_list("seeker_id", "id")
    )
    link = SeekerProfile.wished_areas.through
    link.objects.bulk_create(
        [
            link(seekerprofile_id=ids[seeker_id], area_id=area)
            for seeker_id, areas in wished
            for area in areas
        ],
        batch_size=1000,
    )
    ctx.log(f"matching.profiles: {len(profiles)} profiles ({len(seekers)} seekers)")
