"""Reads of sources and loads, for roles that may load data."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from sagsindsigt.intake.models import Load, LoadIssue, Source
from sagsindsigt.organisation.access import Perm, require


def source_list(user: Any) -> QuerySet[Source]:
    require(user, Perm.LOAD_DATA)
    return Source.objects.select_related("administration")


def load_list(user: Any) -> QuerySet[Load]:
    require(user, Perm.LOAD_DATA)
    return Load.objects.select_related("source", "created_by").order_by("-created_at", "-pk")


def load_issues(user: Any, load: Load) -> QuerySet[LoadIssue]:
    require(user, Perm.LOAD_DATA)
    return LoadIssue.objects.filter(load=load).order_by("severity", "row", "pk")


def source_get(user: Any, pk: int) -> Source:
    return get_object_or_404(source_list(user), pk=pk)


def load_get(user: Any, pk: int) -> Load:
    return get_object_or_404(load_list(user), pk=pk)


def load_errors(load: Load, *, limit: int = 200) -> list[LoadIssue]:
    """The first errors of a load, for the source system that sent it (its token was checked)."""
    return list(load.issues.filter(severity="error").order_by("row", "pk")[:limit])
