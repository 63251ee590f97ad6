import datetime as dt

import pytest

from secondcareer.people.ages import AgeBand, age_band, age_on, report_groups

D = dt.date


def test_the_fixture_seeker_is_66_and_counts_in_both_report_groups(seeker):
    assert seeker.age_on(D(2026, 11, 20)) == 66
    assert report_groups(seeker.age_on(D(2026, 11, 20))) == {"60+", "65+"}


def test_age_changes_on_the_birthday_and_not_before():
    born = D(1961, 12, 3)
    assert age_on(born, D(2026, 12, 2)) == 64
    assert age_on(born, D(2026, 12, 3)) == 65
    assert report_groups(age_on(born, D(2026, 12, 2))) == {"60+"}
    assert report_groups(age_on(born, D(2026, 12, 3))) == {"60+", "65+"}


def test_a_leap_day_birthday_completes_the_year_on_the_first_of_march():
    born = D(1960, 2, 29)
    assert age_on(born, D(2027, 2, 28)) == 66
    assert age_on(born, D(2027, 3, 1)) == 67


@pytest.mark.parametrize(
    ("age", "band", "groups"),
    [
        (39, AgeBand.YOUTH, set()),
        (40, AgeBand.MIDDLE, set()),
        (59, AgeBand.MIDDLE, set()),
        (60, AgeBand.SENIOR, {"60+"}),
        (64, AgeBand.SENIOR, {"60+"}),
        (65, AgeBand.SENIOR, {"60+", "65+"}),
    ],
)
def test_age_bands_and_nested_report_groups_at_their_edges(age, band, groups):
    assert age_band(age) is band
    assert report_groups(age) == groups


def test_an_age_before_birth_is_an_error():
    with pytest.raises(ValueError):
        age_on(D(2000, 1, 2), D(2000, 1, 1))
