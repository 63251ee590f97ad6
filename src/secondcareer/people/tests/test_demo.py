"""``secondcareer seed-demo``: staff and synthetic seekers for a program."""

from __future__ import annotations

import datetime as dt
import io
import random
import re
import statistics
from collections import Counter

import phonenumbers
import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone

from secondcareer.people.ages import age_on
from secondcareer.people.demo import (
    AGE_WEIGHTS,
    STAFF_PLAN,
    TOKYO,
    PeopleGenerator,
    birth_date_for_age,
    plan_areas,
)
from secondcareer.people.demo_data import (
    EMAIL_DOMAINS,
    FEMALE_GIVEN_NAMES,
    KOBE_AREAS,
    MALE_GIVEN_NAMES,
    REGIONS,
    SAITAMA_AREAS,
    SURNAMES,
)
from secondcareer.people.models import (
    ConsentKind,
    ConsentMethod,
    ConsentRecord,
    Gender,
    Membership,
    RegistrationChannel,
    Role,
    Seeker,
    User,
)
from secondcareer.programs.models import Area, Program

TODAY = dt.date(2026, 3, 31)
KATAKANA = re.compile(r"^[ァ-ヶー]+$")
MOBILE = ("090-", "080-", "070-")
KOBE_WARDS = (
    ("higashinada", "東灘区"),
    ("nada", "灘区"),
    ("tarumi", "垂水区"),
    ("hokushin", "北神"),
)
SAITAMA_TOWNS = (("tokorozawa", "所沢市"), ("soka", "草加市"), ("ina", "伊奈町"))


def make_program(slug: str, name: str, prefix: str, areas: tuple[tuple[str, str], ...]) -> Program:
    program = Program.objects.create(slug=slug, name=name, client=name, card_prefix=prefix)
    kind = "ward" if slug == "kobe" else "municipality"
    for code, area_name in areas:
        Area.objects.create(program=program, code=code, name=area_name, kind=kind)
    return program


@pytest.fixture
def kobe_four_wards(db: None) -> Program:
    """Kobe with four wards only, whose postal codes and area codes the tests know."""
    return make_program("kobe", "神戸市シニア就労支援", "KB", KOBE_WARDS)


@pytest.fixture
def saitama_three_towns(db: None) -> Program:
    return make_program("saitama", "埼玉県セカンドキャリアセンター", "ST", SAITAMA_TOWNS)


def seed(program: Program, *, seekers: int = 80, seed: int = 1, **options: object) -> str:
    out = io.StringIO()
    call_command(
        "seed-demo",
        program=program.slug,
        seekers=seekers,
        seed=seed,
        today=TODAY,
        stdout=out,
        **options,
    )
    return out.getvalue()


def snapshot(program: Program) -> tuple[list[tuple[object, ...]], list[tuple[object, ...]]]:
    seekers = [
        (
            s.card_number,
            s.family_name,
            s.given_name,
            s.family_name_kana,
            s.given_name_kana,
            s.birth_date,
            s.gender,
            s.phone,
            s.email,
            s.postal_code,
            s.address,
            s.area.code if s.area else None,
            s.registration_channel,
            s.heard_from,
            s.registered_on,
            s.created_by.username if s.created_by else None,
            sorted((c.kind, c.version, c.method, c.granted) for c in s.consents.all()),
        )
        for s in Seeker.objects.filter(program=program)
        .select_related("area", "created_by")
        .prefetch_related("consents")
        .order_by("card_number")
    ]
    staff = [
        (u.username, u.last_name, u.first_name, sorted(m.role for m in u.memberships.all()))
        for u in User.objects.filter(memberships__program=program)
        .distinct()
        .prefetch_related("memberships")
        .order_by("username")
    ]
    return seekers, staff


def generate(count: int, areas: tuple[tuple[int, str], ...] = ((1, "東灘区"), (2, "西区"))):
    region, plans = plan_areas(areas)
    return PeopleGenerator(random.Random(7), today=TODAY, region=region, areas=plans).people(count)


# --- Determinism and idempotency ---------------------------------------------------------


