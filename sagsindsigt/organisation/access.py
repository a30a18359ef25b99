"""Roles, permissions and access scope: the one place that decides who may read and write what."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import PermissionDenied
from django.db.models import Model, Q, QuerySet

from sagsindsigt.organisation.models import Administration, Role, ScopeKind, Unit

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from sagsindsigt.organisation.models import User

M = TypeVar("M", bound=Model)


class Perm(StrEnum):
    """The permissions of the core; an app adds its own with `permission_register` (evaluation, targets)."""

    VIEW_AGGREGATES = "view_aggregates"
    VIEW_CASE_ROWS = "view_case_rows"
    VIEW_COMPLAINT_ROWS = "view_complaint_rows"
    REGISTER_COMPLAINT = "register_complaint"
    EDIT_MASTER_DATA = "edit_master_data"
    VIEW_AUDIT = "view_audit"
    LOAD_DATA = "load_data"


_LEADER = {Perm.VIEW_AGGREGATES, Perm.VIEW_CASE_ROWS, Perm.VIEW_COMPLAINT_ROWS, Perm.REGISTER_COMPLAINT}
# The ombudsman and caseworkers see aggregates, never case rows (issue 2); the ombudsman handles
# formal complaints, so sees and registers complaint rows. Caseworkers are never shown rows that
# could be read as a judgement of a colleague: supportive, not controlling.
ROLE_PERMISSIONS: dict[str, set[str]] = {
    Role.SYSTEM_ADMIN: set(Perm),
    Role.CENTRAL_ANALYST: _LEADER | {Perm.EDIT_MASTER_DATA, Perm.LOAD_DATA},
    Role.ADMINISTRATION_LEADER: set(_LEADER),
    Role.UNIT_LEADER: set(_LEADER),
    Role.CASEWORKER: {Perm.VIEW_AGGREGATES},
    Role.OMBUDSMAN: {Perm.VIEW_AGGREGATES, Perm.VIEW_COMPLAINT_ROWS, Perm.REGISTER_COMPLAINT},
    Role.LIBRARY_EDITOR: {Perm.VIEW_AGGREGATES},
    Role.REVIEWER: {Perm.VIEW_AGGREGATES, Perm.VIEW_CASE_ROWS},
}


def permission_register(perm: str, *roles: str) -> None:
    """An app's own permission, granted to these roles and always to system administrators. Apps call it
    from their AppConfig.ready(), so the one access module knows every grant."""
    for role in {Role.SYSTEM_ADMIN, *roles}:
        ROLE_PERMISSIONS.setdefault(role, set()).add(perm)


@dataclass(frozen=True)
class AccessScope:
    """What part of the organisation a user may see. `unit_ids` is None for the whole municipality."""

    kind: str
    administration_id: int | None = None
    unit_ids: frozenset[int] | None = None

    @property
    def is_municipality(self) -> bool:
        return self.kind == ScopeKind.MUNICIPALITY

    def unit_q(self, unit_field: str = "unit") -> Q:
        """The filter that keeps rows whose unit lies in this scope."""
        if self.kind == ScopeKind.MUNICIPALITY:
            return Q()
        if self.kind == ScopeKind.ADMINISTRATION:
            return Q(**{f"{unit_field}__administration_id": self.administration_id})
        return Q(**{f"{unit_field}_id__in": sorted(self.unit_ids or ())})

    def covers_q(self, administration_field: str = "administration", unit_field: str = "unit") -> Q:
        """The filter that keeps rows about a part of the organisation (an administration, or a unit in it;
        neither: the whole municipality) lying wholly inside this scope, e.g. targets."""
        if self.kind == ScopeKind.MUNICIPALITY:
            return Q()
        if self.kind == ScopeKind.ADMINISTRATION:
            return Q(**{f"{administration_field}_id": self.administration_id or 0})
        return Q(**{f"{unit_field}_id__in": sorted(self.unit_ids or ())})

    def contains_unit(self, unit: Unit) -> bool:
        if self.kind == ScopeKind.MUNICIPALITY:
            return True
        if self.kind == ScopeKind.ADMINISTRATION:
            return unit.administration_id == self.administration_id
        return unit.pk in (self.unit_ids or frozenset())

    def contains_administration(self, administration_id: int) -> bool:
        if self.kind == ScopeKind.MUNICIPALITY:
            return True
        return self.administration_id == administration_id


NO_SCOPE = AccessScope(kind=ScopeKind.UNIT, unit_ids=frozenset())


def subtree_ids(root: Unit) -> frozenset[int]:
    """The unit and all units below it."""
    links = Unit.objects.filter(administration_id=root.administration_id).values_list("pk", "parent_id")
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in links:
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = [root.pk]
    while stack:
        pk = stack.pop()
        if pk not in found:
            found.add(pk)
            stack.extend(children.get(pk, ()))
    return frozenset(found)


def scope_of(user: User | AnonymousUser) -> AccessScope:
    """The user's access scope, computed once per request (cached on the user object)."""
    if not user.is_authenticated:
        return NO_SCOPE
    cached: AccessScope | None = getattr(user, "_sagsindsigt_scope", None)
    if cached is not None:
        return cached
    if user.scope_kind == ScopeKind.MUNICIPALITY:
        scope = AccessScope(kind=ScopeKind.MUNICIPALITY)
    elif user.scope_kind == ScopeKind.ADMINISTRATION and user.scope_administration_id is not None:
        scope = AccessScope(kind=ScopeKind.ADMINISTRATION, administration_id=user.scope_administration_id)
    elif user.scope_kind == ScopeKind.UNIT and user.scope_unit is not None:
        scope = AccessScope(
            kind=ScopeKind.UNIT,
            administration_id=user.scope_unit.administration_id,
            unit_ids=subtree_ids(user.scope_unit),
        )
    else:
        scope = NO_SCOPE
    setattr(user, "_sagsindsigt_scope", scope)  # noqa: B010 (cache on the request's user object)
    return scope


