"""The firmness chart's geometry and its summary in words (pure: no database)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import pytest

from public import charts
from public.charts import firmness_chart

START = datetime.datetime(2026, 1, 22, 9, 0, tzinfo=datetime.UTC)


@dataclass
class Point:
    at: datetime.datetime
    score: int
    level: str


def at(days: float) -> datetime.datetime:
    return START + datetime.timedelta(days=days)


def test_no_points_no_chart():
    assert firmness_chart([]) is None


def test_one_point_says_since_when():
    chart = firmness_chart([Point(START, 0, "no_evidence")])
    assert chart is not None
    assert chart.summary == "Firmness has been 0 (No evidence) since 22 Jan 2026."


def test_a_rise_is_told_from_first_to_last():
    chart = firmness_chart(
        [
            Point(at(0), 0, "no_evidence"),
            Point(at(5), 23, "reported"),
            Point(at(12), 89, "confirmed"),
        ]
    )
    assert chart is not None
    assert chart.summary == (
        "Firmness rose from 0 on 22 Jan 2026 to 89 (Confirmed) on 3 Feb 2026, in 2 changes; "
        "lowest 0, highest 89."
    )


def test_a_fall_and_a_return_are_told_too():
    fall = firmness_chart([Point(at(0), 80, "confirmed"), Point(at(2), 17, "contested")])
    back = firmness_chart(
        [Point(at(0), 40, "reported"), Point(at(2), 90, "confirmed"), Point(at(3), 40, "reported")]
    )
    assert fall is not None and fall.summary.startswith("Firmness fell from 80")
    assert back is not None and back.summary.startswith("Firmness moved and came back from 40")


def test_points_are_placed_by_time_when_they_span_days():
    chart = firmness_chart(
        [
            Point(at(0), 0, "no_evidence"),
            Point(at(1), 50, "reported"),
            Point(at(10), 90, "confirmed"),
        ]
    )
    assert chart is not None and not chart.evenly_spaced
    xs = [dot.x for dot in chart.dots]
    assert (xs[1] - xs[0]) * 9 == pytest.approx(xs[2] - xs[1], abs=1.0)


def test_changes_within_a_day_are_spread_evenly():
    chart = firmness_chart(
        [
            Point(at(0), 0, "no_evidence"),
            Point(at(0.001), 50, "reported"),
            Point(at(0.002), 90, "confirmed"),
        ]
    )
    assert chart is not None and chart.evenly_spaced
    xs = [dot.x for dot in chart.dots]
    assert xs[1] - xs[0] == xs[2] - xs[1]


def test_scores_map_onto_the_plot_top_to_bottom():
    chart = firmness_chart([Point(at(0), 0, "no_evidence"), Point(at(3), 100, "confirmed")])
    assert chart is not None
    low, high = chart.dots
    assert low.y == chart.bottom and high.y == chart.top
    assert all(chart.left <= dot.x <= chart.right for dot in chart.dots)


def test_the_line_steps_and_runs_to_the_right_edge():
    chart = firmness_chart([Point(at(0), 10, "rumoured"), Point(at(3), 60, "reported")])
    assert chart is not None
    assert chart.line.startswith(f"M{float(charts.LEFT)},")
    assert chart.line.endswith(f"H{charts.WIDTH - charts.RIGHT}")
    assert "V" in chart.line
