"""The words for the model's values (verdicts, severities, importance, confidence) in the
reader's language; ids, JSON and exit statuses keep the values themselves."""

from __future__ import annotations

import datetime

from staffcheck.i18n import language, tr, tr_in
from staffcheck.model import Confidence, Importance, Severity, Verdict


def verdict_word(verdict: Verdict) -> str:
    """``fit``, ``partial`` or ``mismatch``."""
    words = {
        Verdict.FIT: tr("fit"),
        Verdict.PARTIAL: tr("partial"),
        Verdict.MISMATCH: tr("mismatch"),
    }
    return words[verdict]


def severity_word(severity: Severity) -> str:
    """``critical`` … ``info``: how heavy a finding is."""
    words = {
        Severity.CRITICAL: tr("critical"),
        Severity.HIGH: tr("high"),
        Severity.MEDIUM: tr("medium"),
        Severity.LOW: tr("low"),
        Severity.INFO: tr("info"),
    }
    return words[severity]


def importance_word(importance: Importance) -> str:
    """How much a strategy needs a post: the same English words as severities, not the same
    Chinese ones (critical importance 关键, critical severity 严重)."""
    return tr_in("importance", importance.value)


def confidence_word(confidence: Confidence) -> str:
    """How far a verdict can be trusted."""
    words = {
        Confidence.HIGH: tr("high"),
        Confidence.MEDIUM: tr("medium"),
        Confidence.LOW: tr("low"),
    }
    return words[confidence]


def working_days(count: int) -> str:
    """``1 working day``, ``5 working days``."""
    return tr("1 working day") if count == 1 else tr("{count} working days", count=count)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def short_date(day: datetime.date) -> str:
    """``14 Mar`` (``3月14日``): a day of the plan, where the year is clear from the heading."""
    if language() == "zh":
        return f"{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]}"


def month_year(day: datetime.date) -> str:
    """``Mar 2027`` (``2027年3月``): a month of a plan that runs for years."""
    if language() == "zh":
        return f"{day.year}年{day.month}月"
    return f"{_MONTHS[day.month - 1]} {day.year}"


def long_date(day: datetime.date) -> str:
    """``14 Mar 2027`` (``2027年3月14日``)."""
    if language() == "zh":
        return f"{day.year}年{day.month}月{day.day}日"
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"