def scope_part(user: User | AnonymousUser | Any) -> str | None:
    """The name of the part a user sees when it is smaller than an administration (the unit they are scoped
    to, with its sub-units), for labels of figures named after something bigger; None when the user sees
    whole administrations (each row named after one is then complete)."""
    if scope_of(user).kind != ScopeKind.UNIT:
        return None
    unit: Unit | None = getattr(user, "scope_unit", None)  # read (and cached) by scope_of
    return unit.name if unit is not None else None


def can(user: User | AnonymousUser | Any, perm: str) -> bool:
    if not user.is_authenticated or not user.is_active:
        return False
    return perm in ROLE_PERMISSIONS.get(getattr(user, "role", ""), frozenset())


def require(user: User | AnonymousUser | Any, perm: str) -> None:
    """Raise PermissionDenied unless the user's role grants `perm`. Every service calls this first."""
    if not can(user, perm):
        raise PermissionDenied("Din rolle giver ikke adgang til denne handling.")


def restrict(
    queryset: QuerySet[M], user: User | AnonymousUser | Any, *, perm: str, unit_field: str = "unit"
) -> QuerySet[M]:
    """The rows of `queryset` the user may read with `perm`; every selector goes through here."""
    require(user, perm)
    return queryset.filter(scope_of(user).unit_q(unit_field))


@dataclass(frozen=True)
class UnitTree:
    """The units a user may see, as a tree: read once per request (cached on the user object)."""

    children: dict[int | None, tuple[int, ...]]
    administration_of: dict[int, int]

    def subtree(self, root: int) -> list[int]:
        """The unit and every visible unit below it; empty when the unit is not visible."""
        if root not in self.administration_of:
            return []
        found, todo = [], [root]
        while todo:
            pk = todo.pop()
            found.append(pk)
            todo.extend(self.children.get(pk, ()))
        return found

    def of_administration(self, administration_id: int) -> list[int]:
        return [pk for pk, admin in self.administration_of.items() if admin == administration_id]


def unit_tree(user: User | AnonymousUser | Any) -> UnitTree:
    """The visible units as a tree, computed once per request."""
    cached: UnitTree | None = getattr(user, "_sagsindsigt_unit_tree", None)
    if cached is not None:
        return cached
    children: dict[int | None, list[int]] = {}
    administration_of: dict[int, int] = {}
    for pk, parent_id, administration_id in units_in_scope(user).values_list(
        "pk", "parent_id", "administration_id"
    ):
        children.setdefault(parent_id, []).append(pk)
        administration_of[pk] = administration_id
    tree = UnitTree({k: tuple(v) for k, v in children.items()}, administration_of)
    # Only on a request's user object: the command line's SYSTEM lives as long as the process.
    if getattr(user, "pk", None) is not None:
        setattr(user, "_sagsindsigt_unit_tree", tree)  # noqa: B010 (cache on the request's user object)
    return tree


def units_in_scope(user: User | AnonymousUser | Any) -> QuerySet[Unit]:
    """Units the user may see (for pickers and drill-down)."""
    return Unit.objects.filter(_unit_self_q(scope_of(user))).select_related("administration")


def _unit_self_q(scope: AccessScope) -> Q:
    if scope.kind == ScopeKind.MUNICIPALITY:
        return Q()
    if scope.kind == ScopeKind.ADMINISTRATION:
        return Q(administration_id=scope.administration_id)
    return Q(pk__in=sorted(scope.unit_ids or ()))


def require_unit_in_scope(user: User | AnonymousUser | Any, units: Iterable[Unit]) -> None:
    scope = scope_of(user)
    for unit in units:
        if not scope.contains_unit(unit):
            raise PermissionDenied("Enheden ligger uden for dit adgangsområde.")


def administrations_in_scope(user: User | AnonymousUser | Any) -> QuerySet[Administration]:
    scope = scope_of(user)
    qs = Administration.objects.all()
    return qs if scope.is_municipality else qs.filter(pk=scope.administration_id or 0)


class SystemActor:
    """The command line and the demo loader: full rights, recorded in the audit trail as no user."""

    pk = None
    is_authenticated = True
    is_active = True
    role = Role.SYSTEM_ADMIN
    scope_kind = ScopeKind.MUNICIPALITY
    scope_administration_id = None
    scope_unit = None

    def __str__(self) -> str:
        return "Systemet"


SYSTEM = SystemActor()
