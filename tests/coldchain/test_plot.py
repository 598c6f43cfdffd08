"""The journey chart: its legend and the legs' names never cover a curve or leave the figure.

Checked on the drawn figure itself, from the bounding boxes matplotlib gives its artists
(in display pixels), for the sample lots' real journeys and for crowded, made-up ones.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator, Sequence
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ruralseller.catalog import Temperature, load_catalog
from ruralseller.catalog.samples import sample_path
from ruralseller.coldchain import (
    CHINA_STANDARD_TIME,
    History,
    class_limits,
    journey_figure,
    plan_shipment,
    plot_journey,
)
from ruralseller.coldchain.plot import _rows

matplotlib = pytest.importorskip("matplotlib", reason="the plot extra is not installed")

from matplotlib.figure import Figure  # noqa: E402 - only with the plot extra
from matplotlib.lines import Line2D  # noqa: E402
from matplotlib.text import Annotation, Text  # noqa: E402
from matplotlib.transforms import Bbox  # noqa: E402


def sample_chart(lot: str) -> dict[str, object]:
    """What ``ruralseller plan --plot`` draws for a sample lot shipped to Guangzhou."""
    catalog = load_catalog(sample_path())
    ship_at = dt.datetime(2026, 11, 21, 8, tzinfo=CHINA_STANDARD_TIME)
    plan = plan_shipment(catalog, lot, ["广州"], ship_at)
    option = plan.destinations[0].best
    assert option is not None
    assert option.slow is not None
    assert option.typical is not None
    assert option.route is not None
    limits = class_limits(catalog.product_of(catalog.lot(lot)))
    outside = option.route.ambient(plan.outside, "p90")
    hours = int(option.slow.duration.total_seconds() // 3600)
    return {
        "series": [
            ("typical day (P50)", option.typical.history),
            ("slow day (P90)", option.slow.history),
        ],
        "limit": limits.high or Temperature(25, "°C"),
        "floor": limits.freeze_floor,
        "ambient": [
            (dt.timedelta(hours=h), outside.temperature_at(dt.timedelta(hours=h)))
            for h in range(hours + 1)
        ],
        "marks": option.route.leg_marks("p90"),
        "title": f"Lot {lot} to 广州市 by {option.service.id}",
    }


def rising(hours: int, start: int, end: int) -> History:
    return [
        (
            dt.timedelta(hours=h),
            Temperature(Fraction(start * hours + (end - start) * h, hours), "°C"),
        )
        for h in range(hours + 1)
    ]


def crowded_chart() -> dict[str, object]:
    """Curves in every corner and many legs, some an hour apart, some with long names."""
    names = [
        "village station → township outlet",
        "township outlet → county hub",
        "at the hub until the 17:00 cut-off (cold store)",
        "line haul, zone 2",
        "transfer",
        "泰和县 冷库",
        "last mile to the buyer in 广州市 天河区",
        "delivered",
    ]
    hours = [0, 1, 2, 30, 31, 50, 70, 72]
    return {
        "series": [("warming", rising(72, -1, 24)), ("cooling", rising(72, 24, -1))],
        "limit": Temperature(4, "°C"),
        "floor": Temperature(-2, "°C"),
        "ambient": rising(72, 30, 30),
        "marks": [(dt.timedelta(hours=h), name) for h, name in zip(hours, names, strict=True)],
        "title": "Lot X to 乌鲁木齐 by a long service name",
    }


CHARTS = {
    "chicken": lambda: sample_chart("WJ261120A"),
    "eggs": lambda: sample_chart("WE261118"),
    "crowded": crowded_chart,
}


@pytest.fixture(params=sorted(CHARTS))
def figure(request: pytest.FixtureRequest) -> Iterator[Figure]:
    import matplotlib.pyplot as plt  # noqa: PLC0415

    drawn = journey_figure(**CHARTS[request.param]())  # type: ignore[arg-type]
    drawn.canvas.draw()  # the final layout, as savefig would draw it
    yield drawn
    plt.close(drawn)


def box(artist: Text | Figure, figure: Figure) -> Bbox:
    return artist.get_window_extent(figure.canvas.get_renderer())  # type: ignore[attr-defined]


def data_points(figure: Figure) -> list[tuple[float, float]]:
    """Every point of every curve (not the limit lines across the whole axes), in pixels."""
    axes = figure.axes[0]
    points: list[tuple[float, float]] = []
    for line in axes.get_lines():
        xs, ys = line.get_xdata(), line.get_ydata()
        if len(xs) == 2 and (xs[0] == xs[1] or ys[0] == ys[1]):  # type: ignore[arg-type]
            continue  # axhline / axvline: a reference line, not data
        pixels = axes.transData.transform(list(zip(xs, ys, strict=True)))  # type: ignore[call-overload]
        points.extend((float(x), float(y)) for x, y in pixels)
    assert points
    return points


def stage_labels(figure: Figure) -> list[Annotation]:
    return [text for text in figure.axes[0].texts if isinstance(text, Annotation)]


def test_the_legend_covers_no_data(figure: Figure) -> None:
    (legend,) = figure.legends
    where = box(legend, figure)  # type: ignore[arg-type]
    covered = [point for point in data_points(figure) if where.contains(*point)]
    assert not covered, f"the legend covers {len(covered)} points of the curves"
    assert not where.overlaps(figure.axes[0].get_window_extent()), "legend on the plot"
    entries = [text.get_text() for text in legend.get_texts()]
    assert any(entry.startswith("limit") for entry in entries)


def test_every_text_lies_inside_the_figure(figure: Figure) -> None:
    whole = box(figure, figure)
    axes = figure.axes[0]
    (legend,) = figure.legends
    texts = [
        *figure.texts,  # the title
        axes.xaxis.label,
        axes.yaxis.label,
        *legend.get_texts(),
        *stage_labels(figure),
    ]
    for axis, (low, high) in ((axes.xaxis, axes.get_xlim()), (axes.yaxis, axes.get_ylim())):
        # Matplotlib keeps ticks beyond the limits, but draws only those within.
        texts += [tick.label1 for tick in axis.get_major_ticks() if low <= tick.get_loc() <= high]
    assert len(texts) > 10
    assert figure.texts[0].get_text().startswith("Lot ")
    for text in texts:
        where = box(text, figure)
        name = text.get_text()
        assert where.x0 >= whole.x0 - 1, f"{name!r} is cut on the left"
        assert where.x1 <= whole.x1 + 1, f"{name!r} is cut on the right"
        assert where.y0 >= whole.y0 - 1, f"{name!r} is cut at the bottom"
        assert where.y1 <= whole.y1 + 1, f"{name!r} is cut at the top"


def test_the_legs_names_sit_above_the_data_apart(figure: Figure) -> None:
    labels = stage_labels(figure)
    assert labels
    axes = figure.axes[0].get_window_extent()
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    boxes = [Text.get_window_extent(label, renderer) for label in labels]  # text, no line
    for label, where in zip(labels, boxes, strict=True):
        assert where.y0 >= axes.y1 - 1, f"{label.get_text()!r} is on the plot"
    for (a, first), (b, second) in itertools.combinations(zip(labels, boxes, strict=True), 2):
        assert not first.overlaps(second), (a.get_text(), b.get_text())
    # The line from each name down to its hour crosses no other name.
    for label, where in zip(labels, boxes, strict=True):
        x = figure.axes[0].transData.transform((label.xy[0], 0))[0]
        for other in boxes:
            if other is not where and other.y1 <= where.y0:
                assert not other.x0 < x < other.x1, f"{label.get_text()!r}'s line crosses a name"


def test_every_mark_is_named(figure: Figure) -> None:
    marks = [
        line
        for line in figure.axes[0].get_lines()
        if isinstance(line, Line2D) and is_vertical(line)
    ]
    assert len(stage_labels(figure)) == len(marks)


def is_vertical(line: Line2D) -> bool:
    xs: Sequence[float] = line.get_xdata()  # type: ignore[assignment]
    return len(xs) == 2 and xs[0] == xs[1]


def test_plot_journey_writes_the_chart(tmp_path: Path) -> None:
    from PIL import Image  # noqa: PLC0415

    written = plot_journey(tmp_path / "deep" / "journey.png", **crowded_chart())  # type: ignore[arg-type]
    with Image.open(written) as image:
        assert image.size == (1200, 672)


spans = st.lists(
    st.tuples(st.floats(0, 1000), st.floats(1, 400), st.booleans()), min_size=1, max_size=12
).map(lambda items: [(x, x + width, x if starts else x + width) for x, width, starts in items])


@settings(max_examples=300, deadline=None)
@given(spans)
def test_names_in_a_row_never_overlap(found: list[tuple[float, float, float]]) -> None:
    rows = _rows(found, gap=6.0)
    for i, j in itertools.combinations(range(len(found)), 2):
        if rows[i] == rows[j]:
            first, second = found[i], found[j]
            assert first[1] + 6.0 <= second[0] or second[1] + 6.0 <= first[0]


@settings(max_examples=300, deadline=None)
@given(spans.map(lambda items: [(x0, x1, x0) for x0, x1, _ in items]))
def test_no_line_down_from_a_name_crosses_a_lower_name(
    found: list[tuple[float, float, float]],
) -> None:
    """Names that start at their hour: each one's line down to the axes meets no other.

    (Unless two hours are closer than the gap: then the lines are side by side anyway.)
    """
    anchors = sorted(anchor for _, _, anchor in found)
    assume(all(b - a > 6.0 for a, b in itertools.pairwise(anchors)))
    rows = _rows(found, gap=6.0)
    for i, (_, _, anchor) in enumerate(found):
        for j, (x0, x1, _) in enumerate(found):
            if j != i and rows[j] < rows[i]:
                assert not x0 - 6.0 <= anchor <= x1 + 6.0, (i, j, rows)
