"""The firmness-over-time chart, drawn on the server as SVG geometry for a template.

Pure: it takes points (moment, score, level) and returns numbers and words; the template
draws them, so every piece of text is escaped there. No JavaScript.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Protocol

from django.utils import dateformat, timezone

from claims.models import Level

WIDTH, HEIGHT = 720, 240
LEFT, RIGHT, TOP, BOTTOM = 60, 16, 16, 44
# The last value holds on to the right edge: room to show "and it has stayed there".
TAIL = 48
# Changes closer together than this in total are spread evenly: a claim whose whole story
# happened in one afternoon would otherwise be a vertical smudge at one x.
MIN_SPAN = datetime.timedelta(days=1)
Y_TICKS = (0, 25, 50, 75, 100)


class PointLike(Protocol):
    at: datetime.datetime
    score: int
    level: str


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    score: int
    level: str
    label: str


@dataclass(frozen=True)
class Tick:
    at: float
    label: str
    anchor: str = "middle"


@dataclass(frozen=True)
class Chart:
    line: str
    area: str
    dots: tuple[Dot, ...]
    y_ticks: tuple[Tick, ...]
    x_ticks: tuple[Tick, ...]
    summary: str
    evenly_spaced: bool
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM


def day(moment: datetime.datetime) -> str:
    return dateformat.format(timezone.localtime(moment), "j M Y")


def level_word(level: str) -> str:
    return Level(level).label if level in Level.values else level


def y_of(score: int) -> float:
    return round(TOP + (100 - score) / 100 * (HEIGHT - TOP - BOTTOM), 1)


def x_positions(points: Sequence[PointLike]) -> tuple[list[float], bool]:
    """x for each point, and whether they are spread evenly rather than by time."""
    start, end = LEFT, WIDTH - RIGHT - TAIL
    if len(points) == 1:
        return [float(start)], False
    span = points[-1].at - points[0].at
    if span < MIN_SPAN:
        step = (end - start) / (len(points) - 1)
        return [round(start + i * step, 1) for i in range(len(points))], True
    total = span.total_seconds()
    return [
        round(start + (p.at - points[0].at).total_seconds() / total * (end - start), 1)
        for p in points
    ], False


def step_path(xs: Sequence[float], ys: Sequence[float]) -> str:
    """A step line: each value holds until the next change, the last to the right edge."""
    parts = [f"M{xs[0]},{ys[0]}"]
    for x, y in zip(xs[1:], ys[1:], strict=True):
        parts.append(f"H{x}V{y}")
    parts.append(f"H{WIDTH - RIGHT}")
    return "".join(parts)


def summary(points: Sequence[PointLike]) -> str:
    """The chart in one sentence, for its alt text and for readers who skip pictures."""
    first, last = points[0], points[-1]
    if len(points) == 1:
        return f"Firmness has been {first.score} ({level_word(first.level)}) since {day(first.at)}."
    if last.score > first.score:
        verb = "rose"
    elif last.score < first.score:
        verb = "fell"
    else:
        verb = "moved and came back"
    scores = [p.score for p in points]
    changes = len(points) - 1
    return (
        f"Firmness {verb} from {first.score} on {day(first.at)} to {last.score} "
        f"({level_word(last.level)}) on {day(last.at)}, in {changes} "
        f"change{'s' if changes != 1 else ''}; lowest {min(scores)}, highest {max(scores)}."
    )


def x_ticks(points: Sequence[PointLike], xs: Sequence[float]) -> tuple[Tick, ...]:
    first, last = day(points[0].at), day(points[-1].at)
    if first == last:
        return (Tick(xs[0], first, "start"),)
    return (Tick(xs[0], first, "start"), Tick(xs[-1], last, "end"))


def firmness_chart(points: Sequence[PointLike]) -> Chart | None:
    if not points:
        return None
    xs, even = x_positions(points)
    ys = [y_of(p.score) for p in points]
    line = step_path(xs, ys)
    area = f"{line}V{y_of(0)}H{xs[0]}Z"
    dots = tuple(
        Dot(x, y, p.score, p.level, f"{day(p.at)}: {p.score} ({level_word(p.level)})")
        for x, y, p in zip(xs, ys, points, strict=True)
    )
    return Chart(
        line=line,
        area=area,
        dots=dots,
        y_ticks=tuple(Tick(y_of(score), str(score)) for score in Y_TICKS),
        x_ticks=x_ticks(points, xs),
        summary=summary(points),
        evenly_spaced=even,
    )
