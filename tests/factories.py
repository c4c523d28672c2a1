"""factory_boy factories. Countries, the codebook and weapon categories come from the data migration."""

from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from tracker.review.models import Suggestion
from tracker.sources.canonical import canonical_url, url_hash
from tracker.sources.models import Article, Feed, Outlet
from tracker.stances.models import Condition, Country, Event, StanceLevel, Statement, Track, WeaponCategory


def country(code: str) -> Country:
    return Country.objects.get(code=code)


def level(code: str) -> StanceLevel:
    return StanceLevel.objects.get(codebook__is_current=True, code=code)


def scope(code: str) -> WeaponCategory:
    return WeaponCategory.objects.get(code=code)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("correct horse battery staple")

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*Group.objects.filter(name__in=extracted))


class TrackFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Track
        django_get_or_create = ("donor", "recipient")

    donor = factory.LazyFunction(lambda: country("KOR"))
    recipient = factory.LazyFunction(lambda: country("UKR"))


class OutletFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Outlet
        django_get_or_create = ("domain",)

    domain = factory.Sequence(lambda n: f"outlet{n}.example")
    name = factory.LazyAttribute(lambda o: o.domain.split(".")[0].title())
    review_status = Outlet.ReviewStatus.APPROVED
    reliability = Outlet.Reliability.B


class FeedFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Feed

    outlet = factory.SubFactory(OutletFactory)
    url = factory.LazyAttributeSequence(lambda f, n: f"https://{f.outlet.domain}/feed{n}.xml")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    outlet = factory.SubFactory(OutletFactory)
    url = factory.LazyAttributeSequence(lambda a, n: f"https://{a.outlet.domain}/news/{n}")
    canonical_url = factory.LazyAttribute(lambda a: canonical_url(a.url))
    canonical_url_hash = factory.LazyAttribute(lambda a: url_hash(a.url))
    title = factory.Sequence(lambda n: f"Article {n}")
    text = "Seoul said it was considering sending 155mm shells to Ukraine."
    language = "en"
    status = Article.Status.ANALYSED


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    occurred_on = date(2024, 10, 18)
    title = factory.Sequence(lambda n: f"Event {n}")


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    track = factory.SubFactory(TrackFactory)
    text = "Further North Korean deployments"
    kind = Condition.Kind.RED_LINE
    stated_on = date(2024, 10, 28)


class StatementFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Statement
        skip_postgeneration_save = True

    track = factory.SubFactory(TrackFactory)
    level = factory.LazyFunction(lambda: level("non_lethal"))
    stated_on = date(2024, 3, 1)
    speaker = "Ministry of National Defense"
    quote = "We provide humanitarian and non-lethal aid only."
    status = Statement.Status.PUBLISHED

    @factory.post_generation
    def sources(self, create, extracted, **kwargs):
        if create:
            self.sources.set(extracted if extracted is not None else [ArticleFactory()])


class SuggestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Suggestion

    article = factory.SubFactory(ArticleFactory)
    donor = factory.LazyFunction(lambda: country("KOR"))
    recipient = factory.LazyFunction(lambda: country("UKR"))
    level = factory.LazyFunction(lambda: level("considering_lethal"))
    evidence = "Seoul said it was considering sending 155mm shells to Ukraine."
    reason = "cue 'considering' → considering_lethal"
    confidence = 0.8
    detector_version = "test-1"
