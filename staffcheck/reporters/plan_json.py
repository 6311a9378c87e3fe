"""The three-stage plan as the ``staffcheck.plan/2`` JSON document.

Ids and enum values, never words of the language in use, are the data; a label travels alongside
an id as ``name``. Dates are ISO (``2027-01-04``), a span's ``end`` being its last working day;
``start_day`` and ``end_day`` count working days from the start (``end_day`` exclusive). Money is
whole units of ``currency``. ``staffcheck.plan/1`` was the staffing plan alone (posts and
headcount); version 2 keeps it under ``analysis.staffing``.
"""

from __future__ import annotations

import datetime
from typing import Any

from staffcheck.project_plan import (
    Assignee,
    CostLine,
    Effect,
    PlannedStep,
    Preparation,
    ProjectPlan,
)
from staffcheck.reporters import RenderOptions
from staffcheck.reporters.json_report import dumps
from staffcheck.reporters.staffing import plan_dict

SCHEMA = "staffcheck.plan/2"


def render_json(plan: ProjectPlan, options: RenderOptions) -> str:
    """The plan as the ``staffcheck.plan/2`` JSON document."""
    return dumps(project_plan_dict(plan))


def project_plan_dict(plan: ProjectPlan) -> dict[str, Any]:
    """The plan as the ``staffcheck.plan/2`` object."""
    return {
        "schema": SCHEMA,
        "strategy": {"id": plan.strategy.id, "name": plan.strategy.name},
        "description": plan.description,
        "team": plan.team,
        "start": plan.start.isoformat(),
        "start_moved_from": _iso(plan.start_moved_from),
        "finish": plan.finish.isoformat(),
        "days": plan.days,
        "currency": plan.currency,
        "goals": [
            {"id": g.id, "name": g.name, "kpi": g.kpi, "company_kpi": g.company_kpi}
            for g in plan.goals
        ],
        "analysis": _analysis_dict(plan),
        "steps": [_step_dict(plan, step) for step in plan.steps],
        "modules_without_steps": list(plan.modules_without_steps),
        "preparations": [_preparation_dict(prep) for prep in plan.preparations],
        "follow_up": [
            {
                "post": post.post,
                "name": plan.labels.post(post.post),
                "people": [_person(person) for person in post.people],
                "kpis": list(post.kpis),
                "training": list(post.training),
                "salary": None if post.salary is None else list(post.salary),
            }
            for post in plan.follow_up
        ],
        "costs": _costs_dict(plan),
        "critical_path": list(plan.critical_path),
        "critical_start": plan.critical_start or None,
        "what_if": None if plan.what_if is None else effect_dict(plan.what_if),
    }


def _iso(day: datetime.date | None) -> str | None:
    return None if day is None else day.isoformat()


def _person(person: Assignee) -> dict[str, Any]:
    return {"id": person.id, "name": person.name, "kind": person.kind.value, "post": person.post}


def _analysis_dict(plan: ProjectPlan) -> dict[str, Any]:
    analysis = plan.analysis
    staffing = plan_dict(analysis.staffing)
    del staffing["schema"]
    return {
        "people": [
            {
                "id": p.id,
                "name": p.name,
                "post": p.post,
                "verdict": p.verdict.value,
                "fit": p.fit,
                "confidence": p.confidence.value,
                "reason": p.reason,
            }
            for p in analysis.people
        ],
        "gaps": [
            {
                "post": gap.post,
                "name": plan.labels.post(gap.post),
                "severity": gap.severity.value,
                "message": gap.message,
                "filled_by": [_person(person) for person in gap.filled_by],
            }
            for gap in analysis.gaps
        ],
        "staffing": staffing,
    }


def _step_dict(plan: ProjectPlan, step: PlannedStep) -> dict[str, Any]:
    return {
        "id": step.id,
        "name": step.name,
        "module": step.module,
        "module_name": plan.labels.module(step.module),
        "stage": step.stage.value,
        "post": step.post,
        "person": _person(step.assignee),
        "start": step.start.isoformat(),
        "end": step.end.isoformat(),
        "start_day": step.start_day,
        "end_day": step.end_day,
        "effort": step.effort,
        "depends": list(step.after),
        "critical": step.critical,
        "cost": {
            "labour": step.labour_cost,
            "spend": step.spend,
            "total": step.labour_cost + step.spend,
        },
        "spend_known": step.spend_known,
    }


def _preparation_dict(prep: Preparation) -> dict[str, Any]:
    return {
        "kind": prep.kind.value,
        "person": _person(prep.assignee),
        "items": list(prep.items),
        "skills": list(prep.skills),
        "name": prep.description,
        "start": prep.start.isoformat(),
        "end": prep.end.isoformat(),
        "start_day": prep.start_day,
        "end_day": prep.end_day,
        "cost": prep.cost,
        "cost_known": prep.cost_known,
    }


def _cost_line(line: CostLine) -> dict[str, Any]:
    return {
        "key": line.key,
        "name": line.label,
        "labour": line.labour,
        "hiring": line.hiring,
        "training": line.training,
        "spend": line.spend,
        "total": line.total,
    }


def _costs_dict(plan: ProjectPlan) -> dict[str, Any]:
    costs = plan.costs
    return {
        "by_stage": [_cost_line(line) for line in costs.by_stage],
        "by_module": [_cost_line(line) for line in costs.by_module],
        "by_month": [_cost_line(line) for line in costs.by_month],
        "total": _cost_line(costs.total),
        "unpriced_posts": list(costs.unpriced_posts),
        "unpriced": list(costs.unpriced),
        "basis": costs.basis,
    }


def effect_dict(effect: Effect) -> dict[str, Any]:
    return {
        "change": effect.change,
        "finish_before": effect.finish_before.isoformat(),
        "finish_after": effect.finish_after.isoformat(),
        "monthly_cost": effect.monthly_cost,
        "one_off_cost": effect.one_off_cost,
        "total_before": effect.total_before,
        "total_after": effect.total_after,
        "unpriced": list(effect.unpriced),
        "moved": [
            {
                "step": move.step,
                "before": {
                    "person": _person(move.before),
                    "start": move.before_start.isoformat(),
                    "end": move.before_end.isoformat(),
                },
                "after": {
                    "person": _person(move.after),
                    "start": move.after_start.isoformat(),
                    "end": move.after_end.isoformat(),
                },
            }
            for move in effect.moved
        ],
    }
