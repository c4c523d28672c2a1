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
from django.db import transaction

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


def find_duplicate(*, article: Article) -> Article | None:
    """The first copy of this article's text: same content hash anywhere, else a near-duplicate from
    another outlet. None if the text is new."""
    if not article.text.strip():
        return None
    digest = article.content_hash or content_hash(article.text)
    exact = Article.objects.filter(content_hash=digest).exclude(pk=article.pk).order_by("created_at", "pk").first()
    if exact:
        return _root(exact)

    own = shingles(article.text)
    keys = band_keys(minhash(own))
    candidate_ids = (
        NearDuplicateBand.objects.filter(key__in=keys)
        .exclude(article_id=article.pk)
        .values_list("article_id", flat=True)
        .distinct()
    )
    candidates = (
        Article.objects.filter(pk__in=list(candidate_ids))
        .exclude(outlet_id=article.outlet_id)
        .order_by("created_at", "pk")
        .only("pk", "text", "duplicate_of", "created_at", "outlet_id")
    )
    for candidate in candidates:
        if is_near_duplicate(own, shingles(candidate.text)):
            return _root(candidate)
    return None


@transaction.atomic
def index_article(*, article: Article) -> None:
    """Store the article's band keys so later copies find it. Safe to call any number of times."""
    if not article.text.strip():
        return
    keys = band_keys(minhash(shingles(article.text)))
    NearDuplicateBand.objects.bulk_create(
        [NearDuplicateBand(article=article, band=band, key=key) for band, key in enumerate(keys)],
        ignore_conflicts=True,
    )
