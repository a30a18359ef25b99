"""Reads of sources and loads, for roles that may load data."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

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
    found = source_list(user).filter(pk=pk).first()
    if found is None:
        raise Http404("Kildesystemet findes ikke.")
    return found


def load_get(user: Any, pk: int) -> Load:
    found = load_list(user).filter(pk=pk).first()
    if found is None:
        raise Http404("Indlæsningen findes ikke.")
    return found


def load_errors(load: Load, *, limit: int = 200) -> list[LoadIssue]:
    """The first errors of a load, for the source system that sent it (its token was checked)."""
    return list(load.issues.filter(severity="error").order_by("row", "pk")[:limit])
