import pytest
from django.db import IntegrityError, transaction

from tests.factories import ArticleFactory, SuggestionFactory, scope

pytestmark = pytest.mark.django_db


def test_an_article_gives_one_overall_suggestion_per_pair_and_detector_version():
    article = ArticleFactory()
    SuggestionFactory(article=article)
    with pytest.raises(IntegrityError, match="suggestion_unique_per_article_pair_overall"), transaction.atomic():
        SuggestionFactory(article=article)


def test_an_article_gives_one_scoped_suggestion_per_pair_scope_and_version():
    article = ArticleFactory()
    SuggestionFactory(article=article, scope=scope("tanks"))
    SuggestionFactory(article=article)  # the overall line is another suggestion
    SuggestionFactory(article=article, scope=scope("tanks"), detector_version="test-2")  # a new detector may re-suggest
    with pytest.raises(IntegrityError, match="suggestion_unique_per_article_pair_scope"), transaction.atomic():
        SuggestionFactory(article=article, scope=scope("tanks"))


def test_confidence_stays_between_0_and_1():
    with pytest.raises(IntegrityError, match="suggestion_confidence_0_1"), transaction.atomic():
        SuggestionFactory(confidence=1.5)
