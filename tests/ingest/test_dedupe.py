"""Exact and near-duplicate detection across outlets, persisted in PostgreSQL."""

import pytest

from tests.factories import ArticleFactory, OutletFactory
from tracker.ingest import dedupe
from tracker.ingest.models import NearDuplicateBand

WIRE_STORY = [
    "SEOUL, Oct 29 (Wire) - South Korea is actively considering sending 155mm artillery shells to Ukraine in "
    "response to North Korea's deployment of troops to Russia, two government officials said on Tuesday, "
    "speaking on condition of anonymity because the deliberations are confidential.",
    "One of the officials said the shells could be routed through the United States to avoid shipping them "
    "directly, an approach Seoul used last year when it lent ammunition to Washington. The National Security "
    "Council would make the final call, the official said.",
    "A spokesman for the presidential office declined to comment on the details but said the government was "
    "reviewing all practical options with its allies.",
    "South Korea, one of the world's largest producers of artillery ammunition, has so far resisted repeated "
    "requests from Kyiv for weapons and has given only non-lethal aid.",
    "The Kremlin has warned that any supply of South Korean arms to Ukraine would cause serious damage to "
    "relations, and analysts expect Moscow to respond with pressure on Seoul.",
]

# The same event, reported independently by another outlet: shares names and facts, not sentences.
SAME_TOPIC = [
    "Seoul is weighing whether to give Kyiv artillery ammunition after Pyongyang moved soldiers to Russia, "
    "according to people briefed on internal talks in the South Korean capital.",
    "The deliberations, which began last week, focus on 155mm rounds that South Korea makes in large numbers. "
    "An indirect route through Washington is among the ideas being discussed.",
    "Officials at the presidential office would not confirm the talks. Moscow has repeatedly told Seoul that "
    "arming Ukraine would end decades of cautious relations between the two countries.",
    "South Korea has until now supplied Ukraine with medical kits, helmets and demining gear, but no weapons.",
]


def syndicated_copy() -> str:
    # New dateline and credit, the last paragraph cut, a boilerplate line added: how partners reprint wire copy.
    body = [WIRE_STORY[0].replace("SEOUL, Oct 29 (Wire) - ", ""), *WIRE_STORY[1:4]]
    return "\n".join([*body, "This story was provided by Wire. All rights reserved."])


@pytest.fixture
def first_copy(db):
    article = ArticleFactory(text="\n".join(WIRE_STORY), outlet=OutletFactory(domain="wire.example"))
    article.content_hash = dedupe.content_hash(article.text)
    article.save()
    dedupe.index_article(article=article)
    return article


def test_content_hash_ignores_case_spacing_and_punctuation():
    assert dedupe.content_hash("Seoul said: “No weapons.”\n\n") == dedupe.content_hash("seoul   said no weapons")
    assert dedupe.content_hash("Seoul said no") != dedupe.content_hash("Seoul said yes")


def test_an_exact_copy_under_another_url_is_found(first_copy):
    copy = ArticleFactory(text="\n".join(WIRE_STORY).upper(), outlet=first_copy.outlet)
    copy.content_hash = dedupe.content_hash(copy.text)
    copy.save()
    assert dedupe.find_duplicate(article=copy) == first_copy


def test_a_syndicated_copy_on_another_outlet_is_linked_to_the_first_copy(first_copy):
    copy = ArticleFactory(text=syndicated_copy(), outlet=OutletFactory(domain="dailyglobe.example"))
    assert dedupe.content_hash(copy.text) != dedupe.content_hash(first_copy.text)
    jaccard, _ = dedupe.similarity(dedupe.shingles(copy.text), dedupe.shingles(first_copy.text))
    assert jaccard < 0.9  # a real near-duplicate, not an exact one
    assert dedupe.find_duplicate(article=copy) == first_copy


def test_a_third_copy_points_at_the_first_not_at_the_second(first_copy):
    second = ArticleFactory(
        text=syndicated_copy(), outlet=OutletFactory(domain="second.example"), duplicate_of=first_copy
    )
    dedupe.index_article(article=second)
    third = ArticleFactory(text=syndicated_copy() + "\nShare this story.", outlet=OutletFactory(domain="third.example"))
    assert dedupe.find_duplicate(article=third) == first_copy


def test_a_different_article_on_the_same_topic_is_not_linked(first_copy):
    other = ArticleFactory(text="\n".join(SAME_TOPIC), outlet=OutletFactory(domain="other.example"))
    assert dedupe.find_duplicate(article=other) is None


def test_a_new_article_with_nothing_indexed_is_not_a_duplicate(db):
    article = ArticleFactory(text="\n".join(WIRE_STORY))
    assert dedupe.find_duplicate(article=article) is None


def test_index_article_is_idempotent(first_copy):
    dedupe.index_article(article=first_copy)
    dedupe.index_article(article=first_copy)
    rows = NearDuplicateBand.objects.filter(article=first_copy)
    assert rows.count() == dedupe.BANDS
    assert sorted(rows.values_list("band", flat=True)) == list(range(dedupe.BANDS))


def test_an_article_without_text_is_neither_indexed_nor_matched(db):
    empty = ArticleFactory(text="")
    dedupe.index_article(article=empty)
    assert not NearDuplicateBand.objects.filter(article=empty).exists()
    assert dedupe.find_duplicate(article=empty) is None


def test_band_keys_are_stable_across_processes():
    # Keys are persisted: the same text must give the same keys in every worker, release after release.
    keys = dedupe.band_keys(dedupe.minhash(dedupe.shingles("\n".join(WIRE_STORY))))
    assert len(keys) == dedupe.BANDS
    assert keys == dedupe.band_keys(dedupe.minhash(dedupe.shingles("\n".join(WIRE_STORY))))
    assert all(-(2**63) <= k < 2**63 for k in keys)


def test_the_lookup_uses_the_band_key_index(first_copy):
    from django.db import connection

    keys = dedupe.band_keys(dedupe.minhash(dedupe.shingles(syndicated_copy())))
    with connection.cursor() as cursor:
        # The table is tiny in a test, where a sequential scan is cheaper; forbid it to see the plan.
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("EXPLAIN SELECT DISTINCT article_id FROM ingest_nearduplicateband WHERE key = ANY(%s)", [keys])
        plan = " ".join(row[0] for row in cursor.fetchall())
        cursor.execute("RESET enable_seqscan")
    assert "neardup_band_key_idx" in plan


def test_a_lookup_costs_a_fixed_number_of_queries(first_copy, django_assert_max_num_queries):
    copy = ArticleFactory(text=syndicated_copy(), outlet=OutletFactory(domain="dailyglobe.example"))
    with django_assert_max_num_queries(3):
        assert dedupe.find_duplicate(article=copy) == first_copy
