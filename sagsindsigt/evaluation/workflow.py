"""The order an evaluation moves through; one table, so every service checks transitions the same way."""

from __future__ import annotations

INVITED = "invited"
ANSWERING = "answering"
SUBMITTED = "submitted"
ASSESSED = "assessed"
FOLLOW_UP = "follow_up"
PUBLISHED = "published"

LABELS = {
    INVITED: "inviteret",
    ANSWERING: "under besvarelse",
    SUBMITTED: "indsendt",
    ASSESSED: "vurderet",
    FOLLOW_UP: "opfølgningsmøde holdt",
    PUBLISHED: "offentliggjort",
}

# from → the statuses it may move to. Reopening (submitted → answering) lets the ombudsman hand a
# questionnaire back for completion; a published report is final.
TRANSITIONS: dict[str, frozenset[str]] = {
    INVITED: frozenset({ANSWERING}),
    ANSWERING: frozenset({SUBMITTED}),
    SUBMITTED: frozenset({ANSWERING, ASSESSED}),
    ASSESSED: frozenset({FOLLOW_UP}),
    FOLLOW_UP: frozenset({PUBLISHED}),
    PUBLISHED: frozenset(),
}

ANSWERABLE = frozenset({INVITED, ANSWERING})
ASSESSABLE = frozenset({SUBMITTED, ASSESSED, FOLLOW_UP})


# What publishing waits for (publish_missing); the detail page names each where the button would be.
MISSING_FOLLOW_UP = "follow_up_notes"
MISSING_OVERALL_ASSESSMENT = "overall_assessment"


def publish_missing(status: str, *, has_overall_assessment: bool) -> list[str]:
    """What must be done before an assessed evaluation's report can be published; empty when it can be
    (or when publishing is not the next step at all)."""
    if status not in (ASSESSED, FOLLOW_UP):
        return []
    missing = [MISSING_FOLLOW_UP] if status == ASSESSED else []
    if not has_overall_assessment:
        missing.append(MISSING_OVERALL_ASSESSMENT)
    return missing


class TransitionError(ValueError):
    """An evaluation cannot go from its current status to the one asked for."""


def check_transition(current: str, target: str) -> None:
    if target not in TRANSITIONS.get(current, frozenset()):
        raise TransitionError(
            f"En evaluering, der er {LABELS.get(current, current)}, kan ikke blive "
            f"{LABELS.get(target, target)}."
        )
