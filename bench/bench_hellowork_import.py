"""The Hello Work import at a prefecture's size (issue 13): a generated CP932 file of
100,000 postings (the default mapping's columns, 和暦 dates, full-width digits in the
wages) imported into Saitama's program, then the same file re-imported.

Figures: the first import — target ≤ 20 s — and the re-import (every row unchanged,
nothing written) — target ≤ 10 s, both through ``call_command("import-hellowork")``,
so decoding, parsing, comparing and the writes are all timed.

The work runs in a child process (``SECONDCAREER_VAR_DIR`` a temporary directory), so
it never touches the developer's database.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROWS = 100_000
EMPLOYERS = 8_000
TARGET_IMPORT_S = 20.0
TARGET_REIMPORT_S = 10.0
# The columns in the order written, as the default mapping's fields (their headers come
# from the mapping itself, so the bench reads exactly what the importer expects).
FIELDS = (
    "number",
    "received_on",
    "referral_deadline",
    "office_number",
    "office_name",
    "occupation",
    "description",
    "workplace_address",
    "employment_type",
    "employment_period",
    "wage",
    "working_hours",
    "days_per_week",
    "holidays",
    "age",
    "age_limited",
    "age_limit_reason",
    "retirement_age",
    "rehire_max_age",
    "requirements",
    "insurance",
    "openings",
)
_WAGES = ("１，１００円～１，３００円", "月給 180,000円", "時給1,050円〜", "日給 8,000円")
_PLACES = ("さいたま市", "川越市", "所沢市", "春日部市", "上尾市", "草加市", "越谷市", "戸田市")


def _once(database_url: str | None) -> dict[str, object]:
    with tempfile.TemporaryDirectory(prefix="sc-bench-hellowork-") as tmp:
        env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
        env.update(
            SECONDCAREER_VAR_DIR=tmp,
            SECONDCAREER_ENV="test",
            DJANGO_SETTINGS_MODULE="secondcareer.config.settings",
        )
        if database_url:
            env["DATABASE_URL"] = database_url
        child = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--child", tmp],
            env=env,
            capture_output=True,
            text=True,
            timeout=1800,
            check=False,
        )
    if child.returncode != 0:
        return {"error": child.stderr[-4000:]}
    result: dict[str, object] = json.loads(child.stdout.strip().splitlines()[-1])
    return result


def run() -> dict[str, object]:
    """The import on a scratch SQLite file, then on a throwaway PostgreSQL cluster
    (skipped when PostgreSQL is not installed)."""
    from secondcareer.devtools.testing.pgcluster import PostgresUnavailable, start_cluster

    results: dict[str, object] = {"sqlite": _once(None)}
    try:
        cluster = start_cluster()
    except PostgresUnavailable as exc:
        results["postgresql"] = {"skipped": f"PostgreSQL unavailable: {exc}"}
    else:
        try:
            results["postgresql"] = _once(cluster.url())
        finally:
            cluster.stop()
    for name, result in results.items():
        if isinstance(result, dict) and "import_s" in result:
            sys.stderr.write(
                f"hellowork import ({name}): {result['rows']} rows in {result['import_s']} s, "
                f"re-import {result['reimport_s']} s\n"
            )
    return results


def write_file(path: Path, rows: int = ROWS, descriptions: list[str] | None = None) -> None:
    """The CSV; ``descriptions`` (one per row) replaces the one 仕事内容 of every row."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    from secondcareer.jobs.mapping import load_mapping

    headers = load_mapping(None).used()
    writer.writerow(headers[field] for field in FIELDS)
    for n in range(rows):
        employer = n % EMPLOYERS
        writer.writerow(
            (
                f"11010-{n:08d}",
                f"令和8年{n % 12 + 1}月{n % 28 + 1}日",
                "令和9年3月31日",
                f"1101-{employer:06d}-{employer % 10}",
                f"株式会社埼玉{employer}",
                ("清掃スタッフ", "マンション管理員", "調理補助", "一般事務", "警備員")[n % 5],
                descriptions[n]
                if descriptions
                else "施設内の清掃業務です。\n未経験の方も丁寧に指導します。",
                f"埼玉県{_PLACES[n % len(_PLACES)]}本町{n % 9 + 1}丁目",
                ("パート労働者", "正社員", "正社員以外")[n % 3],
                "雇用期間の定めあり（4か月以上）",
                _WAGES[n % len(_WAGES)],
                "8時30分～12時30分",
                f"週{n % 5 + 1}日",
                "土日祝",
                "不問" if n % 4 else "64歳以下",
                "なし" if n % 4 else "あり",
                "" if n % 4 else "定年年齢を上限",
                "65歳" if n % 2 else "なし",
                "70歳" if n % 3 else "",
                "不問",
                "雇用 労災 健康 厚生",
                f"{n % 3 + 1}人",
            )
        )
    path.write_bytes(out.getvalue().encode("cp932"))


def _child(tmp: str) -> None:
    import django

    django.setup()
    from django.core.management import call_command

    from secondcareer.jobs.models import JobPosting
    from secondcareer.programs.services import program_load_preset

    call_command("migrate", verbosity=0)
    program_load_preset(path_or_name="saitama")
    path = Path(tmp) / "hellowork.csv"
    write_file(path)
    timings = []
    summaries = []
    for _ in range(2):
        out = io.StringIO()
        started = time.perf_counter()
        call_command("import-hellowork", str(path), "--program", "saitama", stdout=out)
        timings.append(round(time.perf_counter() - started, 2))
        summaries.append(out.getvalue().strip())
    print(
        json.dumps(
            {
                "rows": ROWS,
                "file_mb": round(path.stat().st_size / 1e6, 1),
                "postings": JobPosting.objects.count(),
                "import_s": timings[0],
                "import_target_s": TARGET_IMPORT_S,
                "reimport_s": timings[1],
                "reimport_target_s": TARGET_REIMPORT_S,
                "import_summary": summaries[0],
                "reimport_summary": summaries[1],
            },
            ensure_ascii=False,
        )
    )


if __name__ == "__main__" and "--child" in sys.argv:
    _child(sys.argv[sys.argv.index("--child") + 1])
