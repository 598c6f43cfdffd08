"""How long loading and checking a big catalogue takes, beside a plain cattrs floor.

A village partner's catalogue grows by a few lots a day; a busy cooperative reaches thousands
in a year. This benchmark writes a 10,000-lot catalogue (three producers, seven products of
five kinds, lots with slaughter, laying, harvest or processing records, an offer for most
lots) as TOML text in memory, then measures side by side in one run:

* ``tomllib.loads`` alone: parsing the text, the part every reader pays;
* the parser ``loads_catalog`` uses, alone (the compiled ``tomli`` when a TOML 1.0 one is
  installed, else tomllib again);
* the floor: ``tomllib.loads`` and a plain ``cattrs`` structure of the same data into simple
  attrs classes defined here (no validators, quantities left as text, no references);
* ``ruralseller.catalog.loads_catalog``: parsing with every check (fields, units, records,
  references);
* ``ruralseller.compliance.check(catalog, jurisdictions=["CN"])`` over every lot;
* load and check together, the target being at most 2 s for 10,000 lots.

Each step runs ``--repeat`` times, interleaved, and the fastest run is reported (the least
disturbed by the rest of the machine). Nothing is asserted: the numbers are printed.

    .venv/bin/python benchmarks/bench_catalog.py [--quick] [--lots N] [--repeat N]

With ``--scale`` it measures growth instead: load + check of 1,000, 10,000 and 100,000 lots
(``--quick``: the first two), each in a fresh process, printing CPU and wall seconds, CPU
microseconds per lot, and the peak memory of loading and of loading and checking (growth of
``VmHWM`` over the process already holding the text). Target: linear growth, 100,000 lots in
at most 8 s and 300 MB.

    .venv/bin/python benchmarks/bench_catalog.py --scale [--quick]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import subprocess
import sys
import tempfile
import time
import tomllib
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import cattrs
from cattrs.strategies import configure_tagged_union

from ruralseller.catalog import Catalog, catalog_from_data, loads_catalog
from ruralseller.catalog import files as catalog_files
from ruralseller.compliance import Report, check

TARGET_SECONDS = 2.0
"""Load and check 10,000 lots in at most this long (the issue's target)."""

FULL_LOTS = 10_000
QUICK_LOTS = 1_000
CHECK_DAY = dt.date(2026, 12, 20)

# --- the catalogue -------------------------------------------------------------------------


def _s(text: str) -> str:
    # A JSON string is a valid TOML basic string for the text written here.
    return json.dumps(text, ensure_ascii=False)


_HEAD = """\
# A generated benchmark catalogue: three producers in Jiangxi and Hunan, seven products.
format = 1

[[producers]]
id = "wu-family-farm"
name = "吴家乌鸡养殖场"
kind = "farmer"
contact = "+86 796 000 0000"

[producers.place]
country = "CN"
province = "江西省"
city = "吉安市"
county = "泰和县"
township = "武山镇"
village = "汪陂村"
coordinates = { latitude = "26.7312", longitude = "115.0486" }

[[producers.licences]]
kind = "animal_epidemic_prevention"
number = "(赣)动防合字第360826000123号"
issuer = "泰和县农业农村局"
valid_from = 2024-03-01
scope = "乌鸡养殖"

[[producers.licences]]
kind = "business"
number = "92360826MA00000000"
issuer = "泰和县市场监督管理局"
valid_from = 2019-05-16

[[producers.certifications]]
kind = "geographical_indication"
number = "泰和乌鸡 地理标志保护产品 (GB/T 21004)"
issuer = "国家知识产权局"
valid_from = 2020-01-01

[[producers]]
id = "gannan-duck-coop"
name = "赣南麻鸭专业合作社"
kind = "cooperative"
contact = "+86 797 000 0000"
place = { country = "CN", province = "江西省", city = "赣州市", county = "南康区" }

[[producers.licences]]
kind = "business"
number = "93360703MA00000001"
issuer = "赣州市南康区市场监督管理局"
valid_from = 2021-04-01
valid_until = 2031-03-31

[[producers]]
id = "xiangxi-larou"
name = "湘西腊肉作坊"
kind = "workshop"
contact = "+86 743 000 0000"
place = { country = "CN", province = "湖南省", city = "湘西土家族苗族自治州", county = "凤凰县" }

[[producers.licences]]
kind = "business"
number = "92433123MA00000002"
issuer = "凤凰县市场监督管理局"
valid_from = 2022-09-01

[[producers.licences]]
kind = "small_workshop"
number = "湘食小作坊登字433123000001号"
issuer = "凤凰县市场监督管理局"
valid_from = 2023-06-01

[[producers.licences]]
kind = "food_production"
number = "SC10443312300017"
issuer = "湘西州市场监督管理局"
valid_from = 2023-06-01
valid_until = 2028-05-31

[[products]]
kind = "poultry_meat"
id = "taihe-silkie-whole"
producer = "wu-family-farm"
name = "泰和乌鸡 整只 冰鲜"
names = { en = "Taihe black-bone silkie chicken, whole, chilled" }
description = "山里散养 150 天以上的泰和乌鸡, 县定点屠宰场屠宰, 检疫合格, 冰鲜整只。"
gtin = "99526000160017"
species = "chicken"
breed = "Taihe silkie (泰和乌鸡)"
black_bone = true
cut = "whole"
state = "chilled"

[[products]]
kind = "shell_eggs"
id = "taihe-silkie-eggs-30"
producer = "wu-family-farm"
name = "泰和乌鸡蛋 30枚装"
names = { en = "Taihe silkie eggs, box of 30" }
gtin = "09526000160021"
breed = "Taihe silkie (泰和乌鸡)"
shell_colour = "cream"
storage = "ambient"

[[products]]
kind = "poultry_meat"
id = "gannan-duck-frozen"
producer = "gannan-duck-coop"
name = "赣南麻鸭 整只 冷冻"
names = { en = "Gannan sheldrake duck, whole, frozen" }
species = "duck"
breed = "Gannan sheldrake (赣南麻鸭)"
state = "frozen"

[[products]]
kind = "poultry_meat"
id = "gannan-duck-half"
producer = "gannan-duck-coop"
name = "赣南麻鸭 半只 冰鲜"
species = "duck"
cut = "half"

[[products]]
kind = "fresh_produce"
id = "gannan-navel-orange-5kg"
producer = "gannan-duck-coop"
name = "赣南脐橙 5公斤装"
crop = "navel orange"
variety = "Newhall"
storage = "cool"
shelf_life = { reference = "45 d", at = "5 °C" }

[[products]]
kind = "cured_meat"
id = "xiangxi-larou-500g"
producer = "xiangxi-larou"
name = "湘西柴火腊肉 500克"
names = { en = "Xiangxi wood-smoked cured pork, 500 g" }
meat = "pork"
process = "smoked"

[[products]]
kind = "packaged_food"
id = "xiangxi-chilli-sauce"
producer = "xiangxi-larou"
name = "湘西剁辣椒 300克"
category = "chilli sauce"
storage = "ambient"
shelf_life = { reference = "180 d" }
"""


def _slaughter_lot(
    index: int, day: dt.date, product: str, prefix: str, *, frozen: bool
) -> list[str]:
    birds = 20 + index % 40
    low = Decimal("0.9") + Decimal(index % 5) / 10
    date_mark = (
        f"best_before = {day + dt.timedelta(days=300)}"
        if frozen
        else f"use_by = {day + dt.timedelta(days=5)}"
    )
    place = (
        '\nfacility_place = { country = "CN", province = "江西省", city = "吉安市", '
        'county = "泰和县", township = "澄江镇" }'
        if index % 3 == 0
        else ""
    )
    return [
        "[[lots]]",
        f'id = "{prefix}{day:%y%m%d}{index:05d}"',
        f'product = "{product}"',
        f"production_date = {day}",
        date_mark,
        *(['notes = "Slaughtered to order for the Friday parcel run."'] if index % 7 == 0 else []),
        "",
        "[lots.quantity]",
        f"count = {birds}",
        f'piece_mass = {{ min = "{low} kg", max = "{low + Decimal("0.4")} kg" }}',
        "",
        "[lots.slaughter]",
        'facility = "泰和县禽类定点屠宰场"',
        'facility_licence = "B36082601"' + place,
        f"slaughtered_at = {day}T06:{index % 60:02d}:00+08:00",
        f"birds = {birds}",
        f'quarantine_certificate = "36082{day:%m%d}{index:07d}"',
        f'inspection_certificate = "JX-TH-{day:%Y-%m%d}{index % 100:02d}"',
        'chilling = { method = "air", core_temperature = "4 °C", within = "4 h" }',
    ]


def _laying_lot(index: int, day: dt.date) -> list[str]:
    return [
        "[[lots]]",
        f'id = "WE{day:%y%m%d}{index:05d}"',
        'product = "taihe-silkie-eggs-30"',
        f"production_date = {day}",
        f"best_before = {day + dt.timedelta(days=24)}",
        "",
        "[lots.quantity]",
        f"count = {10 + index % 30}",
        'piece_mass = { nominal = "1.25 kg" }',
        "",
        "[lots.laying]",
        f"first_laid = {day - dt.timedelta(days=index % 5)}",
        f"last_laid = {day}",
        f"flock = {_s(('north hill house', 'river field', 'tea garden')[index % 3])}",
    ]


def _harvest_lot(index: int, day: dt.date) -> list[str]:
    return [
        "[[lots]]",
        f'id = "GO{day:%y%m%d}{index:05d}"',
        'product = "gannan-navel-orange-5kg"',
        f"production_date = {day}",
        "",
        "[lots.quantity]",
        f"count = {50 + index % 100}",
        'piece_mass = { nominal = "5 kg" }',
        "",
        "[lots.harvest]",
        f"harvested_on = {day - dt.timedelta(days=2)}",
        f"harvest_ended_on = {day - dt.timedelta(days=1)}",
        f"plot = {_s(f'south slope {index % 9 + 1}')}",
    ]


def _processing_lot(index: int, day: dt.date) -> list[str]:
    larou = index % 2 == 0
    return [
        "[[lots]]",
        f'id = "XL{day:%y%m%d}{index:05d}"',
        f'product = "{"xiangxi-larou-500g" if larou else "xiangxi-chilli-sauce"}"',
        f"production_date = {day}",
        f"best_before = {day + dt.timedelta(days=90 if larou else 180)}",
        "",
        "[lots.quantity]",
        f"count = {100 + index % 200}",
        f'piece_mass = {{ nominal = "{500 if larou else 300} g" }}',
        "",
        "[lots.processing]",
        f'process = "{"smoked" if larou else "cured"}"',
        f"started_on = {day - dt.timedelta(days=30 if larou else 7)}",
        f"finished_on = {day}",
        f'salt_percent = "{Decimal(4) + Decimal(index % 10) / 10}"',
        'water_activity = "0.88"',
    ]


# Lots by kind of record: mostly slaughter and laying, as on a poultry farm.
_MIX = (
    (45, "slaughter"),
    (35, "laying"),
    (10, "harvest"),
    (10, "processing"),
)


def _lot(index: int) -> tuple[list[str], str, int, str]:
    """The lot's TOML lines, its id, its count and what its offer prices by."""
    day = dt.date(2026, 1, 10) + dt.timedelta(days=index % 340)
    slot = index % 100
    kind = next(name for limit, name in _cumulative() if slot < limit)
    if kind == "slaughter":
        duck = index % 3 == 0
        frozen = duck and index % 2 == 0
        product = (
            "taihe-silkie-whole"
            if not duck
            else ("gannan-duck-frozen" if frozen else "gannan-duck-half")
        )
        lines = _slaughter_lot(index, day, product, "GD" if duck else "WJ", frozen=frozen)
        per = '"1 jin"'
    elif kind == "laying":
        lines, per = _laying_lot(index, day), '"piece"'
    elif kind == "harvest":
        lines, per = _harvest_lot(index, day), '"piece"'
    else:
        lines, per = _processing_lot(index, day), '"piece"'
    lot_id = lines[1].split('"')[1]
    count = int(next(line for line in lines if line.startswith("count = ")).split(" = ")[1])
    return lines, lot_id, count, per


def _cumulative() -> list[tuple[int, str]]:
    total, out = 0, []
    for share, name in _MIX:
        total += share
        out.append((total, name))
    return out


def catalogue_text(lots: int) -> str:
    """A valid catalogue with ``lots`` lots and an offer for nine lots in ten, as TOML."""
    parts = [_HEAD]
    offers = []
    for index in range(lots):
        lines, lot_id, count, per = _lot(index)
        parts.append("\n" + "\n".join(lines) + "\n")
        if index % 10 != 9:
            price = Decimal(30 + index % 40) + Decimal("0.5") * (index % 2)
            limit = f"\nmax_order = {min(count, 6)}" if index % 4 == 0 else ""
            offers.append(
                f'\n[[offers]]\nlot = "{lot_id}"\nprice = "{price:.2f} CNY"\nper = {per}\n'
                f"stock = {count}\nmin_order = 1{limit}\n"
            )
    return "".join(parts + offers)


# --- the floor: plain attrs classes, structured by a stock cattrs converter -----------------


@attrs.define
class PlainDocument:
    kind: str
    number: str
    issuer: str
    valid_from: dt.date
    valid_until: dt.date | None = None
    scope: str | None = None


@attrs.define
class PlainCoordinates:
    latitude: str
    longitude: str


@attrs.define
class PlainPlace:
    country: str
    province: str | None = None
    city: str | None = None
    county: str | None = None
    township: str | None = None
    village: str | None = None
    postal_code: str | None = None
    coordinates: PlainCoordinates | None = None


@attrs.define
class PlainProducer:
    id: str
    name: str
    kind: str
    place: PlainPlace
    contact: str | None = None
    licences: list[PlainDocument] = attrs.Factory(list)
    certifications: list[PlainDocument] = attrs.Factory(list)


@attrs.define
class PlainShelfLife:
    reference: str
    at: str | None = None
    model: str = "fixed"
    tmin: str | None = None
    slope: Decimal | None = None
    source: str = ""


@attrs.define(kw_only=True)
class PlainProduct:
    id: str
    producer: str
    name: str
    names: dict[str, str] = attrs.Factory(dict)
    description: str | None = None
    gtin: str | None = None
    images: list[str] = attrs.Factory(list)
    storage: str | None = None
    shelf_life: PlainShelfLife | None = None


@attrs.define(kw_only=True)
class PlainPoultryMeat(PlainProduct):
    species: str
    breed: str | None = None
    black_bone: bool = False
    cut: str = "whole"
    state: str = "chilled"


@attrs.define(kw_only=True)
class PlainShellEggs(PlainProduct):
    species: str = "chicken"
    breed: str | None = None
    washed: bool = False
    shell_colour: str | None = None


@attrs.define(kw_only=True)
class PlainFreshProduce(PlainProduct):
    crop: str
    variety: str | None = None


@attrs.define(kw_only=True)
class PlainCuredMeat(PlainProduct):
    meat: str
    process: str = "smoked"


@attrs.define(kw_only=True)
class PlainPackagedFood(PlainProduct):
    category: str


@attrs.define(kw_only=True)
class PlainLiveBirds(PlainProduct):
    species: str
    breed: str | None = None
    age_days: int | None = None


_PLAIN_KINDS: dict[type, str] = {
    PlainPoultryMeat: "poultry_meat",
    PlainLiveBirds: "live_birds",
    PlainShellEggs: "shell_eggs",
    PlainFreshProduce: "fresh_produce",
    PlainCuredMeat: "cured_meat",
    PlainPackagedFood: "packaged_food",
}
PlainAnyProduct = (
    PlainPoultryMeat
    | PlainLiveBirds
    | PlainShellEggs
    | PlainFreshProduce
    | PlainCuredMeat
    | PlainPackagedFood
)


@attrs.define
class PlainPieceMass:
    nominal: str | None = None
    min: str | None = None
    max: str | None = None


@attrs.define
class PlainQuantity:
    count: int | None = None
    net_mass: str | None = None
    piece_mass: PlainPieceMass | None = None


@attrs.define
class PlainChilling:
    method: str
    core_temperature: str | None = None
    within: str | None = None


@attrs.define(kw_only=True)
class PlainSlaughter:
    facility: str
    facility_licence: str | None = None
    on_farm: bool = False
    facility_place: PlainPlace | None = None
    slaughtered_at: dt.datetime
    birds: int | None = None
    quarantine_certificate: str | None = None
    inspection_certificate: str | None = None
    chilling: PlainChilling | None = None


@attrs.define
class PlainLaying:
    first_laid: dt.date
    last_laid: dt.date
    flock: str | None = None


@attrs.define
class PlainHarvest:
    harvested_on: dt.date
    harvest_ended_on: dt.date | None = None
    plot: str | None = None


@attrs.define
class PlainProcessing:
    process: str
    started_on: dt.date
    finished_on: dt.date | None = None
    facility: str | None = None
    facility_licence: str | None = None
    salt_percent: Decimal | None = None
    water_activity: Decimal | None = None


@attrs.define(kw_only=True)
class PlainLot:
    id: str
    product: str
    production_date: dt.date
    best_before: dt.date | None = None
    use_by: dt.date | None = None
    quantity: PlainQuantity
    slaughter: PlainSlaughter | None = None
    laying: PlainLaying | None = None
    harvest: PlainHarvest | None = None
    processing: PlainProcessing | None = None
    images: list[str] = attrs.Factory(list)
    notes: str | None = None


@attrs.define
class PlainOffer:
    lot: str
    price: str
    stock: int
    per: str = "piece"
    min_order: int = 1
    max_order: int | None = None
    available_from: dt.date | None = None
    available_until: dt.date | None = None


@attrs.define
class PlainCatalog:
    format: int
    producers: list[PlainProducer]
    products: list[PlainAnyProduct]  # type: ignore[valid-type]
    lots: list[PlainLot]
    offers: list[PlainOffer]


def plain_converter() -> cattrs.Converter:
    """A stock cattrs converter: TOML's dates and decimals pass through, products by kind."""
    conv = cattrs.Converter()
    for native in (dt.date, dt.datetime, Decimal):
        conv.register_structure_hook(native, lambda value, _: value)
    configure_tagged_union(
        PlainAnyProduct,
        conv,
        tag_generator=lambda cls: _PLAIN_KINDS[cls],
        tag_name="kind",
    )
    return conv


# --- measuring ----------------------------------------------------------------------------


def _timed(step: Callable[[], Any]) -> tuple[float, Any]:
    gc.collect()
    start = time.perf_counter()
    result = step()
    return time.perf_counter() - start, result


def _row(name: str, seconds: float, lots: int, floor: float) -> str:
    rate = lots / seconds if seconds else float("inf")
    return f"{name:<46} {seconds:>9.3f} {rate:>12,.0f} {seconds / floor:>9.1f}x"


def _module_name(module: Any) -> str:
    version = getattr(module, "__version__", "")
    return f"{module.__name__} {version}" if version else module.__name__


# --- growth: 1,000 to 100,000 lots, each in a fresh process ----------------------------------

SCALE_LOTS = (1_000, 10_000, 100_000)
QUICK_SCALE_LOTS = (1_000, 10_000)
SCALE_SECONDS = 8.0
SCALE_MB = 300.0
"""Load and check 100,000 lots in at most this long and this much peak memory (issue 25)."""


def _memory_mb() -> tuple[float, float]:
    """This process's resident memory now and at its peak (VmRSS, VmHWM), in MB."""
    found = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(("VmRSS:", "VmHWM:")):
            found[line[:5]] = int(line.split()[1]) / 1024
    return found.get("VmRSS", 0.0), found.get("VmHWM", 0.0)


def _scale_child(path: str) -> None:
    """Load and check the catalogue in ``path``; print seconds and peak memory as JSON."""
    text = Path(path).read_text(encoding="utf-8")
    gc.collect()
    before, _ = _memory_mb()
    cpu, wall = time.process_time(), time.perf_counter()
    catalog = loads_catalog(text)
    load_cpu, load_wall = time.process_time() - cpu, time.perf_counter() - wall
    _, load_peak = _memory_mb()
    report = check(catalog, jurisdictions=["CN"], on=CHECK_DAY)
    now, peak = _memory_mb()
    result = {
        "load_cpu": load_cpu,
        "load_wall": load_wall,
        "cpu": time.process_time() - cpu,
        "wall": time.perf_counter() - wall,
        "load_peak": load_peak - before,
        "peak": peak - before,
        "held": now - before,
        "findings": len(report.findings),
    }
    print(json.dumps(result))


def scale(counts: tuple[int, ...]) -> int:
    """Load + check at each size in a fresh process, so each peak is its own."""
    print(
        f"load + check in a fresh process per size (memory: growth of VmHWM over the process "
        f"holding the text; load average {' '.join(f'{v:.2f}' for v in os.getloadavg())})"
    )
    head = (
        f"{'lots':>8} {'MB TOML':>8} {'load CPU s':>10} {'load+check CPU s':>16} {'wall s':>7} "
        f"{'µs/lot':>7} {'load peak MB':>12} {'peak MB':>8} {'held MB':>8}"
    )
    print(head)
    print("-" * len(head))
    per_lot = []
    with tempfile.TemporaryDirectory(prefix="bench-catalog-") as tmp:
        for lots in counts:
            file = Path(tmp) / f"catalog-{lots}.toml"
            file.write_text(catalogue_text(lots), encoding="utf-8")
            command = [sys.executable, __file__, "--scale-child", str(file)]
            done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
            row = json.loads(done.stdout)
            per_lot.append(row["cpu"] / lots * 1e6)
            print(
                f"{lots:>8,} {file.stat().st_size / 1e6:>8.1f} {row['load_cpu']:>10.2f} "
                f"{row['cpu']:>16.2f} {row['wall']:>7.2f} {per_lot[-1]:>7.0f} "
                f"{row['load_peak']:>12.0f} {row['peak']:>8.0f} {row['held']:>8.0f}"
            )
            file.unlink()
    print(
        f"growth: CPU µs per lot from the smallest to the largest: {per_lot[-1] / per_lot[0]:.2f}× "
        f"(1.0× is linear). Target at {SCALE_LOTS[-1]:,} lots: ≤ {SCALE_SECONDS:g} s and ≤ "
        f"{SCALE_MB:g} MB peak."
    )
    return 0


def main(argv: list[str] | None = None) -> int:  # noqa: C901 - one table, step by step
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help=f"{QUICK_LOTS:,} lots, 1 run")
    parser.add_argument("--lots", type=int, help=f"lots in the catalogue ({FULL_LOTS:,})")
    parser.add_argument("--repeat", type=int, help="runs of each step; the fastest counts (3)")
    parser.add_argument(
        "--scale", action="store_true", help="load + check 1k, 10k and 100k lots instead"
    )
    parser.add_argument("--scale-child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.scale_child:
        _scale_child(args.scale_child)
        return 0
    if args.scale:
        return scale(QUICK_SCALE_LOTS if args.quick else SCALE_LOTS)
    lots = args.lots or (QUICK_LOTS if args.quick else FULL_LOTS)
    repeat = args.repeat or (1 if args.quick else 3)

    text = catalogue_text(lots)
    conv = plain_converter()

    def parse() -> dict[str, Any]:
        return tomllib.loads(text, parse_float=Decimal)

    # What loads_catalog parses with (older releases had no choice: tomllib).
    reader = getattr(catalog_files, "toml_reader", tomllib)

    def parse_reader() -> dict[str, Any]:
        result: dict[str, Any] = reader.loads(text, parse_float=Decimal)
        return result

    def plain() -> PlainCatalog:
        return conv.structure(tomllib.loads(text, parse_float=Decimal), PlainCatalog)

    def ours() -> Catalog:
        return loads_catalog(text)

    data = parse()

    def plain_structure() -> PlainCatalog:
        return conv.structure(data, PlainCatalog)

    def ours_structure() -> Catalog:
        return catalog_from_data(data)

    catalog = ours()  # a catalogue that does not load raises here, before any timing

    def compliance() -> Report:
        return check(catalog, jurisdictions=["CN"], on=CHECK_DAY)

    best: dict[str, float] = {}
    steps = {
        "parse": parse,
        "reader": parse_reader,
        "plain structure": plain_structure,
        "ours structure": ours_structure,
        "plain": plain,
        "ours": ours,
        "check": compliance,
    }
    for _ in range(repeat):
        for name, step in steps.items():
            seconds, _result = _timed(step)
            best[name] = min(best.get(name, seconds), seconds)
    report = compliance()
    total = best["ours"] + best["check"]

    floor = best["plain"]
    print(
        f"catalogue: {lots:,} lots, {len(catalog.products)} products, "
        f"{len(catalog.producers)} producers, {len(catalog.offers):,} offers, "
        f"{len(text.encode()) / 1e6:.1f} MB of TOML; fastest of {repeat} run(s)"
    )
    print(f"{'step':<46} {'seconds':>9} {'lots/s':>12} {'vs floor':>10}")
    print(_row("tomllib.loads only", best["parse"], lots, floor))
    print(_row(f"{_module_name(reader)}.loads only (ours)", best["reader"], lots, floor))
    print(_row("plain: cattrs structure only (parsed data)", best["plain structure"], lots, floor))
    print(_row("ours: catalog_from_data only (parsed data)", best["ours structure"], lots, floor))
    print(_row("plain: tomllib + cattrs into attrs (floor)", floor, lots, floor))
    print(_row("ours: loads_catalog (every check)", best["ours"], lots, floor))
    print(_row('ours: check(catalog, jurisdictions=["CN"])', best["check"], lots, floor))
    print(_row("ours: load + check", total, lots, floor))
    print(
        f"ours/plain: load {best['ours'] / floor:.1f}x; structuring alone "
        f"{best['ours structure'] / best['plain structure']:.1f}x"
    )
    print(
        f"compliance: {report.rules_applied:,} rule checks, {len(report.findings):,} findings "
        f"({len(report.blocking)} blocking)"
    )
    verdict = "within" if total <= TARGET_SECONDS else "over"
    scaled = "" if lots == FULL_LOTS else f" (target is for {FULL_LOTS:,} lots)"
    print(f"target: load + check <= {TARGET_SECONDS:.0f} s: {total:.2f} s, {verdict}{scaled}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
