"""Browser tests skipped for want of Chromium are said loudly at the end of `make test`."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

from tests.conftest import NO_BROWSER, pytest_terminal_summary


class Reporter:
    def __init__(self, skipped: list[Any]) -> None:
        self.stats = {"skipped": skipped}
        self.said: list[str] = []

    def write_sep(self, sep: str, title: str, **markup: Any) -> None:
        self.said.append(title)

    def write_line(self, line: str, **markup: Any) -> None:
        self.said.append(line)


def skipped(reason: str) -> SimpleNamespace:
    return SimpleNamespace(longrepr=("tests/public/test_browser.py", 1, f"Skipped: {reason}"))


def test_skipped_browser_tests_are_counted_and_the_way_to_install_chromium_is_given() -> None:
    reporter = Reporter([skipped(NO_BROWSER), skipped(NO_BROWSER), skipped("needs .[ml]")])
    pytest_terminal_summary(reporter, 0, config=None)  # type: ignore[arg-type]
    assert reporter.said[0] == "2 BROWSER TEST(S) SKIPPED"
    assert "make browser" in reporter.said[1]


def test_nothing_is_said_when_no_browser_test_was_skipped() -> None:
    reporter = Reporter([skipped("needs .[ml]")])
    pytest_terminal_summary(reporter, 0, config=None)  # type: ignore[arg-type]
    assert reporter.said == []
