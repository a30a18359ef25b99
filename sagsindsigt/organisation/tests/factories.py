"""Factories for the organisation."""

from __future__ import annotations

import factory

from sagsindsigt.organisation.models import Administration, Role, ScopeKind, Unit, User


class AdministrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Administration
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"F{n:02d}")
    name = factory.LazyAttribute(lambda o: f"Forvaltning {o.code}")


class UnitFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Unit

    administration = factory.SubFactory(AdministrationFactory)
    code = factory.Sequence(lambda n: f"E{n:03d}")
    name = factory.LazyAttribute(lambda o: f"Enhed {o.code}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"bruger{n}")
    role = Role.CENTRAL_ANALYST
    scope_kind = ScopeKind.MUNICIPALITY
    password = factory.PostGenerationMethodCall("set_password", "hemmelig-adgangskode")

    @factory.post_generation
    def _save(obj: User, create: bool, extracted: object, **kwargs: object) -> None:  # noqa: N805
        if create:
            obj.save()

    @classmethod
    def in_administration(
        cls, administration: Administration, role: str = Role.ADMINISTRATION_LEADER, **kwargs: object
    ) -> User:
        return cls(
            role=role, scope_kind=ScopeKind.ADMINISTRATION, scope_administration=administration, **kwargs
        )

    @classmethod
    def in_unit(cls, unit: Unit, role: str = Role.UNIT_LEADER, **kwargs: object) -> User:
        return cls(role=role, scope_kind=ScopeKind.UNIT, scope_unit=unit, **kwargs)
