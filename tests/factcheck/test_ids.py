"""Ids given as text: ASCII digits a 64-bit column holds, or nothing."""

from __future__ import annotations

import pytest

from factcheck.ids import MAX_ID, id_from_text


@pytest.mark.parametrize(("text", "expected"), [("1", 1), ("042", 42), (MAX_ID, MAX_ID)])
def test_it_reads_whole_numbers_a_column_holds(text, expected) -> None:
    assert id_from_text(text) == expected


@pytest.mark.parametrize("text", ["", "-1", "1.0", "²", "١٢", " 1", str(MAX_ID + 1), "abc"])
def test_it_refuses_anything_else(text) -> None:
    assert id_from_text(text) is None
