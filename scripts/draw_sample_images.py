"""Re-draw the pictures bundled with the black-bone chicken sample catalogue.

The sample catalogue under ``src/ruralseller/samples/black-chickens/`` ships with
product pictures so that listing previews, image checks and the docs have something
real to work with. We may not redistribute photographs we do not own, so the
pictures are simple illustrations drawn here with Pillow: gradients, ellipse
shading, a little seeded noise and blur.

Everything is deterministic (fixed seeds, no timestamps, no EXIF), so re-running the
script reproduces byte-identical files with the same Pillow/libjpeg build::

    python scripts/draw_sample_images.py [OUTPUT_DIR]

``OUTPUT_DIR`` defaults to the sample catalogue's ``images`` directory.
"""

from __future__ import annotations

import math
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

RGB = tuple[int, int, int]
Point = tuple[float, float]
Box = tuple[float, float, float, float]

#: Pictures are drawn this many times larger, then scaled down (cheap anti-aliasing).
SS = 2
SEED = 20240611
JPEG_QUALITY = 85
DEFAULT_OUTPUT = (
    Path(__file__).resolve().parent.parent
    / "src"
    / "ruralseller"
    / "samples"
    / "black-chickens"
    / "images"
)


@dataclass(frozen=True)
class Tone:
    """Three colours used to shade a rounded surface: lit, body and shadow."""

    light: RGB
    mid: RGB
    dark: RGB


def mix(a: RGB, b: RGB, t: float) -> RGB:
    """Blend two colours; ``t=0`` gives ``a`` and ``t=1`` gives ``b``."""
    return (
        round(a[0] + (b[0] - a[0]) * t),
        round(a[1] + (b[1] - a[1]) * t),
        round(a[2] + (b[2] - a[2]) * t),
    )


def jitter(rng: random.Random, color: RGB, amount: int) -> RGB:
    """Return ``color`` with each channel nudged by up to ``amount``."""
    return (
        max(0, min(255, color[0] + rng.randint(-amount, amount))),
        max(0, min(255, color[1] + rng.randint(-amount, amount))),
        max(0, min(255, color[2] + rng.randint(-amount, amount))),
    )


def oval_points(center: Point, radii: Point, angle: float = 0.0, steps: int = 120) -> list[Point]:
    """Outline of an ellipse rotated by ``angle`` degrees, in picture units."""
    cx, cy = center
    rx, ry = radii
    rad = math.radians(angle)
    cos_a, sin_a = math.cos(rad), math.sin(rad)
    points = []
    for i in range(steps):
        t = 2 * math.pi * i / steps
        x, y = rx * math.cos(t), ry * math.sin(t)
        points.append((cx + x * cos_a - y * sin_a, cy + x * sin_a + y * cos_a))
    return points


class Mask:
    """A greyscale coverage mask, drawn in picture units at supersampled resolution."""

    def __init__(self, size: tuple[int, int]) -> None:
        self.image = Image.new("L", size, 0)
        self.draw = ImageDraw.Draw(self.image)

    @staticmethod
    def _pts(points: Sequence[Point]) -> list[tuple[float, float]]:
        return [(x * SS, y * SS) for x, y in points]

    def ellipse(self, box: Box, value: int = 255) -> Mask:
        """Add an axis-aligned ellipse."""
        self.draw.ellipse([v * SS for v in box], fill=value)
        return self

    def oval(self, center: Point, radii: Point, angle: float = 0.0, value: int = 255) -> Mask:
        """Add a rotated ellipse."""
        self.draw.polygon(self._pts(oval_points(center, radii, angle)), fill=value)
        return self

    def polygon(self, points: Sequence[Point], value: int = 255) -> Mask:
        """Add a polygon."""
        self.draw.polygon(self._pts(points), fill=value)
        return self

    def rect(self, box: Box, radius: float = 0.0, value: int = 255) -> Mask:
        """Add a (rounded) rectangle."""
        self.draw.rounded_rectangle([v * SS for v in box], radius=radius * SS, fill=value)
        return self

    def line(self, points: Sequence[Point], width: float, value: int = 255) -> Mask:
        """Add a polyline with round joints."""
        self.draw.line(
            self._pts(points), fill=value, width=max(1, round(width * SS)), joint="curve"
        )
        return self

    def limb(self, start: Point, end: Point, radii: Point, value: int = 255) -> Mask:
        """Add a tapered capsule from ``start`` (radius ``radii[0]``) to ``end``."""
        steps = 48
        for i in range(steps + 1):
            t = i / steps
            x = start[0] + (end[0] - start[0]) * t
            y = start[1] + (end[1] - start[1]) * t
            r = radii[0] + (radii[1] - radii[0]) * t
            self.ellipse((x - r, y - r, x + r, y + r), value)
        return self

    def blurred(self, radius: float) -> Image.Image:
        """The mask with a Gaussian blur of ``radius`` picture units."""
        return self.image.filter(ImageFilter.GaussianBlur(radius * SS))

    def cut(self, other: Mask) -> Mask:
        """Remove everything covered by ``other``."""
        self.image = ImageChops.subtract(self.image, other.image)
        self.draw = ImageDraw.Draw(self.image)
        return self

    def clip(self, other: Mask) -> Mask:
        """Keep only what is also covered by ``other``."""
        self.image = ImageChops.multiply(self.image, other.image)
        self.draw = ImageDraw.Draw(self.image)
        return self


def scaled(mask: Image.Image, opacity: float) -> Image.Image:
    """Multiply a mask by ``opacity`` (0..1)."""
    return mask.point(lambda v: round(v * opacity))


