"""Generated job markets for the engine's tests and ``bench/bench_matching.py``: random
postings and seekers of a prefecture's size, and a set with planted matches. Pure
(numpy only); no personal data, every name and text is made up from word lists."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from secondcareer.matching.engine import Postings, Seeker

# Occupation → the words its job contents and career histories use (some are shared
# between occupations on purpose: 施設, 送迎, 点検, 受付, 洗濯).
OCCUPATIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("経理", ("経理", "簿記", "決算", "伝票", "会計")),
    ("清掃", ("清掃", "床", "ゴミ", "トイレ", "ビル")),
    ("介護", ("介護", "入浴", "食事", "施設", "送迎")),
    ("警備", ("警備", "巡回", "交通", "誘導", "施設")),
    ("調理", ("調理", "厨房", "盛り付け", "食材", "給食")),
    ("運転", ("運転", "配送", "トラック", "ドライバー", "荷物")),
    ("倉庫", ("倉庫", "仕分け", "検品", "梱包", "フォークリフト")),
    ("販売", ("販売", "レジ", "接客", "品出し", "店舗")),
    ("事務", ("事務", "データ入力", "電話", "書類", "パソコン")),
    ("管理人", ("マンション", "管理人", "受付", "点検", "住民")),
    ("農作業", ("農作業", "収穫", "野菜", "畑", "出荷")),
    ("保育", ("保育", "子ども", "見守り", "送迎", "園児")),
    ("製造", ("製造", "組立", "検査", "部品", "ライン")),
    ("営業", ("営業", "顧客", "提案", "訪問", "契約")),
    ("設備", ("設備", "保守", "電気", "ボイラー", "点検")),
    ("家事代行", ("家事", "掃除", "洗濯", "買い物", "料理")),
    ("駐輪場", ("駐輪場", "自転車", "整理", "案内", "料金")),
    ("学習支援", ("学習", "指導", "授業", "採点", "教室")),
    ("クリーニング", ("クリーニング", "アイロン", "洗濯", "受付", "衣類")),
    ("植木", ("植木", "剪定", "庭", "草刈り", "緑化")),
)
OCCUPATION_CODE_BASE = 100  # occupation i has code 100 + i
PLACES = ("駅前", "本町", "中央", "北口", "南口", "新町", "港", "山手", "川沿い", "団地")


def commute_matrix(areas: int, rng: np.random.Generator) -> np.ndarray:
    """Symmetric minutes between areas: 10 within an area, 20–120 between two."""
    between = rng.integers(20, 121, size=(areas, areas)).astype(np.float64)
    matrix = np.triu(between, 1)
    matrix = matrix + matrix.T
    np.fill_diagonal(matrix, 10.0)
    return matrix


def job_text(occupation: int, rng: np.random.Generator) -> str:
    words = OCCUPATIONS[occupation][1]
    a, b, c = rng.choice(len(words), size=3, replace=False)
    place = PLACES[int(rng.integers(len(PLACES)))]
    return (
        f"{place}の事業所で{words[a]}と{words[b]}の仕事です。{words[c]}もお願いします。"
        f"勤務地は{int(rng.integers(1, 1000))}番地。"
    )


def career_text(occupation: int, rng: np.random.Generator) -> str:
    words = OCCUPATIONS[occupation][1]
    a, b = rng.choice(len(words), size=2, replace=False)
    return f"{words[a]}と{words[b]}を{int(rng.integers(5, 40))}年担当しました。"


def random_postings(count: int, areas: int, rng: np.random.Generator) -> Postings:
    occupation = rng.integers(0, len(OCCUPATIONS), size=count)
    wage_from = rng.integers(950, 1500, size=count).astype(np.float64)
    limit = rng.random(count)
    lawful = limit < 0.10  # 1号 定年 (60 or 65), as Hello Work postings often say
    unlawful = (limit >= 0.10) & (limit < 0.15)  # a limit without a lawful reason
    age_max = np.where(lawful | unlawful, rng.choice([60.0, 65.0], size=count), np.nan)
    return Postings(
        ids=np.arange(1, count + 1),
        area=rng.integers(0, areas, size=count),
        age_min=np.full(count, np.nan),
        age_max=age_max,
        age_limit_lawful=lawful,
        days_per_week=rng.integers(1, 6, size=count),
        hours_per_day=rng.choice([3.0, 4.0, 5.0, 6.0, 7.5, 8.0], size=count),
        wage_from=wage_from,
        wage_to=wage_from + rng.integers(0, 301, size=count),
        employment_type=rng.integers(0, 4, size=count),
        physical_load=rng.integers(0, 4, size=count),
        occupation=OCCUPATION_CODE_BASE + occupation,
        texts=[job_text(int(o), rng) for o in occupation],
    )


def random_seekers(count: int, areas: int, rng: np.random.Generator) -> list[Seeker]:
    seekers = []
    for i in range(count):
        home = int(rng.integers(areas))
        occupation = int(rng.integers(len(OCCUPATIONS)))
        wished = {OCCUPATION_CODE_BASE + occupation}
        if rng.random() < 0.5:
            wished.add(OCCUPATION_CODE_BASE + int(rng.integers(len(OCCUPATIONS))))
        seekers.append(
            Seeker(
                id=i + 1,
                age=int(rng.integers(60, 76)),
                home_area=home,
                max_commute_minutes=float(rng.choice([30, 45, 60])),
                preferred_commute_minutes=float(rng.choice([20, 30])),
                max_days_per_week=int(rng.integers(3, 6)),
                max_hours_per_day=float(rng.choice([5, 6, 8])),
                min_hourly_wage=float(rng.choice([1000, 1050, 1100, 1200])),
                physical_limit=int(rng.integers(1, 4)),
                wished_areas=frozenset({home, int(rng.integers(areas))}),
                employment_types=frozenset() if rng.random() < 0.3 else frozenset({1, 2}),
                wished_occupations=frozenset(wished),
                career_text=career_text(occupation, rng),
            )
        )
    return seekers


@dataclass(frozen=True)
class Planted:
    postings: Postings
    seekers: list[Seeker]
    commute: np.ndarray
    truth: dict[int, set[int]]  # seeker id → the ids of the cluster planted for them


def planted_market(
    clusters: int = 200, size: int = 10, noise: int = 3000, areas: int = 20, seed: int = 13
) -> Planted:
    """One seeker per cluster. A cluster is ``size`` postings in one area and one
    occupation that meet all of that seeker's wishes (hard and soft); no other posting
    shares the cluster's (area, occupation). Other clusters of the same area, and noise
    postings, pass the seeker's hard filters too, with wages as good or better."""
    rng = np.random.default_rng(seed)
    combos = rng.choice(areas * len(OCCUPATIONS), size=clusters, replace=False)
    commute = commute_matrix(areas, rng)
    rows: dict[str, list] = {k: [] for k in ("area", "occ", "days", "wage", "text")}
    seekers: list[Seeker] = []
    truth: dict[int, set[int]] = {}
    for k, combo in enumerate(combos.tolist()):
        area, occupation = divmod(int(combo), len(OCCUPATIONS))
        start = len(rows["area"])
        for _ in range(size):
            rows["area"].append(area)
            rows["occ"].append(occupation)
            rows["days"].append(int(rng.integers(1, 4)))
            rows["wage"].append(float(rng.integers(1000, 1300)))
            rows["text"].append(job_text(occupation, rng))
        truth[k + 1] = set(range(start + 1, start + size + 1))
        seekers.append(
            Seeker(
                id=k + 1,
                age=int(rng.integers(60, 76)),
                home_area=area,
                max_commute_minutes=15,  # own area only (others are ≥ 20 minutes away)
                max_days_per_week=3,
                max_hours_per_day=8,
                min_hourly_wage=1000,
                physical_limit=3,
                wished_areas=frozenset({area}),
                wished_occupations=frozenset({OCCUPATION_CODE_BASE + occupation}),
                career_text=career_text(occupation, rng),
            )
        )
    taken = set(combos.tolist())
    while noise:
        area = int(rng.integers(areas))
        occupation = int(rng.integers(len(OCCUPATIONS)))
        if area * len(OCCUPATIONS) + occupation in taken:
            continue
        noise -= 1
        rows["area"].append(area)
        rows["occ"].append(occupation)
        rows["days"].append(int(rng.integers(1, 4)))
        rows["wage"].append(float(rng.integers(1000, 1500)))
        rows["text"].append(job_text(occupation, rng))
    count = len(rows["area"])
    wage = np.array(rows["wage"])
    postings = Postings(
        ids=np.arange(1, count + 1),
        area=np.asarray(rows["area"]),
        age_min=np.full(count, np.nan),
        age_max=np.full(count, np.nan),
        age_limit_lawful=np.zeros(count, dtype=bool),
        days_per_week=np.asarray(rows["days"]),
        hours_per_day=np.full(count, 5.0),
        wage_from=wage,
        wage_to=wage + 100,
        employment_type=np.ones(count),
        physical_load=np.zeros(count),
        occupation=OCCUPATION_CODE_BASE + np.array(rows["occ"]),
        texts=rows["text"],
    )
    return Planted(postings, seekers, commute, truth)


def recall_at(planted: Planted, found: dict[int, list[int]], k: int = 10) -> float:
    """Mean over seekers of |top k ∩ cluster| ÷ min(k, |cluster|)."""
    scores = [
        len(set(found.get(sid, [])[:k]) & cluster) / min(k, len(cluster))
        for sid, cluster in planted.truth.items()
    ]
    return float(np.mean(scores))
