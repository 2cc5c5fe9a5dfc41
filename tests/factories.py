"""factory_boy factories. Rows that the service creates with side effects (events, firmness)
are better made through the services; these are for setting the stage."""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from factory.django import DjangoModelFactory

from claims.models import Claim, Evidence
from claims.permissions import ensure_editors_group
from sources.models import Publisher, PublisherDomain, Source, SourceSnapshot, text_hash


class UserFactory(DjangoModelFactory[User]):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")


class EditorFactory(UserFactory):
    username = factory.Sequence(lambda n: f"editor{n}")
    is_staff = True

    @factory.post_generation
    def join_editors(self: User, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.groups.add(ensure_editors_group())


class PublisherFactory(DjangoModelFactory[Publisher]):
    class Meta:
        model = Publisher
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Daily Example {n}")
    reliability = 0.7

    @factory.post_generation
    def domain(self: Publisher, create: bool, extracted: str | None, **kwargs: object) -> None:
        if create:
            PublisherDomain.objects.create(
                publisher=self, domain=extracted or f"example{self.pk}.org"
            )


class SourceFactory(DjangoModelFactory[Source]):
    class Meta:
        model = Source

    publisher = factory.SubFactory(PublisherFactory)
    url = factory.Sequence(lambda n: f"https://news{n}.example.org/story/{n}")
    title = factory.Sequence(lambda n: f"Story number {n}")
    health = "ok"
    # A source that has been read (its text's hash); content_hash="" for one never read.
    content_hash = factory.Sequence(lambda n: text_hash(f"Story number {n}, as read"))


class SnapshotFactory(DjangoModelFactory[SourceSnapshot]):
    class Meta:
        model = SourceSnapshot

    source = factory.SubFactory(SourceFactory)
    number = factory.Sequence(lambda n: n + 1)
    method = "manual"
    text = factory.Sequence(lambda n: f"Version {n} of the story.")
    content_hash = factory.LazyAttribute(lambda s: text_hash(s.text))


class ClaimFactory(DjangoModelFactory[Claim]):
    class Meta:
        model = Claim

    text = factory.Sequence(lambda n: f"Example company {n} will open a factory")
    slug = factory.Sequence(lambda n: f"example-claim-{n}")
    published = True


class EvidenceFactory(DjangoModelFactory[Evidence]):
    class Meta:
        model = Evidence

    claim = factory.SubFactory(ClaimFactory)
    source = factory.SubFactory(SourceFactory)
    stance = "supports"
    certainty = "probable"
    kind = "secondary"