class Canvas:
    """An RGB picture drawn at ``SS`` times its final size."""

    def __init__(self, size: tuple[int, int], background: RGB, seed: int) -> None:
        self.size = size
        self.px = (size[0] * SS, size[1] * SS)
        self.image = Image.new("RGB", self.px, background)
        self.rng = random.Random(seed)  # seeded on purpose: the same pictures every run

    def mask(self) -> Mask:
        """A new empty mask covering the canvas."""
        return Mask(self.px)

    def fill(self, color: RGB, mask: Image.Image | Mask, opacity: float = 1.0) -> None:
        """Paint a flat colour through ``mask``."""
        m = mask.image if isinstance(mask, Mask) else mask
        box = m.getbbox()
        if box is None:
            return
        region = m.crop(box)
        if opacity < 1.0:
            region = scaled(region, opacity)
        self.image.paste(color, box, region)

    def paste(self, picture: Image.Image, mask: Image.Image | Mask, offset: Point = (0, 0)) -> None:
        """Paste an RGB ``picture`` whose top-left corner sits at ``offset`` through ``mask``."""
        m = mask.image if isinstance(mask, Mask) else mask
        layer = Image.new("RGB", self.px)
        layer.paste(picture, (round(offset[0] * SS), round(offset[1] * SS)))
        self.image.paste(layer, (0, 0), m)

    def vertical(self, mask: Image.Image | Mask, top: RGB, bottom: RGB, span: Point) -> None:
        """Vertical gradient from ``top`` at ``span[0]`` to ``bottom`` at ``span[1]``."""
        height = max(2, round((span[1] - span[0]) * SS))
        ramp = Image.linear_gradient("L").resize((self.px[0], height))
        layer = Image.new("L", self.px, 0)
        layer.paste(255, (0, 0, self.px[0], self.px[1]))
        layer.paste(0, (0, 0, self.px[0], max(0, round(span[0] * SS))))
        layer.paste(ramp, (0, round(span[0] * SS)))
        self.paste(ImageOps.colorize(layer, top, bottom), mask)

    def shade(self, mask: Mask | Image.Image, tone: Tone, light: Point, reach: float) -> None:
        """Radial shading: ``tone.light`` at ``light`` falling to ``tone.dark`` at ``reach``."""
        m = mask.image if isinstance(mask, Mask) else mask
        box = m.getbbox()
        if box is None:
            return
        x0, y0, x1, y1 = box
        r = max(2, round(reach * SS))
        ramp = Image.radial_gradient("L").resize((2 * r, 2 * r), Image.Resampling.BILINEAR)
        field = Image.new("L", (x1 - x0, y1 - y0), 255)
        field.paste(ramp, (round(light[0] * SS) - r - x0, round(light[1] * SS) - r - y0))
        colored = ImageOps.colorize(field, tone.light, tone.dark, tone.mid)
        self.image.paste(colored, (x0, y0), m.crop(box))

    def shadow(self, mask: Mask, offset: Point, blur: float, color: RGB, opacity: float) -> None:
        """A soft drop shadow of ``mask`` moved by ``offset``."""
        moved = Image.new("L", self.px, 0)
        moved.paste(mask.image, (round(offset[0] * SS), round(offset[1] * SS)))
        self.fill(color, moved.filter(ImageFilter.GaussianBlur(blur * SS)), opacity)

    def glow(self, mask: Mask, blur: float, color: RGB, opacity: float) -> None:
        """Paint a blurred copy of ``mask`` (highlights, soft light)."""
        self.fill(color, mask.blurred(blur), opacity)

    def noise(self, amount: int, grain: float, mask: Mask | Image.Image | None = None) -> None:
        """Overlay seeded grain: ``amount`` is strength, ``grain`` the speck size in units."""
        w = max(1, round(self.px[0] / (grain * SS)))
        h = max(1, round(self.px[1] / (grain * SS)))
        speck = Image.frombytes("L", (w, h), self.rng.randbytes(w * h))
        speck = speck.resize(self.px, Image.Resampling.BICUBIC)
        speck = speck.point(lambda v: 128 + (v - 128) * amount // 128)
        textured = ImageChops.overlay(self.image, Image.merge("RGB", (speck, speck, speck)))
        if mask is None:
            self.image = textured
        else:
            self.image.paste(textured, (0, 0), mask.image if isinstance(mask, Mask) else mask)

    def soften(self, radius: float, mask: Mask | Image.Image | None = None) -> None:
        """Gaussian-blur the picture (or only where ``mask`` covers it)."""
        blurred = self.image.filter(ImageFilter.GaussianBlur(radius * SS))
        if mask is None:
            self.image = blurred
        else:
            self.image.paste(blurred, (0, 0), mask.image if isinstance(mask, Mask) else mask)

    def dots(self, area: Mask, count: int, radius: Point, color: RGB, opacity: float) -> None:
        """Scatter ``count`` small dots (radius between ``radius``) inside ``area``."""
        dots = self.mask()
        x0, y0, x1, y1 = area.image.getbbox() or (0, 0, 1, 1)
        placed = 0
        tries = 0
        while placed < count and tries < count * 20:
            tries += 1
            x = self.rng.uniform(x0, x1 - 1)
            y = self.rng.uniform(y0, y1 - 1)
            if area.image.getpixel((int(x), int(y))) != 255:
                continue
            r = self.rng.uniform(*radius)
            dots.ellipse((x / SS - r, y / SS - r, x / SS + r, y / SS + r))
            placed += 1
        self.fill(color, dots.blurred(0.6), opacity)

    def finish(self) -> Image.Image:
        """Scale down to the final size."""
        return self.image.resize(self.size, Image.Resampling.LANCZOS)


# --------------------------------------------------------------------------------------
# 1. Whole dressed black-bone chicken on a white tray (main product image)
# --------------------------------------------------------------------------------------

SKIN = Tone(light=(106, 108, 130), mid=(40, 41, 54), dark=(10, 10, 14))
SKIN_SHADOW = (40, 40, 50)


def skin_part(canvas: Canvas, mask: Mask, light: Point, reach: float) -> None:
    """A piece of dark chicken skin that casts a soft shadow on what is below it."""
    canvas.shadow(mask, (4, 9), 9, (10, 10, 14), 0.55)
    canvas.shade(mask, SKIN, light, reach)


def sheen(canvas: Canvas, spots: Sequence[tuple[Point, Point, float]], opacity: float) -> None:
    """Soft specular highlights of chilled, slightly moist skin."""
    for center, radii, angle in spots:
        m = canvas.mask().oval(center, radii, angle)
        canvas.glow(m, min(radii) * 0.55, (226, 230, 246), opacity)


def draw_tray(canvas: Canvas) -> None:
    """White foam tray with a recessed well, plus its shadow on the table."""
    outer = canvas.mask().rect((215, 365, 1385, 1335), 110)
    footprint = canvas.mask().rect((245, 420, 1355, 1335), 110)
    canvas.shadow(footprint, (0, 30), 30, (105, 100, 95), 0.35)
    canvas.vertical(outer, (252, 252, 251), (236, 236, 234), (365, 1335))
    well = canvas.mask().rect((285, 430, 1315, 1270), 75)
    canvas.vertical(well, (226, 226, 224), (247, 247, 245), (430, 1270))
    lip = canvas.mask().rect((285, 430, 1315, 1270), 75)
    lip.cut(canvas.mask().rect((291, 436, 1309, 1264), 70))
    canvas.fill((255, 255, 255), lip.blurred(1.2), 0.9)
    inner_shadow = canvas.mask().rect((285, 430, 1315, 1270), 75)
    inner_shadow.cut(canvas.mask().rect((300, 452, 1300, 1262), 70))
    canvas.fill((200, 200, 198), inner_shadow.blurred(8), 0.5)


def draw_whole_chicken(canvas: Canvas) -> None:
    """The dressed bird seen from above, breast up, drumsticks towards the viewer."""
    body = canvas.mask().oval((800, 785), (292, 352))
    canvas.shadow(body, (18, 34), 34, (80, 80, 88), 0.55)

    for side in (-1, 1):
        wing = canvas.mask().oval((800 + side * 268, 700), (92, 215), -side * 14)
        skin_part(canvas, wing, (800 + side * 250, 600), 300)
        tip = canvas.mask().oval((800 + side * 285, 905), (58, 105), side * 12)
        skin_part(canvas, tip, (800 + side * 275, 860), 150)

    neck = canvas.mask().oval((800, 450), (92, 78))
    skin_part(canvas, neck, (775, 420), 130)
    skin_part(canvas, body, (735, 640), 470)

    for side in (-1, 1):
        lobe = canvas.mask().oval((800 + side * 112, 720), (150, 265), side * 6)
        canvas.shade(lobe, SKIN, (800 + side * 100 - 30, 600), 330)
    keel = canvas.mask().line([(800, 510), (800, 660), (802, 830), (800, 990)], 10)
    canvas.fill((12, 12, 16), keel.blurred(5), 0.75)

    for side in (-1, 1):
        thigh = canvas.mask().oval((800 + side * 188, 965), (152, 188), -side * 24)
        skin_part(canvas, thigh, (800 + side * 170 - 35, 905), 230)
    for side in (-1, 1):
        stick = canvas.mask().limb((800 + side * 168, 990), (800 + side * 44, 1180), (84, 34))
        skin_part(canvas, stick, (800 + side * 130 - 25, 1030), 210)
    for side in (-1, 1):
        knob = canvas.mask()
        knob.ellipse((800 + side * 38 - 44, 1160, 800 + side * 38 + 44, 1238))
        knob.ellipse((800 + side * 62 - 28, 1200, 800 + side * 62 + 28, 1252))
        knob.ellipse((800 + side * 16 - 28, 1204, 800 + side * 16 + 28, 1256))
        skin_part(canvas, knob, (800 + side * 30 - 12, 1190), 80)
        canvas.dots(knob, 12, (2, 4), (200, 196, 210), 0.35)

    follicles = canvas.mask().oval((800, 785), (292, 352))
    for side in (-1, 1):
        follicles.oval((800 + side * 188, 965), (152, 188), -side * 24)
    canvas.dots(follicles, 1400, (0.9, 2.0), (6, 6, 10), 0.45)
    canvas.dots(follicles, 400, (0.8, 1.5), (150, 152, 172), 0.25)

    sheen(
        canvas,
        [
            ((690, 620), (46, 120), 10),
            ((905, 610), (38, 105), -8),
            ((775, 430), (30, 22), 0),
            ((565, 915), (36, 70), 30),
            ((1000, 905), (26, 60), -30),
            ((680, 1060), (18, 58), -36),
            ((900, 1060), (14, 50), 36),
            ((515, 640), (22, 90), 14),
        ],
        0.55,
    )
    twine = canvas.mask().line([(720, 1185), (800, 1200), (880, 1185)], 7)
    canvas.shadow(twine, (2, 4), 3, (20, 20, 20), 0.5)
    canvas.fill((214, 196, 160), twine)


def picture_whole_chicken() -> Image.Image:
    """Main product image: square, clean light background."""
    canvas = Canvas((1600, 1600), (248, 247, 245), SEED + 1)
    everything = canvas.mask().rect((0, 0, 1600, 1600))
    canvas.vertical(everything, (253, 253, 252), (236, 234, 231), (0, 1600))
    draw_tray(canvas)
    draw_whole_chicken(canvas)
    canvas.noise(10, 1.5)
    return canvas.finish()


# --------------------------------------------------------------------------------------
# 2. Black silkies foraging in a Jiangxi mountain village
# --------------------------------------------------------------------------------------


def ridge(
    canvas: Canvas, base: float, amplitude: float, waves: Sequence[tuple[float, float]]
) -> list[Point]:
    """A closed polygon under a wavy skyline built from sine ``waves`` (period, phase)."""
    w, h = canvas.size
    points: list[Point] = [(0, h)]
    for i in range(0, w + 21, 20):
        y = base
        for period, phase in waves:
            y -= amplitude * math.sin(i / period + phase) / len(waves)
        points.append((i, y + canvas.rng.uniform(-3, 3)))
    points.append((w, h))
    return points


def draw_sky_and_mountains(canvas: Canvas) -> None:
    """Sky, soft clouds and three misty ranges of hills."""
    w, h = canvas.size
    sky = canvas.mask().rect((0, 0, w, h))
    canvas.vertical(sky, (118, 170, 222), (222, 234, 238), (0, 470))
    for cx, cy, rx, ry in ((260, 120, 200, 42), (420, 95, 150, 50), (1180, 150, 240, 40)):
        cloud = canvas.mask().ellipse((cx - rx, cy - ry, cx + rx, cy + ry))
        cloud.ellipse((cx - rx * 0.4, cy - ry * 1.7, cx + rx * 0.5, cy + ry * 0.6))
        canvas.glow(cloud, 18, (255, 255, 255), 0.8)
    far = canvas.mask().polygon(ridge(canvas, 300, 160, [(170, 0.4), (70, 1.3), (33, 2.0)]))
    canvas.vertical(far, (150, 176, 180), (192, 210, 205), (180, 480))
    mid = canvas.mask().polygon(ridge(canvas, 390, 150, [(210, 2.2), (90, 0.3), (41, 1.1)]))
    canvas.vertical(mid, (92, 136, 104), (150, 180, 140), (260, 560))
    canvas.noise(14, 5, mid)
    haze = canvas.mask().rect((0, 380, w, 520))
    canvas.glow(haze, 40, (230, 236, 230), 0.45)


def draw_terraces(canvas: Canvas, center: Point, radii: Point) -> None:
    """A terraced hill: stacked contour bands with bright lips and dark risers."""
    cx, cy = center
    rx, ry = radii
    hill = canvas.mask().oval((cx, cy + ry), (rx, ry * 2))
    canvas.vertical(hill, (118, 166, 74), (84, 130, 58), (cy - ry, cy + ry))
    bands = 10
    curves: list[list[Point]] = []
    for k in range(bands + 1):
        t = k / bands
        yk = cy - ry * 0.9 + t * ry * 2.2
        half = rx * 1.1
        sag = 20 + 50 * t
        phase = canvas.rng.uniform(0, math.pi)
        curves.append(
            [
                (x, y + 6 * math.sin(x / 90 + phase))
                for x, y in _smooth(
                    [(cx - half, yk + sag), (cx, yk - sag), (cx + half, yk + sag)], 40
                )
            ]
        )
    for k in range(bands):
        band = canvas.mask().polygon(curves[k] + curves[k + 1][::-1]).clip(hill)
        canvas.fill((136, 182, 84) if k % 2 else (104, 154, 66), band, 0.55)
    for curve in curves[1:]:
        riser = canvas.mask().line([(x, y + 5) for x, y in curve], 7).clip(hill)
        canvas.fill((58, 94, 44), riser.blurred(2.5), 0.6)
        lip = canvas.mask().line(curve, 3).clip(hill)
        canvas.fill((196, 220, 128), lip.blurred(0.8), 0.75)
    canvas.noise(18, 3, hill)


def _smooth(points: Sequence[Point], steps: int) -> list[Point]:
    """A quadratic Bézier through three control points."""
    (x0, y0), (x1, y1), (x2, y2) = points
    out = []
    for i in range(steps + 1):
        t = i / steps
        a, b, c = (1 - t) ** 2, 2 * (1 - t) * t, t * t
        out.append((a * x0 + b * x1 + c * x2, a * y0 + b * y1 + c * y2))
    return out


def draw_tree(canvas: Canvas, base: Point, size: float) -> None:
    """A round broadleaf tree (camphor-like)."""
    x, y = base
    trunk = canvas.mask().rect((x - size * 0.07, y - size * 0.9, x + size * 0.07, y))
    canvas.fill((74, 56, 40), trunk)
    crown = canvas.mask()
    for dx, dy, r in ((0, -1.25, 0.62), (-0.42, -1.0, 0.45), (0.45, -1.02, 0.48), (0, -1.7, 0.4)):
        cx, cy = x + dx * size, y + dy * size
        crown.ellipse((cx - r * size, cy - r * size, cx + r * size, cy + r * size))
    tone = Tone((120, 168, 82), (58, 110, 52), (28, 62, 32))
    canvas.shade(crown, tone, (x - size * 0.35, y - size * 1.75), size * 1.9)
    canvas.noise(30, 4, crown)


def draw_house(canvas: Canvas) -> None:
    """A whitewashed Gan-style house with a dark tiled roof and stepped gable."""
    wall = canvas.mask().polygon(
        [
            (1010, 700),
            (1010, 470),
            (1070, 470),
            (1070, 430),
            (1130, 430),
            (1130, 395),
            (1200, 395),
            (1200, 430),
            (1260, 430),
            (1260, 470),
            (1310, 470),
            (1310, 700),
        ]
    )
    canvas.shadow(wall, (14, 6), 10, (40, 50, 40), 0.35)
    canvas.vertical(wall, (242, 240, 232), (214, 210, 198), (395, 700))
    side = canvas.mask().rect((1310, 520, 1520, 700))
    canvas.vertical(side, (205, 202, 192), (182, 178, 166), (520, 700))
    for box in ((1060, 470, 1070, 480), (1120, 430, 1130, 440), (1190, 395, 1210, 405)):
        cap = canvas.mask().rect((box[0] - 14, box[1] - 12, box[2] + 84, box[1] + 4))
        canvas.fill((56, 58, 64), cap)
    for x0, y0, x1 in ((1010, 460, 1070), (1070, 420, 1130), (1130, 385, 1200)):
        cap = canvas.mask().polygon(
            [(x0 - 14, y0 + 14), (x0 - 4, y0), (x1 + 4, y0), (x1 + 4, y0 + 14)]
        )
        canvas.fill((50, 52, 58), cap)
    for x0, y0, x1 in ((1200, 385, 1260), (1260, 420, 1310)):
        cap = canvas.mask().polygon(
            [(x0 - 4, y0 + 14), (x0 - 4, y0), (x1 + 4, y0), (x1 + 14, y0 + 14)]
        )
        canvas.fill((50, 52, 58), cap)
    roof = canvas.mask().polygon(
        [(1285, 525), (1330, 455), (1505, 455), (1545, 525), (1532, 520), (1298, 520)]
    )
    canvas.vertical(roof, (92, 94, 102), (48, 50, 56), (455, 525))
    for i in range(17):
        x = 1335 + i * 10.5
        tiles = canvas.mask().line([(x, 458), (x - 40 + i * 5, 522)], 2.2)
        canvas.fill((30, 31, 36), tiles, 0.7)
    ridge_line = canvas.mask().rect((1322, 447, 1512, 458), 3)
    canvas.fill((40, 42, 48), ridge_line)
    door = canvas.mask().rect((1130, 575, 1190, 700))
    canvas.vertical(door, (92, 60, 38), (62, 40, 26), (575, 700))
    lintel = canvas.mask().rect((1118, 562, 1202, 575))
    canvas.fill((120, 116, 108), lintel)
    for wx in (1040, 1250):
        window = canvas.mask().rect((wx, 520, wx + 36, 560))
        canvas.fill((48, 44, 40), window)
        for k in range(1, 4):
            bar = canvas.mask().line([(wx + k * 9, 520), (wx + k * 9, 560)], 2)
            canvas.fill((150, 120, 80), bar)
    for wx in (1360, 1440):
        window = canvas.mask().rect((wx, 575, wx + 40, 620))
        canvas.fill((52, 48, 44), window)
    plinth = canvas.mask().rect((1005, 680, 1522, 704))
    canvas.fill((128, 126, 118), plinth)
    stains = canvas.mask().rect((1010, 640, 1520, 690))
    canvas.glow(stains, 14, (150, 150, 130), 0.3)
    canvas.noise(14, 2, wall)


def draw_yard(canvas: Canvas) -> Mask:
    """Packed-earth yard with grass tufts and a bamboo fence; returns the ground mask."""
    w, h = canvas.size
    ground = canvas.mask().polygon([(0, 690), (500, 675), (1000, 695), (w, 690), (w, h), (0, h)])
    canvas.vertical(ground, (176, 150, 108), (138, 108, 72), (680, h))
    canvas.noise(26, 2.2, ground)
    for i in range(60):
        x = 20 + i * 13 + canvas.rng.uniform(-4, 4)
        post = canvas.mask().rect((x, 600 + (i % 3) * 6, x + 7, 706), 2)
        canvas.fill(mix((170, 150, 92), (110, 96, 60), (i % 4) / 4), post)
    for rail_y in (630.0, 672.0):
        rail = canvas.mask().rect((10, rail_y, 800, rail_y + 7), 3)
        canvas.fill((126, 108, 70), rail)
    for _ in range(70):
        x = canvas.rng.uniform(0, w)
        y = canvas.rng.uniform(705, h - 10)
        tuft = canvas.mask()
        s = 0.5 + (y - 700) / 600
        for _blade in range(7):
            lean = canvas.rng.uniform(-16, 16) * s
            tuft.line([(x, y), (x + lean * 0.5, y - 14 * s), (x + lean, y - 30 * s)], 2.6 * s)
        canvas.fill(jitter(canvas.rng, (88, 132, 52), 18), tuft)
    pebbles = canvas.mask()
    for _ in range(90):
        x = canvas.rng.uniform(0, w)
        y = canvas.rng.uniform(720, h)
        r = canvas.rng.uniform(2, 7)
        pebbles.ellipse((x - r * 1.4, y - r, x + r * 1.4, y + r))
    canvas.fill((196, 186, 166), pebbles)
    return ground


FEATHER = Tone(light=(96, 94, 110), mid=(36, 34, 42), dark=(8, 8, 11))


def fluff(canvas: Canvas, center: Point, radii: Point, count: int) -> Mask:
    """A cloud of small feather puffs inside an ellipse; returns its silhouette."""
    cx, cy = center
    rx, ry = radii
    shape = canvas.mask().oval(center, radii)
    for _ in range(count):
        a = canvas.rng.uniform(0, 2 * math.pi)
        d = math.sqrt(canvas.rng.uniform(0.55, 1.0))
        x, y = cx + rx * d * math.cos(a), cy + ry * d * math.sin(a)
        r = canvas.rng.uniform(0.12, 0.22) * min(rx, ry)
        shape.ellipse((x - r, y - r, x + r, y + r))
        wisp_len = canvas.rng.uniform(0.15, 0.3) * min(rx, ry)
        shape.line([(x, y), (x + wisp_len * math.cos(a), y + wisp_len * math.sin(a))], 2.5)
    return shape


def draw_silkie(canvas: Canvas, base: Point, size: float, facing: int, pose: str) -> None:
    """A black silkie standing at ``base`` (between its feet), facing left (-1) or right."""
    x, y = base
    cy = y - size * 0.95
    ground_shadow = canvas.mask().oval((x, y + 2), (size * 1.05, size * 0.18))
    canvas.fill((70, 52, 32), ground_shadow.blurred(size * 0.12), 0.55)
    for dx in (-0.22, 0.2):
        leg = canvas.mask().line(
            [(x + dx * size, cy + size * 0.4), (x + dx * size + facing * 4, y)], size * 0.09
        )
        leg.line([(x + dx * size - size * 0.14, y), (x + dx * size + size * 0.2 * facing, y)], 5)
        canvas.fill((52, 54, 64), leg)
        fuzz = fluff(canvas, (x + dx * size, cy + size * 0.52), (size * 0.16, size * 0.14), 8)
        canvas.shade(fuzz, FEATHER, (x + dx * size - 10, cy + size * 0.45), size * 0.35)
    tail = fluff(
        canvas, (x - facing * size * 0.82, cy - size * 0.42), (size * 0.38, size * 0.46), 30
    )
    canvas.shade(tail, FEATHER, (x - facing * size * 0.7, cy - size * 0.8), size * 0.9)
    body = fluff(canvas, (x, cy), (size, size * 0.72), 90)
    canvas.shade(body, FEATHER, (x - size * 0.25, cy - size * 0.55), size * 1.9)
    canvas.dots(body, int(size * 1.4), (1.0, 2.4), (130, 128, 150), 0.35)
    if pose == "peck":
        head = (x + facing * size * 1.05, y - size * 0.32)
        neck = fluff(
            canvas, (x + facing * size * 0.75, cy + size * 0.1), (size * 0.4, size * 0.42), 25
        )
    else:
        head = (x + facing * size * 0.82, cy - size * 0.72)
        neck = fluff(
            canvas, (x + facing * size * 0.62, cy - size * 0.35), (size * 0.38, size * 0.5), 25
        )
    canvas.shade(neck, FEATHER, (head[0] - 10, head[1] - 10), size * 1.2)
    draw_silkie_head(canvas, head, size * 0.34, facing)


def draw_silkie_head(canvas: Canvas, head: Point, r: float, facing: int) -> None:
    """Small fluffy head: pom-pom crest, dark walnut comb, blue earlobe, grey beak."""
    hx, hy = head
    face = canvas.mask().ellipse((hx - r, hy - r * 0.85, hx + r, hy + r * 0.85))
    canvas.shade(face, FEATHER, (hx - r * 0.3, hy - r * 0.5), r * 2.2)
    crest = fluff(canvas, (hx - facing * r * 0.25, hy - r * 0.95), (r * 0.95, r * 0.7), 20)
    canvas.shade(crest, FEATHER, (hx - r * 0.5, hy - r * 1.5), r * 2.4)
    comb = canvas.mask()
    for k in range(3):
        cx = hx + facing * r * (0.35 + k * 0.16)
        cy = hy - r * (0.62 - k * 0.1)
        comb.ellipse((cx - r * 0.22, cy - r * 0.2, cx + r * 0.22, cy + r * 0.18))
    canvas.shade(comb, Tone((140, 60, 96), (78, 26, 52), (34, 10, 22)), (hx, hy - r), r * 1.1)
    beak = canvas.mask().polygon(
        [
            (hx + facing * r * 0.75, hy - r * 0.2),
            (hx + facing * r * 1.35, hy + r * 0.02),
            (hx + facing * r * 0.75, hy + r * 0.22),
        ]
    )
    canvas.fill((120, 118, 130), beak)
    lobe = canvas.mask().oval((hx + facing * r * 0.15, hy + r * 0.3), (r * 0.2, r * 0.15))
    canvas.fill((64, 150, 176), lobe)
    eye = canvas.mask().ellipse(
        (
            hx + facing * r * 0.42 - r * 0.14,
            hy - r * 0.22,
            hx + facing * r * 0.42 + r * 0.14,
            hy + r * 0.02,
        )
    )
    canvas.fill((4, 4, 6), eye)
    glint = canvas.mask().ellipse(
        (
            hx + facing * r * 0.46 - 2.5,
            hy - r * 0.16 - 2.5,
            hx + facing * r * 0.46 + 2.5,
            hy - r * 0.16 + 2.5,
        )
    )
    canvas.fill((235, 235, 235), glint)


def picture_flock() -> Image.Image:
    """Black silkies foraging in a village yard below terraced hills."""
    canvas = Canvas((1600, 1200), (200, 220, 235), SEED + 2)
    draw_sky_and_mountains(canvas)
    draw_terraces(canvas, (330, 470), (520, 120))
    draw_terraces(canvas, (900, 520), (420, 90))
    draw_tree(canvas, (960, 700), 130)
    draw_house(canvas)
    draw_tree(canvas, (1560, 705), 150)
    draw_yard(canvas)
    grain = canvas.mask()
    for _ in range(160):
        gx = canvas.rng.gauss(700, 260)
        gy = canvas.rng.uniform(880, 1150)
        grain.ellipse((gx - 3, gy - 2, gx + 3, gy + 2))
    canvas.fill((228, 196, 96), grain)
    birds = [
        ((1180, 850), 70, -1, "stand"),
        ((330, 900), 84, 1, "peck"),
        ((780, 940), 96, -1, "peck"),
        ((560, 1080), 120, 1, "stand"),
        ((1120, 1120), 132, -1, "peck"),
        ((1430, 1010), 104, -1, "stand"),
    ]
    for base, size, facing, pose in birds:
        draw_silkie(canvas, base, size, facing, pose)
    canvas.noise(8, 1.5)
    return canvas.finish()


# --------------------------------------------------------------------------------------
# 3. Eggs in a woven bamboo basket
# --------------------------------------------------------------------------------------

BAMBOO_LIGHT = (214, 180, 120)
BAMBOO_DARK = (160, 122, 70)


def draw_table(canvas: Canvas) -> None:
    """Plastered wall above a warm wooden table top with grain."""
    w, h = canvas.size
    wall = canvas.mask().rect((0, 0, w, 760))
    canvas.shade(wall, Tone((246, 238, 222), (228, 214, 190), (196, 180, 152)), (1150, 150), 1500)
    table = canvas.mask().rect((0, 740, w, h))
    canvas.vertical(table, (150, 104, 64), (112, 72, 40), (740, h))
    for i in range(48):
        y = 760 + i * 18 + canvas.rng.uniform(-5, 5)
        amp = canvas.rng.uniform(2, 8)
        grain_line = canvas.mask().line(
            [
                (x, y + amp * math.sin(x / canvas.rng.uniform(60, 140)))
                for x in range(0, w + 40, 40)
            ],
            canvas.rng.uniform(1.5, 4),
        )
        canvas.fill((92, 58, 30) if i % 2 else (170, 124, 80), grain_line.blurred(1.2), 0.45)
    edge = canvas.mask().rect((0, 740, w, 752))
    canvas.fill((176, 130, 86), edge.blurred(2))
    canvas.noise(14, 2, table)


def basket_point(u: float, v: float) -> Point:
    """Point on the basket wall: ``u`` 0..pi left-front-right, ``v`` 0 rim .. 1 bottom."""
    cx = 800.0
    cy = 860 + (1300 - 860) * v
    rx = 600 - 190 * v**1.6
    ry = 200 - 70 * v
    return (cx - rx * math.cos(u), cy + ry * math.sin(u))


def draw_basket_body(canvas: Canvas) -> Mask:
    """The woven front wall of the basket; returns its silhouette."""
    outline = [basket_point(math.pi * i / 60, 1.0) for i in range(61)]
    outline = outline[::-1] + [basket_point(0, 1 - i / 20) for i in range(1, 21)]
    outline += [basket_point(math.pi * i / 60, 0.0) for i in range(61)]
    outline += [basket_point(math.pi, i / 20) for i in range(1, 21)]
    body = canvas.mask().polygon(outline)
    floor = canvas.mask().oval((800, 1300), (410, 130))
    canvas.shadow(body, (30, 30), 30, (50, 30, 14), 0.55)
    canvas.shadow(floor, (20, 20), 20, (50, 30, 14), 0.55)
    canvas.fill((70, 46, 22), body)
    cols, rows = 28, 9
    for r in range(rows):
        for c in range(cols):
            u0, u1 = math.pi * c / cols, math.pi * (c + 1) / cols
            v0, v1 = r / rows, (r + 1) / rows
            cell = [basket_point(u0 + 0.004, v0 + 0.01), basket_point(u1 - 0.004, v0 + 0.01)]
            cell += [basket_point(u1 - 0.004, v1 - 0.01), basket_point(u0 + 0.004, v1 - 0.01)]
            over = (r + c) % 2 == 0
            base = BAMBOO_LIGHT if over else BAMBOO_DARK
            side_light = math.sin((u0 + u1) / 2) ** 0.7
            color = mix((60, 40, 20), base, 0.35 + 0.65 * side_light * (1 - 0.25 * r / rows))
            tile = canvas.mask().polygon(cell)
            mid = basket_point((u0 + u1) / 2, (v0 + v1) / 2)
            canvas.shade(
                tile,
                Tone(mix(color, (255, 240, 200), 0.3), color, mix(color, (30, 20, 10), 0.5)),
                (mid[0] - 6, mid[1] - 8),
                60,
            )
    canvas.noise(26, 1.2, body)
    return body


def draw_rim(canvas: Canvas, *, front: bool) -> None:
    """Half of the thick wrapped rim; ``front`` picks the near (lower) half."""
    ring = (
        canvas.mask().oval((800, 860), (622, 214)).cut(canvas.mask().oval((800, 860), (574, 184)))
    )
    half = canvas.mask().rect((0, 860, 1600, 1200) if front else (0, 500, 1600, 860))
    ring.clip(half)
    canvas.shade(ring, Tone((236, 206, 150), (196, 158, 98), (120, 86, 44)), (700, 930), 700)
    wraps = canvas.mask()
    for i in range(90):
        t = math.pi * i / 90 if front else math.pi + math.pi * i / 90
        x0, y0 = 800 + 598 * math.cos(t), 860 + 199 * math.sin(t)
        wraps.line([(x0 - 10, y0 - 22), (x0 + 10, y0 + 22)], 3)
    wraps.clip(ring)
    canvas.fill((110, 78, 38), wraps.blurred(0.8), 0.6)


def draw_egg(canvas: Canvas, center: Point, size: float, angle: float) -> None:
    """One small hen's egg, cream to light brown, with a few freckles."""
    color = canvas.rng.choice([(236, 212, 176), (224, 188, 144), (240, 222, 192), (214, 174, 130)])
    egg = canvas.mask().oval(center, (size * 0.78, size), angle)
    canvas.shadow(egg, (8, 12), 10, (40, 26, 12), 0.6)
    tone = Tone(mix(color, (255, 252, 244), 0.45), color, mix(color, (96, 64, 36), 0.5))
    canvas.shade(egg, tone, (center[0] - size * 0.3, center[1] - size * 0.45), size * 1.9)
    canvas.dots(egg, 6, (0.8, 1.8), (150, 110, 80), 0.35)
    shine = canvas.mask().oval(
        (center[0] - size * 0.28, center[1] - size * 0.42), (size * 0.12, size * 0.2), angle
    )
    canvas.glow(shine, size * 0.08, (255, 255, 255), 0.55)


def picture_eggs() -> Image.Image:
    """A bamboo basket of small eggs on a wooden table."""
    canvas = Canvas((1600, 1600), (230, 220, 200), SEED + 3)
    draw_table(canvas)
    inside = canvas.mask().oval((800, 860), (590, 196))
    canvas.shadow(inside, (0, 0), 4, (0, 0, 0), 0)
    canvas.shade(inside, Tone((170, 130, 80), (112, 78, 40), (60, 40, 18)), (800, 960), 640)
    draw_rim(canvas, front=False)
    straw = canvas.mask()
    for _ in range(140):
        a = canvas.rng.uniform(0, 2 * math.pi)
        d = math.sqrt(canvas.rng.random())
        x, y = 800 + 520 * d * math.cos(a), 860 + 160 * d * math.sin(a)
        t = canvas.rng.uniform(0, math.pi)
        ln = canvas.rng.uniform(30, 90)
        straw.line([(x, y), (x + ln * math.cos(t), y - ln * 0.4 * math.sin(t))], 3)
    canvas.fill((226, 196, 120), straw.clip(canvas.mask().oval((800, 860), (585, 194))), 0.9)
    eggs: list[tuple[Point, float, float]] = []
    rows = [(720, 5, 380), (790, 6, 460), (860, 7, 520), (930, 6, 470), (990, 5, 390)]
    for y, n, half in rows:
        for i in range(n):
            x = 800 - half + (2 * half) * (i + 0.5) / n + canvas.rng.uniform(-15, 15)
            eggs.append(((x, y + canvas.rng.uniform(-12, 12)), 72.0, canvas.rng.uniform(-35, 35)))
    for x, y in ((620, 705), (800, 690), (980, 705), (710, 760), (890, 760)):
        eggs.append(((x, y - 60), 72.0, canvas.rng.uniform(-30, 30)))
    for center, size, angle in sorted(eggs, key=lambda e: e[0][1]):
        draw_egg(canvas, center, size, angle)
    draw_basket_body(canvas)
    draw_rim(canvas, front=True)
    for center, angle in (((250, 1400), 70.0), ((1360, 1430), -60.0), ((1220, 1500), 15.0)):
        draw_egg(canvas, center, 74, angle)
    canvas.noise(8, 1.5)
    return canvas.finish()


# --------------------------------------------------------------------------------------
# 4. Halved black-bone chicken on a cutting board
# --------------------------------------------------------------------------------------

MEAT = Tone(light=(124, 100, 116), mid=(78, 58, 74), dark=(34, 24, 32))
BONE = Tone(light=(84, 84, 96), mid=(30, 30, 36), dark=(8, 8, 10))


def draw_board(canvas: Canvas) -> None:
    """A dark slate table with a round end-grain wooden chopping block."""
    w, h = canvas.size
    table = canvas.mask().rect((0, 0, w, h))
    canvas.vertical(table, (64, 66, 70), (40, 42, 46), (0, h))
    canvas.noise(20, 3)
    block = canvas.mask().ellipse((70, 90, 1130, 1150))
    canvas.shadow(block, (20, 30), 30, (0, 0, 0), 0.6)
    canvas.shade(block, Tone((232, 196, 146), (200, 158, 104), (150, 106, 62)), (470, 450), 800)
    rings = canvas.mask()
    for k in range(1, 26):
        r = k * 21 + canvas.rng.uniform(-4, 4)
        rings.ellipse((640 - r, 640 - r, 640 + r, 640 + r))
        rings.ellipse((640 - r + 3, 640 - r + 3, 640 + r - 3, 640 + r - 3), 0)
    rings.clip(block)
    canvas.fill((150, 104, 60), rings.blurred(1.2), 0.4)
    for _ in range(30):
        a = canvas.rng.uniform(0, 2 * math.pi)
        length = canvas.rng.uniform(80, 380)
        crack = canvas.mask().line(
            [(640, 640), (640 + length * math.cos(a), 640 + length * math.sin(a))], 1.5
        )
        canvas.fill((140, 96, 56), crack.clip(block).blurred(0.8), 0.18)
    canvas.noise(24, 1.5, block)
    edge = (
        canvas.mask()
        .ellipse((70, 90, 1130, 1150))
        .cut(canvas.mask().ellipse((84, 104, 1116, 1136)))
    )
    canvas.fill((120, 80, 44), edge.blurred(3), 0.8)


def _catmull(points: Sequence[Point], steps: int) -> list[Point]:
    """Closed Catmull-Rom spline through ``points``."""
    out: list[Point] = []
    n = len(points)
    for i in range(n):
        p0, p1, p2, p3 = (points[(i + j - 1) % n] for j in range(4))
        for s in range(steps):
            t = s / steps
            weights = (
                -0.5 * t**3 + t**2 - 0.5 * t,
                1.5 * t**3 - 2.5 * t**2 + 1,
                -1.5 * t**3 + 2 * t**2 + 0.5 * t,
                0.5 * t**3 - 0.5 * t**2,
            )
            out.append(
                (
                    sum(w * p[0] for w, p in zip(weights, (p0, p1, p2, p3), strict=True)),
                    sum(w * p[1] for w, p in zip(weights, (p0, p1, p2, p3), strict=True)),
                )
            )
    return out


def _along(start: Point, end: Point, t: float, side: float) -> Point:
    """Point ``t`` of the way from ``start`` to ``end``, moved ``side`` units sideways."""
    dx, dy = end[0] - start[0], end[1] - start[1]
    length = math.hypot(dx, dy) or 1.0
    return (start[0] + dx * t - dy / length * side, start[1] + dy * t + dx / length * side)


def _angle(start: Point, end: Point) -> float:
    """Direction from ``start`` to ``end`` in degrees."""
    return math.degrees(math.atan2(end[1] - start[1], end[0] - start[0]))


def drumstick_mask(canvas: Canvas, start: Point, end: Point, shrink: float = 0.0) -> Mask:
    """Silhouette of a drumstick: meaty bulb at ``start`` tapering to the knuckle at ``end``."""
    shape = canvas.mask().limb(
        _along(start, end, 0.12, 0), _along(start, end, 0.86, 0), (120 - shrink, 40 - shrink)
    )
    shape.oval(_along(start, end, 0.2, 0), (150 - shrink, 130 - shrink), _angle(start, end))
    return shape


def draw_knuckle(canvas: Canvas, start: Point, end: Point) -> None:
    """The knobbly joint at the thin end of a drumstick."""
    knob = canvas.mask()
    for side in (-24, 22):
        x, y = _along(start, end, 0.93, side)
        knob.ellipse((x - 30, y - 30, x + 30, y + 30))
    x, y = _along(start, end, 0.99, 0)
    knob.ellipse((x - 26, y - 26, x + 26, y + 26))
    canvas.shadow(knob, (5, 8), 6, (40, 20, 6), 0.5)
    tone = Tone((120, 118, 134), (56, 54, 66), (20, 20, 26))
    canvas.shade(knob, tone, _along(start, end, 0.9, -20), 90)


def draw_cut_drumstick(canvas: Canvas, start: Point, end: Point) -> None:
    """A drumstick split lengthwise: dark meat around the black bone."""
    outline = drumstick_mask(canvas, start, end)
    canvas.shadow(outline, (10, 18), 16, (40, 20, 6), 0.6)
    canvas.fill((18, 18, 24), outline)
    meat = drumstick_mask(canvas, start, end, shrink=12)
    canvas.shade(meat, MEAT, _along(start, end, 0.2, -40), 420)
    fibres = canvas.mask()
    for k in range(-9, 10):
        pts = [
            _along(start, end, t / 20, k * 13 + 6 * math.sin(t * 0.7 + k)) for t in range(-4, 21)
        ]
        fibres.line(pts, 1.6)
    fibres.clip(meat)
    canvas.fill((52, 36, 50), fibres.blurred(0.8), 0.4)
    bone = canvas.mask().limb(_along(start, end, 0.3, 0), _along(start, end, 0.9, 0), (34, 24))
    bone.oval(_along(start, end, 0.28, 0), (52, 44), _angle(start, end))
    canvas.shadow(bone, (3, 5), 5, (10, 6, 10), 0.6)
    canvas.shade(bone, BONE, _along(start, end, 0.3, -20), 330)
    gloss = canvas.mask().line([_along(start, end, t / 20, -16) for t in range(5, 17)], 6)
    canvas.glow(gloss, 4, (190, 190, 205), 0.45)
    marrow = canvas.mask().line([_along(start, end, t / 20, 0) for t in range(7, 18)], 12)
    canvas.fill((86, 30, 42), marrow.blurred(3), 0.9)
    canvas.dots(marrow, 25, (1.5, 3.0), (40, 10, 20), 0.6)
    draw_knuckle(canvas, start, end)
    skin = drumstick_mask(canvas, start, end).cut(drumstick_mask(canvas, start, end, shrink=12))
    canvas.dots(skin, 260, (1.0, 2.2), (70, 72, 90), 0.6)
    sheen(canvas, [(_along(start, end, 0.3, -60), (30, 70), _angle(start, end) + 90)], 0.18)


def draw_whole_drumstick(canvas: Canvas, start: Point, end: Point) -> None:
    """The other half of the drumstick, skin side up."""
    shape = drumstick_mask(canvas, start, end)
    canvas.shadow(shape, (10, 18), 16, (40, 20, 6), 0.6)
    canvas.shade(shape, SKIN, _along(start, end, 0.15, -60), 440)
    canvas.dots(shape, 500, (0.9, 2.0), (6, 6, 10), 0.45)
    draw_knuckle(canvas, start, end)
    sheen(
        canvas,
        [
            (_along(start, end, 0.18, -70), (34, 90), _angle(start, end) + 90),
            (_along(start, end, 0.6, -20), (10, 80), _angle(start, end)),
        ],
        0.35,
    )


def draw_wing(canvas: Canvas, joints: Sequence[Point]) -> None:
    """A wing in three segments (drumette, flat, tip), skin side up."""
    shape = canvas.mask()
    shape.limb(joints[0], joints[1], (62, 34))
    shape.limb(joints[1], joints[2], (42, 40))
    shape.limb(joints[2], joints[3], (34, 16))
    for x, y in joints[1:3]:
        shape.ellipse((x - 44, y - 40, x + 44, y + 40))
    canvas.shadow(shape, (8, 14), 12, (40, 20, 6), 0.6)
    canvas.shade(shape, SKIN, (joints[0][0] - 30, joints[0][1] - 40), 420)
    crease = canvas.mask().line([_along(joints[1], joints[2], t / 6, 0) for t in range(1, 6)], 5)
    canvas.fill((8, 8, 12), crease.blurred(3), 0.6)
    canvas.dots(shape, 260, (0.9, 2.0), (6, 6, 10), 0.45)
    sheen(canvas, [(_along(joints[0], joints[1], 0.45, -20), (40, 12), _angle(*joints[:2]))], 0.5)
    sheen(canvas, [(_along(joints[1], joints[2], 0.5, -16), (44, 10), _angle(*joints[1:3]))], 0.45)


def draw_piece(canvas: Canvas, center: Point, size: float, angle: float) -> None:
    """A chopped chunk, cut face up: dark meat ringed by black skin, a sawn bone."""
    cx, cy = center
    rad = math.radians(angle)
    outline = []
    for i in range(7):
        r = size * canvas.rng.uniform(0.8, 1.1)
        a = rad + i * 2 * math.pi / 7
        outline.append((cx + r * math.cos(a), cy + 0.78 * r * math.sin(a)))
    chunk = canvas.mask().polygon(_catmull(outline, 8))
    canvas.shadow(chunk, (8, 14), 12, (40, 20, 6), 0.6)
    canvas.shade(chunk, SKIN, (cx - size * 0.5, cy - size * 0.5), size * 2)
    inner = [(cx + (x - cx) * 0.8, cy + (y - cy) * 0.78 + size * 0.06) for x, y in outline]
    face = canvas.mask().polygon(_catmull(inner, 8))
    canvas.shade(face, MEAT, (cx - size * 0.2, cy - size * 0.2), size * 1.4)
    bx, by = cx + size * 0.22 * math.cos(rad), cy + size * 0.22 * math.sin(rad)
    bone = canvas.mask().oval((bx, by), (size * 0.3, size * 0.19), angle + 70)
    canvas.shade(bone, BONE, (bx - 6, by - 6), size * 0.45)
    marrow = canvas.mask().oval((bx, by), (size * 0.15, size * 0.08), angle + 70)
    canvas.fill((92, 34, 46), marrow.blurred(1.5))


def draw_garnish(canvas: Canvas) -> None:
    """Soup ingredients: ginger slices, goji berries and scallion."""
    for cx, cy, r in ((700, 1010, 46), (780, 1060, 40), (640, 1070, 38)):
        ginger = canvas.mask().oval((cx, cy), (r, r * 0.8), canvas.rng.uniform(0, 180))
        canvas.shadow(ginger, (4, 8), 6, (40, 20, 6), 0.5)
        tone = Tone((250, 236, 180), (232, 206, 130), (190, 150, 80))
        canvas.shade(ginger, tone, (cx, cy), r * 1.4)
        rim = canvas.mask().oval((cx, cy), (r, r * 0.8))
        rim.cut(canvas.mask().oval((cx, cy), (r - 5, r * 0.8 - 5)))
        canvas.fill((176, 136, 82), rim, 0.7)
    for _ in range(16):
        gx = canvas.rng.uniform(830, 980)
        gy = canvas.rng.uniform(920, 1000)
        goji = canvas.mask().oval((gx, gy), (13, 8), canvas.rng.uniform(0, 180))
        canvas.shadow(goji, (2, 4), 3, (40, 20, 6), 0.5)
        tone = Tone((250, 120, 90), (206, 40, 34), (110, 10, 14))
        canvas.shade(goji, tone, (gx - 4, gy - 4), 18)
    for x0, y0 in ((330, 990), (400, 1030), (470, 990), (420, 950)):
        onion = canvas.mask().line([(x0, y0), (x0 + 60, y0 + 18)], 16)
        tone = Tone((200, 240, 150), (90, 170, 60), (40, 100, 30))
        canvas.shade(onion, tone, (x0 + 20, y0 - 5), 60)
        ring = canvas.mask().oval((x0 + 60, y0 + 18), (5, 8), 17)
        canvas.fill((220, 240, 200), ring)


def picture_cut() -> Image.Image:
    """Halved black-bone chicken with chopped pieces on a chopping block."""
    canvas = Canvas((1200, 1200), (60, 60, 64), SEED + 4)
    draw_board(canvas)
    draw_whole_drumstick(canvas, (680, 220), (1000, 560))
    draw_cut_drumstick(canvas, (290, 400), (690, 790))
    draw_wing(canvas, [(190, 790), (320, 860), (470, 810), (600, 890)])
    for center, size, angle in (
        ((880, 690), 74.0, -20.0),
        ((990, 790), 66.0, 30.0),
        ((860, 830), 62.0, 80.0),
    ):
        draw_piece(canvas, center, size, angle)
    draw_garnish(canvas)
    canvas.noise(8, 1.5)
    return canvas.finish()


# --------------------------------------------------------------------------------------


PICTURES: dict[str, Callable[[], Image.Image]] = {
    "whole-black-bone-chicken.jpg": picture_whole_chicken,
    "flock-in-the-village.jpg": picture_flock,
    "eggs-in-basket.jpg": picture_eggs,
    "black-bone-chicken-cut.jpg": picture_cut,
}


def save_jpeg(picture: Image.Image, path: Path) -> None:
    """Write a progressive, optimised JPEG without EXIF or other metadata."""
    clean = Image.new("RGB", picture.size)
    clean.paste(picture)
    clean.save(path, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True, subsampling=2)


def main(argv: Sequence[str]) -> int:
    """Draw every sample picture into ``argv[0]`` (or the default directory)."""
    out_dir = Path(argv[0]) if argv else DEFAULT_OUTPUT
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, draw in PICTURES.items():
        save_jpeg(draw(), out_dir / name)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
