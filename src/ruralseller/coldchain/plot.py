"""A chart of the food's temperature over a journey, with its limit and the legs marked.

Needs the ``plot`` extra (matplotlib): ``pip install "ruralseller[plot]"``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ruralseller.catalog import Temperature
from ruralseller.errors import InvalidValueError
from ruralseller.packaging.label import font_for

__all__ = ["History", "plot_journey"]

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
    _use_font_for(title + "".join(name for name, _ in series), mpl)
    target = Path(path)
    figure, axes = plt.subplots(figsize=(10, 5), dpi=120)
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
        top = axes.get_ylim()[1]
        for elapsed, name in marks:
            x = elapsed.total_seconds() / 3600
            axes.axvline(x, color="#555555", linestyle=":", linewidth=0.8)
            axes.text(
                x, top, f" {name}", rotation=90, va="top", ha="left", fontsize=8, color="#333333"
            )
        axes.set_xlabel("hours since the parcel left the farm")
        axes.set_ylabel("temperature (°C)")
        if title:
            axes.set_title(title)
        axes.grid(visible=True, alpha=0.25)
        axes.legend(loc="lower right", fontsize=8)
        figure.tight_layout()
        target.parent.mkdir(parents=True, exist_ok=True)
        figure.savefig(target)
    finally:
        plt.close(figure)
    return target