def test_the_same_program_seed_and_date_give_the_same_data_on_an_empty_database(kobe):
    with transaction.atomic():
        seed(kobe, seekers=50)
        first = snapshot(kobe)
        transaction.set_rollback(True)
    assert not Seeker.objects.exists()
    assert not User.objects.exists()

    seed(kobe, seekers=50)

    assert snapshot(kobe) == first
    assert len(first[0]) == 50


def test_another_seed_gives_other_people(kobe):
    with transaction.atomic():
        seed(kobe, seekers=30, seed=1)
        first = snapshot(kobe)
        transaction.set_rollback(True)

    seed(kobe, seekers=30, seed=2)

    names = {(row[1], row[2], row[5]) for row in first[0]}
    assert names != {(row[1], row[2], row[5]) for row in snapshot(kobe)[0]}


def test_running_twice_adds_nothing(kobe):
    seed(kobe, seekers=40)
    before = snapshot(kobe)

    output = seed(kobe, seekers=40)

    assert snapshot(kobe) == before
    assert "0 registered" in output
    assert "(0 new)" in output


def test_a_larger_count_tops_the_program_up_with_the_people_a_fresh_run_would_have_made(kobe):
    with transaction.atomic():
        seed(kobe, seekers=45)
        fresh = {row[1:12] for row in snapshot(kobe)[0]}
        transaction.set_rollback(True)

    seed(kobe, seekers=20)
    seed(kobe, seekers=45)

    topped_up = [row for row in snapshot(kobe)[0]]
    assert len(topped_up) == 45
    assert {row[1:12] for row in topped_up} == fresh
    assert len({row[0] for row in topped_up}) == 45  # card numbers stay unique


def test_the_command_refuses_a_program_that_is_not_loaded_and_says_how_to_load_it(db):
    with pytest.raises(CommandError, match=r"secondcareer load-program kobe"):
        call_command("seed-demo", program="kobe", stdout=io.StringIO())


# --- Output --------------------------------------------------------------------------------


def test_the_output_has_counts_but_no_names_phones_emails_or_addresses(kobe):
    output = seed(kobe, seekers=60)

    assert "60 registered" in output
    for seeker in Seeker.objects.filter(program=kobe):
        for secret in (
            seeker.family_name + seeker.given_name,
            seeker.family_name_kana + seeker.given_name_kana,
            seeker.phone,
            seeker.phone_digits,
            seeker.email or "@",
            seeker.address,
        ):
            assert secret not in output
    for user in User.objects.all():
        assert f"{user.last_name} {user.first_name}" not in output


# --- Staff ---------------------------------------------------------------------------------


def test_staff_of_every_role_exist_with_a_membership_in_that_program_only(kobe, saitama):
    seed(kobe, seekers=5)
    seed(saitama, seekers=5)

    memberships = Membership.objects.filter(user__username__startswith="kobe-")
    assert {m.role for m in memberships} == set(Role.values)
    assert {m.program_id for m in memberships} == {kobe.pk}
    assert Counter(m.role for m in memberships) == dict(STAFF_PLAN)
    assert memberships.filter(role=Role.CONSULTANT, user__username="kobe-consultant-1").exists()
    for user in User.objects.filter(username__startswith="kobe-"):
        assert KATAKANA.match(user.last_name) is None  # a kanji name, not a reading
        assert user.last_name and user.first_name
        assert not user.has_usable_password()


def test_demo_staff_get_the_password_the_caller_gives(kobe):
    seed(kobe, seekers=0, staff_password="a-demo-only-passphrase")

    user = User.objects.get(username="kobe-manager-1")
    assert user.check_password("a-demo-only-passphrase")


@pytest.mark.parametrize("password", ["12345678", "password", "short"])
def test_a_staff_password_the_validators_refuse_is_refused_before_anything_is_written(
    kobe, password
):
    with pytest.raises(CommandError, match=r"--staff-password") as caught:
        seed(kobe, seekers=5, staff_password=password)

    assert "パスワード" in str(caught.value)
    assert not User.objects.exists()
    assert not Seeker.objects.exists()


