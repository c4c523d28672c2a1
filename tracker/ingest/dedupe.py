"""Exact and near-duplicate detection across outlets (syndicated wire copy).

Exact: sha256 of the normalised text. Near: datasketch MinHash over word 5-shingles, banded as in LSH;
the band keys live in `NearDuplicateBand` (an indexed PostgreSQL table) instead of datasketch's
in-memory index, because prefork workers do not share memory and its maintainer advises against the
Redis backend (ekzhu/datasketch#51). Candidates are confirmed on the real shingle sets.
"""

import functools
import hashlib
import re
import unicodedata

from datasketch import MinHash
from django.db import connection

from tracker.ingest.models import NearDuplicateBand
from tracker.sources.models import Article

NUM_PERM = 128
SHINGLE_WORDS = 5
# LSH banding: 32 bands of 4 rows. A pair becomes a candidate with probability 1-(1-J^4)^32:
# 0.99 at Jaccard 0.6 (a syndicated copy with a new dateline, a few edits and its last paragraph cut),
# 0.23 at 0.3, under 0.01 at 0.1. Two different reports of the same event share few 5-word runs
# (Jaccard < 0.1), so they rarely even reach the confirmation step.
BANDS, ROWS = 32, 4
# Confirmation on real shingle sets: similar overall, or the shorter text is mostly inside the longer
# one (a wire brief cut down from the full story).
CONFIRM_JACCARD = 0.5
CONFIRM_CONTAINMENT = 0.8
# Fixed seed and scheme: signatures must be comparable across processes and releases (band keys are
# persisted; changing either means re-indexing every article).
MINHASH_SEED = 1
MINHASH_SCHEME = "affine32"

_WORD = re.compile(r"\w+", re.UNICODE)


def normalise_text(text: str) -> str:
    """Case, Unicode forms, punctuation and whitespace removed: what two copies of one text share."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(_WORD.findall(text))


def content_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode()).hexdigest()


def shingles(text: str) -> set[str]:
    words = normalise_text(text).split()
    if len(words) <= SHINGLE_WORDS:
        return {" ".join(words)} if words else set()
    return {" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words) - SHINGLE_WORDS + 1)}


@functools.cache
def _permutations():
    # Building the permutation arrays is the slow part of MinHash(); do it once per process.
    return MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME).permutations


def minhash(shingle_set: set[str]) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=MINHASH_SEED, scheme=MINHASH_SCHEME, permutations=_permutations())
    m.update_batch([s.encode() for s in shingle_set])
    return m


def band_keys(m: MinHash) -> list[int]:
    """One signed 64-bit key per band: blake2b of (band number, the band's hash values)."""
    keys = []
    for band in range(BANDS):
        chunk = m.hashvalues[band * ROWS : (band + 1) * ROWS]
        digest = hashlib.blake2b(band.to_bytes(2, "big") + chunk.tobytes(), digest_size=8).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


@functools.lru_cache(maxsize=32)
def _signature(text: str) -> tuple[frozenset[str], tuple[int, ...]]:
    """(shingles, band keys) of a text. The pipeline looks a text up and then indexes it: computed once."""
    own = frozenset(shingles(text))
    return own, tuple(band_keys(minhash(own)))


def similarity(a: set[str], b: set[str]) -> tuple[float, float]:
    """(Jaccard, containment of the smaller set in the larger)."""
    if not a or not b:
        return 0.0, 0.0
    inter = len(a & b)
    return inter / len(a | b), inter / min(len(a), len(b))


def is_near_duplicate(a: set[str], b: set[str]) -> bool:
    jaccard, containment = similarity(a, b)
    return jaccard >= CONFIRM_JACCARD or containment >= CONFIRM_CONTAINMENT


def _root(article: Article) -> Article:
    """Follow duplicate_of links to the first copy (bounded: links are never cyclic, but be safe)."""
    seen = {article.pk}
    while article.duplicate_of_id and article.duplicate_of_id not in seen:
        seen.add(article.duplicate_of_id)
        article = article.duplicate_of
    return article


# Hand-written SQL because the ORM's UNION of two annotated querysets costs about 1 ms per call to build
# and plan, four times the query itself.
# The band side hands PostgreSQL the article ids as an array (`= ANY(ARRAY(subquery))`), not as a join
# or `IN (subquery)`: for a join the planner probes the ends of both indexes to estimate it, and after
# a mass delete (dead index entries not yet vacuumed) that probing alone took 20 ms per query where this
# form plans in under 1 ms. Other databases (SQLite, the embedded default) get the plain `IN`.
_CANDIDATES_SQL = """
SELECT a.id, a.created_at, 1, ''
FROM {article} a
WHERE a.content_hash = %s AND a.content_hash <> '' AND a.id <> %s
UNION ALL
SELECT a.id, a.created_at, 0, a.text
FROM {article} a
WHERE a.id {in_bands} AND a.id <> %s AND a.outlet_id <> %s
ORDER BY 2, 1
"""
_IN_BANDS = {
    "postgresql": "= ANY(ARRAY(SELECT b.article_id FROM {band} b WHERE b.key IN ({keys})))",
    "default": "IN (SELECT b.article_id FROM {band} b WHERE b.key IN ({keys}))",
}


def _candidates(article: Article, digest: str, keys: tuple[int, ...]) -> list[tuple]:
    """(id, created_at, exact?, text) of the earlier articles that may be copies, oldest first, in one
    round trip: the same content hash anywhere (index on content_hash), or a shared band key from another
    outlet (index on key, then the articles by primary key). Each side is an index scan whatever the
    table sizes, so the cost grows with log(rows), not with rows."""
    in_bands = _IN_BANDS.get(connection.vendor, _IN_BANDS["default"]).format(
        band=NearDuplicateBand._meta.db_table, keys=", ".join(["%s"] * len(keys))
    )
    sql = _CANDIDATES_SQL.format(article=Article._meta.db_table, in_bands=in_bands)
    pk = article.pk or 0
    with connection.cursor() as cursor:
        cursor.execute(sql, [digest, pk, *keys, pk, article.outlet_id or 0])
        return cursor.fetchall()


def find_duplicate(*, article: Article) -> Article | None:
    """The first copy of this article's text: same content hash anywhere, else a near-duplicate from
    another outlet. None if the text is new."""
    if not article.text.strip():
        return None
    digest = article.content_hash or content_hash(article.text)
    own, keys = _signature(article.text)
    rows = _candidates(article, digest, keys)
    # An exact copy wins over a near one; each side is taken oldest first.
    first = next((pk for pk, _, exact, _ in rows if exact), None)
    if first is None:
        checked = set()
        for pk, _, _, text in rows:
            if pk not in checked and is_near_duplicate(own, shingles(text)):
                first = pk
                break
            checked.add(pk)
    return _root(Article.objects.get(pk=first)) if first is not None else None


def index_article(*, article: Article) -> None:
    """Store the article's band keys so later copies find it. Safe to call any number of times
    (one INSERT … ON CONFLICT DO NOTHING; by hand, as bulk_create's 32 model instances cost more than
    the statement)."""
    if not article.text.strip():
        return
    _, keys = _signature(article.text)
    rows = ", ".join(["(%s, %s, %s)"] * len(keys))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {NearDuplicateBand._meta.db_table} (article_id, band, key) VALUES {rows}"  # noqa: S608 - no user input
            " ON CONFLICT DO NOTHING",
            [value for band, key in enumerate(keys) for value in (article.pk, band, key)],
        )
