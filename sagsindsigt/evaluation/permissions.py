"""FOKUS's own permissions (ADR 0010), granted to roles in EvaluationConfig.ready()."""

from __future__ import annotations

from enum import StrEnum


class FokusPerm(StrEnum):
    # Answer for one's own administration, see published results in scope, run rounds and schemes,
    # set categories and publish.
    ANSWER = "answer_evaluation"
    VIEW_RESULTS = "view_evaluation_results"
    MANAGE = "manage_evaluations"
    ASSESS = "assess_evaluation"
