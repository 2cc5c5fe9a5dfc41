"""The cue words of a sentence that do not depend on the claim are found once per sentence,
however many claims the sentence is read against; negations, whose scope is judged against
the claim, are found for each claim."""

from __future__ import annotations

from analysis.assessment import cues
from analysis.assessment.cues import NEGATION, find_cues, forget_sentences
from analysis.text import content_stems

SENTENCE = "The company reportedly denied that it will not build the plant in Halewood."


def test_the_lexicon_reads_a_sentence_once_for_every_claim() -> None:
    forget_sentences()
    plant = find_cues(SENTENCE, 3, frozenset(content_stems("the plant")))
    jobs = find_cues(SENTENCE, 3, frozenset(content_stems("jobs")))
    info = cues._lexicon_cues.cache_info()
    assert (info.misses, info.hits) == (1, 1)
    assert [f for f in plant if f.kind != NEGATION] == [f for f in jobs if f.kind != NEGATION]
    [reaches] = [f.scoped for f in plant if f.kind == NEGATION]
    [misses] = [f.scoped for f in jobs if f.kind == NEGATION]
    assert (reaches, misses) == (True, False)


def test_cues_are_quoted_from_the_sentence_with_their_index() -> None:
    forget_sentences()
    found = find_cues(SENTENCE, 7, frozenset())
    assert {f.sentence for f in found} == {7}
    assert all(SENTENCE[f.span[0] : f.span[1]] == f.text for f in found)
    assert any(f.text == "reportedly" for f in found)