def test_a_reference_date_after_today_in_japan_is_refused(kobe):
    tomorrow = timezone.localdate(timezone=TOKYO) + dt.timedelta(days=1)
    with pytest.raises(CommandError, match=tomorrow.isoformat()):
        call_command("seed-demo", program="kobe", seekers=5, today=tomorrow, stdout=io.StringIO())
    assert not Seeker.objects.exists()


# --- Seekers -------------------------------------------------------------------------------


def test_every_seeker_is_58_to_85_on_the_day_they_registered(kobe):
    seed(kobe, seekers=120)

    ages = [s.age_on(s.registered_on) for s in Seeker.objects.filter(program=kobe)]
    assert min(ages) >= 58
    assert max(ages) <= 85
    assert sum(60 <= age <= 72 for age in ages) / len(ages) > 0.7


def test_most_seekers_are_60_to_72_with_a_peak_in_the_mid_sixties_and_a_thin_tail():
    people = generate(3000)

    ages = [age_on(p.birth_date, p.registered_on) for p in people]
    assert set(ages) <= set(AGE_WEIGHTS)
    assert 0.75 < sum(60 <= age <= 72 for age in ages) / len(ages) < 0.95
    assert 63 <= statistics.median(ages) <= 68
    assert 0 < sum(age >= 80 for age in ages) / len(ages) < 0.05
    assert 0 < sum(age <= 59 for age in ages) / len(ages) < 0.05


def test_a_birth_date_gives_exactly_the_chosen_age_even_around_29_february():
    rng = random.Random(3)
    start = dt.date(2027, 2, 20)
    for offset in range(500):
        day = start + dt.timedelta(days=offset)
        for age in (58, 63, 64, 85):
            assert age_on(birth_date_for_age(rng, age, day), day) == age


def test_nobody_registers_on_the_reference_day_and_the_desk_registers_in_office_hours():
    # The reference day's hours may be still to come when the demo runs (it failed
    # before 10:00 JST when someone had registered "at 10:00 today").
    start_of_today = dt.datetime.combine(TODAY, dt.time(0), tzinfo=TOKYO)
    people = generate(3000)

    assert max(p.registered_on for p in people) == TODAY - dt.timedelta(days=1)
    assert min(p.registered_on for p in people) == TODAY - dt.timedelta(days=364)
    for p in people:
        assert p.registered_at < start_of_today
        assert p.registered_at.astimezone(TOKYO).date() == p.registered_on
        if p.channel in (RegistrationChannel.WALK_IN, RegistrationChannel.PHONE):
            assert dt.time(9) <= p.registered_at.astimezone(TOKYO).time() < dt.time(17)
    assert len({p.registered_at.hour for p in people}) >= 14  # LINE and the web all day


def test_consents_are_dated_when_the_seeker_registered(kobe):
    seed(kobe, seekers=60)

    for s in Seeker.objects.filter(program=kobe).prefetch_related("consents"):
        for consent in s.consents.all():
            assert consent.at.astimezone(TOKYO).date() == s.registered_on
    assert len({c.at for c in ConsentRecord.objects.all()}) >= 55  # not all at 10:00


def test_registrations_spread_over_the_year_up_to_the_reference_date(kobe):
    seed(kobe, seekers=150)

    dates = [s.registered_on for s in Seeker.objects.filter(program=kobe)]
    assert min(dates) > TODAY - dt.timedelta(days=365)
    assert max(dates) <= TODAY
    assert len({(d.year, d.month) for d in dates}) >= 11
    in_person = Seeker.objects.filter(
        program=kobe,
        registration_channel__in=[RegistrationChannel.WALK_IN, RegistrationChannel.PHONE],
    )
    assert all(s.registered_on.weekday() < 5 for s in in_person)


def test_card_numbers_follow_the_registration_date_within_a_fiscal_year(kobe):
    seed(kobe, seekers=60)

    seekers = list(Seeker.objects.filter(program=kobe).order_by("registered_on", "card_number"))
    assert [s.card_number for s in seekers] == sorted(s.card_number for s in seekers)
    assert all(s.card_number.startswith("KB-") for s in seekers)


