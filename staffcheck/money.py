"""Amounts of money as people read them: ``¥14,000``, ``$1,200``, ``1,200 CHF``."""

from __future__ import annotations

#: Working days in a month, as Chinese payroll counts them (a monthly salary / 21.75 = a day's pay).
WORKDAYS_PER_MONTH = 21.75

#: Currencies (ISO 4217) written with a symbol before the amount; others get their code after it
#: (JPY too: its ¥ would read as yuan to this tool's readers).
SYMBOLS = {"CNY": "¥", "USD": "$", "EUR": "€", "GBP": "£", "HKD": "HK$", "TWD": "NT$"}


def money(amount: int, currency: str) -> str:
    """`amount` of `currency` (ISO 4217) with its symbol where it has a common one, thousands grouped."""
    sign = "−" if amount < 0 else ""
    grouped = f"{abs(amount):,}"
    symbol = SYMBOLS.get(currency)
    return f"{sign}{symbol}{grouped}" if symbol else f"{sign}{grouped} {currency}"


def signed_money(amount: int, currency: str) -> str:
    """Like `money`, with a sign: ``+¥14,000``, ``−¥3,000``, ``¥0``."""
    return ("+" if amount > 0 else "") + money(amount, currency)


def daily_rate(salary: tuple[int, int]) -> float:
    """A day's pay of a monthly salary band: its middle / `WORKDAYS_PER_MONTH`."""
    return (salary[0] + salary[1]) / 2 / WORKDAYS_PER_MONTH


def monthly(salary: tuple[int, int]) -> int:
    """The middle of a monthly salary band: what a what-if adds or saves a month."""
    return round((salary[0] + salary[1]) / 2)
