import pytest
from django.db import IntegrityError, transaction

from tests.factories import ArticleFactory, OutletFactory

pytestmark = pytest.mark.django_db


def test_two_urls_with_one_canonical_form_are_one_article():
    outlet = OutletFactory(domain="example.com")
    ArticleFactory(outlet=outlet, url="https://example.com/news/1")
    with pytest.raises(IntegrityError, match="article_unique_canonical_url_hash"), transaction.atomic():
        ArticleFactory(outlet=outlet, url="http://www.example.com/news/1/?utm_source=x#top")


def test_changing_an_outlet_writes_a_history_row():
    outlet = OutletFactory(review_status="pending")
    outlet.review_status = "blocked"
    outlet.save()
    assert [h.review_status for h in outlet.history.order_by("history_date")] == ["pending", "blocked"]
