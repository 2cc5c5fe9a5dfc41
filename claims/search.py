"""Full-text search over claims: the stored document, the query a reader's words make, and
the fallbacks (misspellings on PostgreSQL, plain substrings on SQLite).

The document is a generated column (`Claim.search_vector`), so every way a row is written,
bulk inserts and COPY included, keeps it right; a GIN index answers `@@` without reading
the table, and a trigram index answers the misspelling fallback.
"""

from __future__ import annotations

import re
from typing import Any

from django.contrib.postgres.lookups import TrigramWordSimilar
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connection, models
from django.db.models import BooleanField, ExpressionWrapper, F, Q, QuerySet, Value

CONFIG = "english"
# Column, weight: what a claim says counts most, then its context, then who said it.
WEIGHTED_COLUMNS = (("text", "A"), ("context", "B"), ("claimant", "C"))
# The last word typed, when it is a plain word: matched as a prefix ("cher" finds Chery).
LAST_WORD = re.compile(r"(?:^|\s)(\w+)$")
# Results are ranked among this many of the newest matches: a common word matches a large
# part of the table, and ranking all of it would cost what the index saved.
RANK_WINDOW = 200
# How many of the newest claims are read to tell a common word from a rare one, and the
# share of them that must match for it to count as common.
SAMPLE = 1000
DENSE = 0.02
# Only plain words are respelt: quotes and -exclusions say exactly what the reader wants.
PLAIN_WORDS = re.compile(r"[\w\s]+")
# The annotation a ranked search orders by.
RANK = "rank"


class ClaimSearchDocument(models.Expression):
    """The generated column's expression. Compiled only for DDL, against the claims table
    alone, so the columns are unqualified. Without full-text search (SQLite) it is NULL."""

    output_field = SearchVectorField()

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        return "NULL", ()

    def as_postgresql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        parts = [
            f"setweight(to_tsvector('{CONFIG}'::regconfig, "
            f"coalesce({connection.ops.quote_name(column)}, '')), '{weight}')"
            for column, weight in WEIGHTED_COLUMNS
        ]
        return " || ".join(parts), ()

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ClaimSearchDocument)

    def __hash__(self) -> int:
        return hash(ClaimSearchDocument)


def search_query(words: str) -> SearchQuery:
    """websearch syntax ("quoted phrases", or, -not); the last word also as a prefix."""
    query = SearchQuery(words, search_type="websearch", config=CONFIG)
    last = LAST_WORD.search(words)
    if last is None:
        return query
    head = words[: last.start(1)].strip()
    prefix = SearchQuery(f"{last.group(1)}:*", search_type="raw", config=CONFIG)
    if head:
        prefix = SearchQuery(head, search_type="websearch", config=CONFIG) & prefix
    return query | prefix


def full_text_condition(words: str) -> Q:
    return Q(search_vector=search_query(words))


def few_matches(claims: QuerySet[Any], condition: Q, *, sample: bool = True) -> list[int] | None:
    """The ids of all the matches when they are few (at most RANK_WINDOW); None when the
    words are common. PostgreSQL cannot estimate how many claims hold a rare word or a
    prefix: for a list in updated_at order it walks that index expecting thousands of
    matches, and reads the whole table for a word five claims hold. So the newest
    SAMPLE claims are tried first (an index walk of fixed length): where the words are
    dense there, that walk is the right plan. Otherwise the GIN index's bitmap alone
    finds them (the planner is told not to walk or scan)."""
    if sample:
        hit = ExpressionWrapper(condition, output_field=BooleanField())
        recent = claims.order_by("-updated_at", "-id").annotate(hit=hit)
        hits = list(recent.values_list("hit", flat=True)[:SAMPLE])
        if hits and sum(hits) >= len(hits) * DENSE:
            return None
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off; SET enable_indexscan = off")
        try:
            matches = claims.filter(condition).order_by()
            ids = list(matches.values_list("pk", flat=True)[: RANK_WINDOW + 1])
        finally:
            cursor.execute("RESET enable_seqscan; RESET enable_indexscan")
    return ids if len(ids) <= RANK_WINDOW else None


def near_spellings(claims: QuerySet[Any], words: str) -> QuerySet[Any]:
    """Claims whose text or claimant holds something spelt like the words (pg_trgm's word
    similarity, through the trigram indexes): "Cheri" finds Chery. At most RANK_WINDOW."""
    if not PLAIN_WORDS.fullmatch(words):
        return claims.none()
    alike = Q(TrigramWordSimilar(F("text"), Value(words))) | Q(
        TrigramWordSimilar(F("claimant"), Value(words))
    )
    ids = few_matches(claims, alike, sample=False)
    return claims.filter(pk__in=ids) if ids is not None else claims.filter(alike)


def ranked(claims: QuerySet[Any], words: str) -> QuerySet[Any]:
    """The newest RANK_WINDOW matches, most relevant first (ties: newest first). Their ids
    are read first: as a subquery, the planner may hash-join it against the whole table."""
    newest = list(claims.order_by("-updated_at", "-id").values_list("pk", flat=True)[:RANK_WINDOW])
    window = claims.model.objects.filter(pk__in=newest)
    rank = SearchRank(F("search_vector"), search_query(words))
    return window.annotate(**{RANK: rank}).order_by(f"-{RANK}", "-updated_at", "-id")


def words_contained(claims: QuerySet[Any], words: str) -> QuerySet[Any]:
    """SQLite's search: every word somewhere in the text, context or claimant."""
    condition = Q()
    for word in words.split():
        condition &= (
            Q(text__icontains=word) | Q(context__icontains=word) | Q(claimant__icontains=word)
        )
    return claims.filter(condition)
