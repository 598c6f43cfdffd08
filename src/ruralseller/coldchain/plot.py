"""A chart of the food's temperature over a journey, with its limit and the legs marked.

Needs the ``plot`` extra (matplotlib): ``pip install "ruralseller[plot]"``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ruralseller.catalog import Temperature
from ruralseller.errors import InvalidValueError
from ruralseller.packaging.label import font_for

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.text import Annotation

__all__ = ["History", "journey_figure", "plot_journey"]

History = Sequence[tuple[dt.timedelta, Temperature]]
"""A temperature history: (time since the start, temperature) in time order."""

_COLOURS = ("#1f6f9f", "#d1495b", "#2e933c", "#8d5a97", "#e9a03b")


def _hours(history: History) -> tuple[list[float], list[float]]:
    return (
        [elapsed.total_seconds() / 3600 for elapsed, _ in history],
        [float(temperature.celsius) for _, temperature in history],
    )


def _use_font_for(text: str, mpl: Any) -> None:
    # Chart text may be Chinese (a city, a product); matplotlib's own DejaVu has no CJK, so
    # use the font the labels use when the text needs one.
    if text.isascii():
        return
    from matplotlib import font_manager  # noqa: PLC0415

    path = font_for(text)
    font_manager.fontManager.addfont(str(path))
    family = font_manager.FontProperties(fname=str(path)).get_name()
    mpl.rcParams["font.family"] = [family, "DejaVu Sans"]


def _rows(spans: Sequence[tuple[float, float, float]], gap: float) -> list[int]:
    """A row for each name's (x0, x1, anchor): no overlaps, no line crossing a name.

    A name whose span covers another's anchor goes above it, so the other's line down to
    the axes does not cross it; otherwise a name takes the lowest row with room.
    """
    count = len(spans)
    over = [
        {
            j
            for j in range(count)
            if j != i and spans[i][0] - gap <= spans[j][2] <= spans[i][1] + gap
        }
        for i in range(count)
    ]
    rows: dict[int, int] = {}
    while len(rows) < count:
        ready = [i for i in range(count) if i not in rows and over[i] <= rows.keys()]
        # A cycle (two names covering each other's anchors) is broken at its leftmost name.
        for i in ready or [min(i for i in range(count) if i not in rows)]:
            row = 1 + max((rows[j] for j in over[i] if j in rows), default=-1)
            while any(
                rows[j] == row
                and spans[j][0] - gap < spans[i][1]
                and spans[i][0] - gap < spans[j][1]
                for j in rows
            ):
                row += 1
            rows[i] = row
    return [rows[i] for i in range(count)]


def _mark_stages(figure: Figure, axes: Axes, marks: Sequence[tuple[dt.timedelta, str]]) -> None:
    """Name the legs above the plotting area, in as many rows as they need.

    Each name starts at its leg's first hour (the last ones end there, to stay inside the
    figure), with a thin line down to the axes; above the axes, no name covers the data.
    """
    from matplotlib.transforms import blended_transform_factory  # noqa: PLC0415

    if not marks:
        return
    on_top = blended_transform_factory(axes.transData, axes.transAxes)
    figure.canvas.draw()  # lay the axes out once, so the names are measured where they go
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    right = axes.get_window_extent(renderer).x1
    labels: list[Annotation] = []
    spans: list[tuple[float, float, float]] = []
    for elapsed, name in sorted(marks, key=lambda mark: mark[0]):
        x = elapsed.total_seconds() / 3600
        axes.axvline(x, color="#555555", linestyle=":", linewidth=0.8)
        for align, corner in (("left", 0.0), ("right", 1.0)):
            label = axes.annotate(
                name,
                xy=(x, 1.0),
                xycoords=on_top,
                xytext=(0, 4),
                textcoords="offset points",
                ha=align,
                va="bottom",
                fontsize=8,
                color="#333333",
                annotation_clip=False,
                arrowprops={
                    "arrowstyle": "-",
                    "color": "#999999",
                    "linewidth": 0.6,
                    "relpos": (corner, 0.0),
                    "shrinkA": 0,
                    "shrinkB": 0,
                },
            )
            box = label.get_window_extent(renderer)
            if box.x1 <= right or align == "right":
                break
            label.remove()  # it would run past the axes: end it at its mark instead
        anchor = axes.transData.transform((x, 0))[0]
        labels.append(label)
        spans.append((box.x0, box.x1, anchor))
    step = 11  # points between two rows of names
    for label, row in zip(labels, _rows(spans, gap=6.0), strict=True):
        label.xyann = (0, 4 + row * step)


def journey_figure(  # noqa: PLR0913 - a chart has many optional parts, all keyword-only
    series: Sequence[tuple[str, History]],
    *,
    limit: Temperature,
    floor: Temperature | None = None,
    ambient: History | None = None,
    marks: Sequence[tuple[dt.timedelta, str]] = (),
    title: str = "",
) -> Figure:
    """The chart of the food's temperature over a journey, as a matplotlib figure.

    The curves fill the axes; the legs' names sit above them and the legend below, outside
    the plotting area, so neither ever covers a curve, and the layout (matplotlib's
    constrained layout) keeps every text inside the figure. :func:`plot_journey` writes it
    to a file; call ``matplotlib.pyplot.close(figure)`` when done with it.

    Args:
        series: named temperature histories of the food, e.g. the P50 and P90 journeys.
        limit: the warmest the food may be, drawn as a red line.
        floor: the coldest it may be (freeze damage), drawn as a blue line.
        ambient: what the box sees outside, drawn thin and grey.
        marks: (time, name) of leg boundaries, drawn as dotted lines with their names.
        title: the chart's title.

    Raises:
        InvalidValueError: when matplotlib is not installed (with the extra to install), or
            there is nothing to draw.
    """
    try:
        import matplotlib as mpl  # noqa: PLC0415 - optional extra, imported when drawing

        mpl.use("Agg")
        import matplotlib.pyplot as plt  # noqa: PLC0415
    except ImportError:
        raise InvalidValueError(
            "drawing charts needs matplotlib, which is not installed",
            hint='pip install "ruralseller[plot]"',
        ) from None
    if not series or not any(history for _, history in series):
        raise InvalidValueError("there is no temperature history to draw")
    _use_font_for(title + "".join(name for name, _ in series) + "".join(n for _, n in marks), mpl)
    figure, axes = plt.subplots(figsize=(10, 5.6), dpi=120, layout="constrained")
    try:
        if ambient:
            hours, celsius = _hours(ambient)
            axes.plot(hours, celsius, color="#9a9a9a", linewidth=1, label="outside the box")
        for index, (name, history) in enumerate(series):
            hours, celsius = _hours(history)
            axes.plot(
                hours, celsius, color=_COLOURS[index % len(_COLOURS)], linewidth=2.2, label=name
            )
        axes.axhline(
            float(limit.celsius),
            color="#c0392b",
            linestyle="--",
            linewidth=1.4,
            label=f"limit {limit}",
        )
        if floor is not None:
            axes.axhline(
                float(floor.celsius),
                color="#2874a6",
                linestyle="--",
                linewidth=1.2,
                label=f"freezing damage below {floor}",
            )
        axes.set_xlabel("hours since the parcel left the farm")
        axes.set_ylabel("temperature (°C)")
        axes.grid(visible=True, alpha=0.25)
        entries = len(axes.get_legend_handles_labels()[0])
        figure.legend(loc="outside lower center", ncols=min(entries, 3), fontsize=8, frameon=False)
        if title:
            figure.suptitle(title)
        _mark_stages(figure, axes, marks)
    except BaseException:
        plt.close(figure)  # no half-drawn figure left open in pyplot
        raise
    return figure


def plot_journey(  # noqa: PLR0913 - a chart has many optional parts, all keyword-only
    path: str | os.PathLike[str],
    series: Sequence[tuple[str, History]],
    *,
    limit: Temperature,
    floor: Temperature | None = None,
    ambient: History | None = None,
    marks: Sequence[tuple[dt.timedelta, str]] = (),
    title: str = "",
) -> Path:
    """Draw the food's temperature over the journey to a PNG (or SVG/PDF, by suffix).

    The chart is :func:`journey_figure`'s: legend and legs' names outside the curves.

    Args:
        path: where to write the chart.
        series: named temperature histories of the food, e.g. the P50 and P90 journeys.
        limit: the warmest the food may be, drawn as a red line.
        floor: the coldest it may be (freeze damage), drawn as a blue line.
        ambient: what the box sees outside, drawn thin and grey.
        marks: (time, name) of leg boundaries, drawn as dotted lines with their names.
        title: the chart's title.

    Raises:
        InvalidValueError: when matplotlib is not installed (with the extra to install), or
            there is nothing to draw.
    """
    figure = journey_figure(
        series, limit=limit, floor=floor, ambient=ambient, marks=marks, title=title
    )
    import matplotlib.pyplot as plt  # noqa: PLC0415 - installed: the figure was drawn

    try:
        target = Path(path)
        target.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(target)
    finally:
        plt.close(figure)
    return target
