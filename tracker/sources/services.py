"""Writes for outlets, feeds and articles."""

from datetime import datetime

from django.db import transaction

from tracker.sources.models import Article, Outlet
from tracker.sources.urls import canonical_url, registrable_domain, url_hash


def outlet_get_or_create_for_url(*, url: str, name: str = "") -> Outlet:
    """The outlet that owns `url`'s registrable domain; a new one arrives pending review."""
    domain = registrable_domain(url)
    outlet, _ = Outlet.objects.get_or_create(domain=domain, defaults={"name": name or domain})
    return outlet


@transaction.atomic
def article_reference_get_or_create(
    *, url: str, title: str = "", outlet_name: str = "", published_at: datetime | None = None
) -> Article:
    """An article cited as a source but not fetched (e.g. an editor's citation, demo sources)."""
    existing = Article.objects.filter(canonical_url_hash=url_hash(url)).first()
    if existing:
        return existing
    outlet = outlet_get_or_create_for_url(url=url, name=outlet_name)
    article = Article(
        url=url,
        canonical_url=canonical_url(url),
        canonical_url_hash=url_hash(url),
        outlet=outlet,
        title=title,
        published_at=published_at,
        status=Article.Status.REFERENCE,
    )
    article.full_clean()
    article.save()
    return article
