"""Demo data for jobs: a Hello Work CSV in CP932 of about 1,000 postings per program,
generated from the program's own areas and imported through the same service as
``secondcareer import-hellowork`` (the file is also left in the var directory, to try the
command on); the employers it creates get senior-friendly facts and a year of job
development (visits, calls, mail, fairs) by the program's job developers.

Deterministic for the same seed and reference day; every date lies on or before the
reference day, so it works at any hour. Bulk writes only (one import, one
``bulk_update``, one ``bulk_create``).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import random

from django.conf import settings

from secondcareer.core.demodata import DemoContext, demo_seeder
from secondcareer.core.jpcalendar import format_wareki
from secondcareer.jobs.mapping import load_mapping
from secondcareer.jobs.models import (
    ActivityKind,
    DevelopmentActivity,
    Employer,
    Industry,
    PhysicalLoad,
)
from secondcareer.jobs.services.hellowork import postings_import
from secondcareer.people.demo import reference_date
from secondcareer.people.models import User

POSTINGS = 1000
EMPLOYERS = 120
# occupation, job content, industry, physical load, a wage text as Hello Work writes it
JOBS = (
    (
        "清掃スタッフ",
        "オフィスビルの日常清掃です。未経験の方も丁寧に指導します。",
        "M",
        "medium",
        "時給1,100円～1,200円",
    ),
    (
        "マンション管理員",
        "マンションの受付、巡回、簡単な清掃をお願いします。",
        "K",
        "light",
        "時給1,150円",
    ),
    (
        "調理補助",
        "高齢者施設の厨房で盛り付けと洗い場を担当します。",
        "N",
        "medium",
        "時給1,080円～1,250円",
    ),
    (
        "一般事務",
        "伝票の入力、電話応対、書類の整理です。経理の経験が活かせます。",
        "L",
        "light",
        "月給 180,000円～210,000円",
    ),
    (
        "経理事務",
        "月次決算の補助、請求書の発行、経費精算です。",
        "L",
        "light",
        "月給 200,000円～240,000円",
    ),
    (
        "介護職員",
        "デイサービスでの入浴、食事、送迎の介助です。資格取得を支援します。",
        "P",
        "heavy",
        "時給1,200円～1,400円",
    ),
    ("施設警備員", "商業施設の出入管理と巡回です。研修があります。", "R", "medium", "日給 9,000円"),
    (
        "送迎ドライバー",
        "デイサービス利用者の送迎（ワゴン車）です。",
        "P",
        "light",
        "時給1,150円～1,300円",
    ),
    ("販売スタッフ", "スーパーの品出しとレジです。", "I", "medium", "時給1,080円～"),
    ("軽作業", "倉庫での検品、ピッキング、梱包です。", "H", "medium", "時給1,100円"),
    ("植栽管理", "公園、街路樹の剪定と草刈りです。", "D", "heavy", "日給 10,000円～12,000円"),
    ("学童保育補助", "放課後児童クラブでの見守りと宿題の手伝いです。", "O", "light", "時給1,150円"),
)
TYPES = ("パート労働者", "正社員以外", "正社員")
HOURS = ("9時00分～13時00分", "13時00分～17時00分", "8時30分～17時30分", "6時00分～9時00分")
APPEALS = (
    "60歳以上の方の勤怠の安定と定着率を説明",
    "短時間の組み合わせで人手不足の時間帯を埋める提案",
    "経験者の即戦力としての活用事例を紹介",
    "助成金（特定求職者雇用開発助成金）の案内",
)
OUTCOMES = (
    "求人票を1件いただいた",
    "次回訪問の約束",
    "検討中との回答",
    "シニア向けの短時間求人を新設",
)


def hellowork_csv(program_slug: str, areas: list[str], today: dt.date, rng: random.Random) -> bytes:
    """About :data:`POSTINGS` postings of :data:`EMPLOYERS` establishments in the
    program's areas, as a CP932 CSV with the default mapping's headers (taken from the
    mapping itself, so the file is always what ``import-hellowork`` reads)."""
    prefecture_code = 28 if program_slug == "kobe" else 11
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    rows: list[dict[str, str]] = []
    for n in range(POSTINGS):
        employer = n % EMPLOYERS
        job = JOBS[employer % len(JOBS)]
        area = areas[employer % len(areas)] if areas else ""
        received = today - dt.timedelta(days=rng.randrange(0, 120))
        deadline = received + dt.timedelta(days=rng.choice((60, 90, 120)))
        limited = employer % 9 == 0
        monthly = job[4].startswith("月給")
        days = rng.choice((2, 3, 3, 4, 5))
        values = {
            "number": f"{prefecture_code}{employer % 100:03d}-{n + 1:08d}",
            "received_on": format_wareki(received),
            "referral_deadline": format_wareki(deadline),
            "office_number": f"{prefecture_code:02d}{employer % 100:02d}-{employer:06d}-{employer % 10}",
            "office_name": f"{('株式会社', '有限会社', '社会福祉法人')[employer % 3]}{area or 'シニア'}{job[0][:2]}{employer}",
            "occupation": job[0],
            "description": job[1],
            "workplace_address": f"{area}内の事業所" if area else "事業所",
            "employment_type": TYPES[rng.randrange(len(TYPES)) if monthly else n % 2],
            "employment_period": "雇用期間の定めあり（4か月以上）"
            if n % 3
            else "雇用期間の定めなし",
            "wage": job[4],
            # a monthly wage is for full-time hours (Hello Work's 月給 postings are),
            # so its hourly equivalent is a real one
            "working_hours": HOURS[2] if monthly else HOURS[n % len(HOURS)],
            "days_per_week": f"週{5 if monthly else days}日",
            "holidays": "土日祝" if n % 2 else "シフト制",
            "age": "64歳以下" if limited else "不問",
            "age_limited": "あり" if limited else "なし",
            "age_limit_reason": "定年年齢を上限" if limited else "",
            "retirement_age": "65歳" if employer % 2 else "",
            "rehire_max_age": "70歳" if employer % 3 else "",
            "requirements": "普通自動車免許" if job[0] == "送迎ドライバー" else "不問",
            "insurance": "雇用 労災",
            "openings": str(rng.choice((1, 1, 2, 3))),
        }
        rows.append(values)
    # the headers as the default mapping names them, in the public pages' order (above)
    headers = load_mapping(None).used()
    writer.writerow(headers[field] for field in rows[0])
    writer.writerows(row.values() for row in rows)
    return out.getvalue().encode("cp932")


@demo_seeder(order=90, name="jobs.hellowork")
def seed_jobs(ctx: DemoContext) -> None:
    today = reference_date(ctx)
    rng = ctx.rng("jobs.hellowork")
    areas = list(ctx.program.areas.order_by("id").values_list("name", flat=True))
    data = hellowork_csv(ctx.program.slug, areas, today, rng)
    path = settings.VAR_DIR / f"demo-hellowork-{ctx.program.slug}.csv"
    # written whole then renamed, so a reader never sees half a file
    partial = path.with_suffix(f".{os.getpid()}.part")
    partial.write_bytes(data)
    partial.replace(path)
    summary = postings_import(
        program=ctx.program, data=data, mapping=load_mapping(None), today=today
    )

    employers = list(Employer.objects.filter(program=ctx.program).order_by("pk"))
    jobs_by_name = {job[0]: job for job in JOBS}
    first_jobs = dict(
        ctx.program.postings.order_by("number").values_list("employer_id", "occupation")
    )
    for employer in employers:
        job = jobs_by_name.get(first_jobs.get(employer.pk, ""), JOBS[0])
        employer.industry = job[2] if job[2] in Industry.values else ""
        employer.physical_load = job[3] if job[3] in PhysicalLoad.values else ""
        employer.employees = rng.choice((8, 25, 60, 140, 420))
        employer.retirement_age = rng.choice((60, 65, 65, 70))
        employer.rehire_max_age = employer.retirement_age + rng.choice((0, 5, 5))
        employer.part_time_ok = rng.random() < 0.7
        employer.training = rng.random() < 0.5
    Employer.objects.bulk_update(
        employers,
        [
            "industry",
            "physical_load",
            "employees",
            "retirement_age",
            "rehire_max_age",
            "part_time_ok",
            "training",
        ],
        batch_size=500,
    )

    developers = list(
        User.objects.filter(username__in=ctx.shared.get("job_developers", [])).order_by("pk")
    )
    span = 365  # a year of development up to the reference day (two fiscal years' KPIs)
    start = today - dt.timedelta(days=span - 1)
    activities = []
    for employer in employers:
        if rng.random() < 0.25:
            continue  # known only from Hello Work: not (yet) developed by the centre
        for _ in range(rng.choice((1, 1, 2, 3))):
            activities.append(
                DevelopmentActivity(
                    employer=employer,
                    kind=rng.choice(ActivityKind.values),
                    on=start + dt.timedelta(days=rng.randrange(span)),
                    by=rng.choice(developers) if developers else None,
                    appeal=rng.choice(APPEALS),
                    outcome=rng.choice(OUTCOMES),
                )
            )
    DevelopmentActivity.objects.bulk_create(activities, batch_size=500)
    ctx.log(
        f"jobs.hellowork: {summary.line()}; {len(employers)} employers, "
        f"{len(activities)} development activities ({path.name})"
    )
