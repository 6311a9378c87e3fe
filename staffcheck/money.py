"""Amounts of money as people read them: ``¥14,000``, ``$1,200``, ``1,200 CHF``."""

from __future__ import annotations

#: Working days in a month, as Chinese payroll counts them (a monthly salary / 21.75 = a day's pay).
WORKDAYS_PER_MONTH = 21.75


def money(amount: int, currency: str) -> str:
    """`amount` of `currency` (ISO 4217) with its symbol where it has a common one, thousands grouped."""
    raise NotImplementedError


def signed_money(amount: int, currency: str) -> str:
    """Like `money`, with a sign: ``+¥14,000``, ``−¥3,000``, ``¥0``."""
    raise NotImplementedError


def daily_rate(salary: tuple[int, int]) -> float:
    """A day's pay of a monthly salary band: its middle / `WORKDAYS_PER_MONTH`."""
    raise NotImplementedError