def test_names_are_kanji_with_katakana_readings_and_the_gender_matches_the_given_name(kobe):
    seed(kobe, seekers=120)

    male = {kanji for kanji, _, _ in MALE_GIVEN_NAMES}
    female = {kanji for kanji, _, _ in FEMALE_GIVEN_NAMES}
    readings = {kanji: kana for kanji, kana, _ in MALE_GIVEN_NAMES + FEMALE_GIVEN_NAMES}
    surnames = dict(SURNAMES)
    seekers = list(Seeker.objects.filter(program=kobe))
    for s in seekers:
        assert KATAKANA.match(s.family_name_kana) and KATAKANA.match(s.given_name_kana)
        assert surnames[s.family_name] == s.family_name_kana
        assert readings[s.given_name] == s.given_name_kana
        sex = Gender.MALE if s.given_name in male else Gender.FEMALE
        assert s.given_name in (male if sex == Gender.MALE else female)
        assert s.gender in (sex, Gender.UNANSWERED, "")
    stored = Counter(s.gender for s in seekers)
    assert stored[Gender.MALE] + stored[Gender.FEMALE] > 0.8 * len(seekers)
    assert stored[Gender.UNANSWERED] + stored[""] > 0


def test_phone_numbers_are_valid_with_mobiles_and_landlines_of_the_area(kobe):
    seed(kobe, seekers=120)

    phones = [s.phone for s in Seeker.objects.filter(program=kobe)]
    for phone in phones:
        assert phonenumbers.is_valid_number(phonenumbers.parse(phone, "JP")), phone
    landlines = [p for p in phones if not p.startswith(MOBILE)]
    assert landlines and len(landlines) < len(phones) / 2
    assert all(p.startswith("078-") for p in landlines)  # every Kobe ward is 078


def test_every_seeker_lives_in_an_area_of_the_program_at_a_real_postal_code_of_it(kobe_four_wards):
    kobe = kobe_four_wards
    seed(kobe, seekers=120)

    towns = {data.names[0]: data for data in KOBE_AREAS}
    seekers = Seeker.objects.filter(program=kobe).select_related("area")
    for s in seekers:
        assert s.area is not None and s.area.program_id == kobe.pk
        data = towns[s.area.name]
        assert s.postal_code.replace("-", "") in {postal for postal, _, _ in data.towns}
        assert s.address.startswith("兵庫県" + data.city)
    assert {s.area.code for s in seekers} == {code for code, _ in KOBE_WARDS}


def test_saitama_seekers_live_in_its_municipalities_with_their_own_area_codes(saitama_three_towns):
    saitama = saitama_three_towns
    seed(saitama, seekers=80)

    codes = {"所沢市": "04-", "草加市": "048-", "伊奈町": "048-"}
    for s in Seeker.objects.filter(program=saitama).select_related("area"):
        assert s.address.startswith("埼玉県")
        assert s.postal_code[:2] in {"34", "35", "36"}
        if not s.phone.startswith(MOBILE):
            assert s.phone.startswith(codes[s.area.name])


def test_every_seeker_has_a_privacy_consent_taken_the_way_they_registered(kobe):
    seed(kobe, seekers=100)

    method = {
        RegistrationChannel.LINE: ConsentMethod.LINE_FORM,
        RegistrationChannel.WEB: ConsentMethod.WEB_FORM,
        RegistrationChannel.PHONE: ConsentMethod.VERBAL_PHONE,
        RegistrationChannel.WALK_IN: ConsentMethod.PAPER,
        RegistrationChannel.EVENT: ConsentMethod.PAPER,
    }
    kinds: Counter[str] = Counter()
    for s in Seeker.objects.filter(program=kobe).prefetch_related("consents"):
        consents = list(s.consents.all())
        assert ConsentKind.PRIVACY in {c.kind for c in consents}
        assert {c.method for c in consents} == {method[s.registration_channel]}
        if ConsentKind.MAIL_MAGAZINE in {c.kind for c in consents}:
            assert s.email
        kinds.update(c.kind for c in consents)
    assert kinds[ConsentKind.DATA_SHARING_CLIENT] > 80
    assert 0 < kinds[ConsentKind.LINE_NOTICES] < 100


