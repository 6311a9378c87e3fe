"""What to do first, in order of impact: reassign mismatches, cover gaps, then train small gaps."""

from __future__ import annotations

from staffcheck.diagnose import GOOD_FIT
from staffcheck.model import CandidateResult, Report, Verdict, WaiverNote


def recommendations(report: Report) -> list[str]:
    """Plain-text recommendations (untrusted names included: each reporter escapes them)."""
    lines: list[str] = []
    for c in report.candidates:
        if c.verdict is not Verdict.MISMATCH:
            continue
        best = c.better_roles[0] if c.better_roles else None
        needed = {post.role for post in report.posts}
        if best is not None and best.fit >= GOOD_FIT and (not needed or best.role in needed):
            lines.append(
                f"Reassign {c.name} to {best.role} (fit {best.fit}); "
                f"the {c.role} post needs someone else."
            )
        elif best is not None and best.fit >= GOOD_FIT:
            lines.append(
                f"Find someone else for the {c.role} post: {c.name} fits {best.role} "
                f"(fit {best.fit}), a post this strategy does not use."
            )
        else:
            lines.append(f"Find someone else for the {c.role} post: {c.name} does not fit it.")
    if report.team is not None:
        for gap in (g for g in report.team.gaps if g.counts):
            movable = [o for o in gap.could_cover if _post_survives_move(report, o.person_id)]
            if movable:
                best = movable[0]
                lines.append(
                    f"Cover {gap.role}: move {best.person_name} (fit {best.fit}), or hire."
                )
            elif gap.could_cover:
                best = gap.could_cover[0]
                lines.append(
                    f"Hire for {gap.role}: {best.person_name} (fit {best.fit}) could take it, "
                    "but would leave their own post uncovered."
                )
            else:
                lines.append(f"Hire for {gap.role}: nobody in the team fits it.")
    for c in report.candidates:
        if c.verdict is Verdict.PARTIAL:
            skills = ", ".join(f.skill for f in c.findings if f.skill)
            if skills:
                lines.append(f"Train {c.name} in {skills}.")
    return lines


def _post_survives_move(report: Report, person_id: str) -> bool:
    """Whether the person's current post stays covered (or unneeded) if they move away."""
    mover = next((c for c in report.candidates if c.id == person_id), None)
    if mover is None:
        return False
    if mover.role not in {post.role for post in report.posts}:
        return True
    return any(
        c.id != person_id and c.role == mover.role and c.verdict is not Verdict.MISMATCH
        for c in report.candidates
    )


def waiver_text(note: WaiverNote | None) -> str:
    """`waived by X until D: reason`, or that the waiver expired: shown after a finding."""
    if note is None:
        return ""
    if note.expired:
        return (
            f"waiver expired on {note.expires.isoformat()} (was: {note.reason}; {note.approved_by})"
        )
    return f"waived by {note.approved_by} until {note.expires.isoformat()}: {note.reason}"


def top_reason(c: CandidateResult) -> str:
    """The heaviest finding in a few words (its rule's title and skill), or why there is none."""
    if not c.findings:
        return "meets every essential skill"
    first = c.findings[0]
    if not first.title:
        return first.message
    return f"{first.title}: {first.skill}" if first.skill else first.title
