"""Working days (Monday to Friday from a start) and amounts of money as people read them."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from staffcheck.money import daily_rate, money, monthly, signed_money
from staffcheck.workdays import days_by_month, first_workday, last_day, workday

MONDAY = datetime.date(2027, 3, 1)
FRIDAY = datetime.date(2027, 2, 26)
SATURDAY = datetime.date(2027, 1, 30)
SUNDAY = datetime.date(2027, 1, 31)


def test_the_days_of_one_week_run_monday_to_friday_then_skip_the_weekend() -> None:
    week = [workday(MONDAY, day) for day in range(6)]
    assert week == [
        datetime.date(2027, 3, 1),
        datetime.date(2027, 3, 2),
        datetime.date(2027, 3, 3),
        datetime.date(2027, 3, 4),
        datetime.date(2027, 3, 5),
        datetime.date(2027, 3, 8),
    ]


def test_a_start_on_friday_continues_on_monday() -> None:
    assert workday(FRIDAY, 0) == FRIDAY
    assert workday(FRIDAY, 1) == datetime.date(2027, 3, 1)


@pytest.mark.parametrize("weekend", [SATURDAY, SUNDAY], ids=["saturday", "sunday"])
def test_a_start_on_a_weekend_begins_on_the_monday_after(weekend: datetime.date) -> None:
    monday = datetime.date(2027, 2, 1)
    assert first_workday(weekend) == monday
    assert workday(weekend, 0) == monday
    assert workday(weekend, 5) == datetime.date(2027, 2, 8)


def test_a_day_before_the_start_is_refused() -> None:
    with pytest.raises(ValueError, match="before the start"):
        workday(MONDAY, -1)


def test_the_last_day_of_a_span_is_the_day_before_its_end() -> None:
    assert last_day(MONDAY, 5) == datetime.date(2027, 3, 5)  # days 0-4: Monday to Friday
    assert last_day(MONDAY, 6) == datetime.date(2027, 3, 8)
    assert last_day(MONDAY, 1) == MONDAY


def test_a_span_across_a_month_end_is_split_between_the_months() -> None:
    # Friday 26 February, then Monday 1 and Tuesday 2 March.
    assert dict(days_by_month(FRIDAY, 0, 3)) == {"2027-02": 1, "2027-03": 2}


def test_a_span_across_the_year_end_is_split_between_the_years() -> None:
    # Monday 28 to Thursday 31 December 2026, then Friday 1 and 4-8 January 2027.
    start = datetime.date(2026, 12, 28)
    assert dict(days_by_month(start, 0, 10)) == {"2026-12": 4, "2027-01": 6}


def test_a_span_that_starts_later_counts_only_its_own_days() -> None:
    start = datetime.date(2026, 12, 28)
    assert dict(days_by_month(start, 4, 6)) == {"2027-01": 2}
    assert dict(days_by_month(start, 3, 3)) == {}


@given(
    st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)),
    st.integers(0, 800),
)
def test_working_day_n_is_the_n_th_weekday_counted_one_by_one(
    start: datetime.date, day: int
) -> None:
    counted = start
    while counted.weekday() >= 5:
        counted += datetime.timedelta(days=1)
    for _ in range(day):
        counted += datetime.timedelta(days=1)
        while counted.weekday() >= 5:
            counted += datetime.timedelta(days=1)
    assert workday(start, day) == counted


@given(
    st.dates(datetime.date(2000, 1, 1), datetime.date(2099, 12, 31)),
    st.integers(0, 300),
    st.integers(0, 300),
)
def test_months_share_out_every_day_of_a_span(
    start: datetime.date, first: int, length: int
) -> None:
    months = days_by_month(start, first, first + length)
    assert sum(months.values()) == length
    assert list(months) == sorted(months)


# --- money -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (14000, "CNY", "¥14,000"),
        (1200, "USD", "$1,200"),
        (950, "EUR", "€950"),
        (1234567, "HKD", "HK$1,234,567"),
        (0, "CNY", "¥0"),
        (1200, "CHF", "1,200 CHF"),
        (1200000, "SGD", "1,200,000 SGD"),
        (-3000, "CNY", "−¥3,000"),
        (-1200, "CHF", "−1,200 CHF"),
    ],
)
def test_an_amount_reads_with_its_symbol_or_else_its_code(
    amount: int, currency: str, shown: str
) -> None:
    assert money(amount, currency) == shown


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (14000, "CNY", "+¥14,000"),
        (-3000, "CNY", "−¥3,000"),
        (0, "CNY", "¥0"),
        (500, "CHF", "+500 CHF"),
        (-500, "CHF", "−500 CHF"),
    ],
)
def test_a_signed_amount_says_which_way_it_goes(amount: int, currency: str, shown: str) -> None:
    assert signed_money(amount, currency) == shown


def test_a_days_pay_is_the_middle_of_the_band_over_21_75_days() -> None:
    assert daily_rate((8000, 12000)) == pytest.approx(10000 / 21.75)
    assert daily_rate((8000, 12000)) * 21.75 == pytest.approx(10000)
    assert monthly((8000, 12000)) == 10000
    assert monthly((15000, 22000)) == 18500


def test_yen_is_not_written_like_yuan() -> None:
    assert money(1200, "CNY") == "¥1,200"
    assert money(1200, "JPY") == "1,200 JPY"