def test_about_four_in_ten_have_an_email_at_a_domain_reserved_for_examples():
    people = generate(2000)

    emails = [p.email for p in people if p.email]
    assert 0.33 < len(emails) / len(people) < 0.47
    domains = {domain for domain, _ in EMAIL_DOMAINS}
    assert all(email.split("@")[1] in domains for email in emails)
    assert len(set(emails)) == len(emails)


def test_kobe_registers_mostly_through_line_and_saitama_in_person_or_by_phone():
    kobe_people = generate(1000)
    saitama_people = generate(1000, ((1, "所沢市"), (2, "秩父市")))

    kobe_channels = Counter(p.channel for p in kobe_people)
    saitama_channels = Counter(p.channel for p in saitama_people)
    assert kobe_channels.most_common(1)[0][0] == RegistrationChannel.LINE
    assert kobe_channels[RegistrationChannel.LINE] > 500
    assert saitama_channels[RegistrationChannel.LINE] == 0
    in_person = (
        saitama_channels[RegistrationChannel.WALK_IN] + saitama_channels[RegistrationChannel.PHONE]
    )
    assert in_person > 600
    assert Counter(p.heard_from for p in saitama_people).most_common(1)[0][0] == "hello_work"


# --- Matching a program's areas --------------------------------------------------------------


def test_areas_named_another_way_in_a_preset_still_find_their_towns():
    region, plans = plan_areas(((1, "神戸市東灘区"), (2, "北区（北神）"), (3, "北区"), (4, "伊奈")))

    assert region is not None and region.key == "kobe"
    assert [plan.data.names[0] if plan.data else None for plan in plans] == [
        "東灘区",
        "北神",
        "北区",
        None,
    ]


def test_a_program_whose_areas_have_no_town_list_still_gets_valid_seekers(db):
    program = make_program("testcity", "テスト市", "TC", (("a", "みどり区"), ("b", "あおば区")))

    seed(program, seekers=20)

    for s in Seeker.objects.filter(program=program).select_related("area"):
        assert s.area.program_id == program.pk
        assert s.address.startswith(s.area.name)
        assert s.phone.startswith(MOBILE)
        assert s.postal_code == ""


# --- The static lists ------------------------------------------------------------------------


def test_the_name_lists_are_large_and_their_readings_are_katakana():
    assert len(SURNAMES) >= 80
    assert len({kanji for kanji, _ in SURNAMES}) == len(SURNAMES)
    for names in (MALE_GIVEN_NAMES, FEMALE_GIVEN_NAMES):
        assert sum(1940 <= year <= 1968 for _, _, year in names) >= 60
        assert len({kanji for kanji, _, _ in names}) == len(names)
    assert not {k for k, _, _ in MALE_GIVEN_NAMES} & {k for k, _, _ in FEMALE_GIVEN_NAMES}
    for _, kana in SURNAMES:
        assert KATAKANA.match(kana)
    for _, kana, _ in MALE_GIVEN_NAMES + FEMALE_GIVEN_NAMES:
        assert KATAKANA.match(kana)
    for region in REGIONS:
        assert set(region.surname_boost) <= {kanji for kanji, _ in SURNAMES}


@pytest.mark.parametrize("area", KOBE_AREAS + SAITAMA_AREAS, ids=lambda a: a.names[0])
def test_every_landline_exchange_and_postal_code_of_an_area_is_well_formed(area):
    prefix = "6" if area in KOBE_AREAS else "3"
    assert area.towns
    for postal, town, _ in area.towns:
        assert re.fullmatch(r"\d{7}", postal) and postal.startswith(prefix), (postal, town)
    for exchange in area.exchanges:
        number = phonenumbers.parse(f"{area.area_code}-{exchange}-1234", "JP")
        assert phonenumbers.is_valid_number(number), exchange
