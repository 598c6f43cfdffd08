"""Each picture processed once: the cache gives the same bytes, stays bounded, is never wrong.

The photos are made here with Pillow; the disk cache lives in ``tmp_path``.
"""

from __future__ import annotations

import io
import os
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import Image

from ruralseller.errors import InvalidValueError
from ruralseller.listing import (
    ImageSpec,
    PictureCache,
    picture_key,
    process_image,
    process_images,
    process_images_many,
)
from ruralseller.listing import images as images_module

SPEC = ImageSpec(min_width=100, min_height=100, target_width=300, target_height=300)


def _photo(colour: str, size: tuple[int, int] = (640, 480), image_format: str = "JPEG") -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, colour)
    image.paste(Image.effect_noise((size[0] // 2, size[1] // 2), 40).convert("RGB"), (10, 10))
    image.save(buffer, image_format)
    return buffer.getvalue()


def _files(cache: PictureCache) -> list[Path]:
    assert cache.folder is not None
    return sorted(cache.folder.rglob("*.pic"))


RED, TAN, NAVY = _photo("firebrick"), _photo("tan"), _photo("navy")


def test_a_hit_is_byte_for_byte_what_processing_again_gives(tmp_path: Path) -> None:
    plain = process_images([RED, TAN, RED], SPEC)
    cache = PictureCache(tmp_path / "pictures")
    first = process_images([RED, TAN, RED], SPEC, cache=cache)
    second = process_images([TAN, RED], SPEC, cache=cache)
    assert first == plain
    assert [image.data for image in second] == [plain[1].data, plain[0].data]
    assert (cache.stats.misses, cache.stats.memory_hits, cache.stats.disk_hits) == (2, 3, 0)
    assert len(_files(cache)) == 2


def test_a_hit_carries_the_name_the_caller_gives(tmp_path: Path) -> None:
    cache = PictureCache()
    (tmp_path / "hen.jpg").write_bytes(RED)
    (tmp_path / "copy of hen.jpg").write_bytes(RED)
    by_path = process_image(tmp_path / "hen.jpg", SPEC, cache=cache)
    renamed = process_image(str(tmp_path / "copy of hen.jpg"), SPEC, cache=cache)
    named = process_image(RED, SPEC, name="main picture", cache=cache)
    assert by_path.source == str(tmp_path / "hen.jpg")
    assert renamed.source == str(tmp_path / "copy of hen.jpg")
    assert named.source == "main picture"
    assert by_path.data == renamed.data == named.data
    assert cache.stats.hits == 2


def test_a_later_run_reads_the_folder(tmp_path: Path) -> None:
    process_images([RED, TAN], SPEC, cache=PictureCache(tmp_path / "pictures"))
    later = PictureCache(tmp_path / "pictures")
    again = process_images([TAN, RED], SPEC, cache=later)
    assert (later.stats.disk_hits, later.stats.misses) == (2, 0)
    assert again == process_images([TAN, RED], SPEC)
    process_images([TAN], SPEC, cache=later)
    assert later.stats.memory_hits == 1


def test_beside_an_outbox(tmp_path: Path) -> None:
    cache = PictureCache.beside(tmp_path / ".ruralseller" / "outbox.db")
    process_image(RED, SPEC, cache=cache)
    assert _files(cache)[0].is_relative_to(tmp_path / ".ruralseller" / "pictures-cache")


@pytest.mark.parametrize(
    "change",
    [
        {"target_width": 200, "target_height": 200},
        {"max_quality": 80},
        {"output_format": "PNG"},
        {"background": "black"},
        {"name": "another marketplace"},
    ],
)
def test_another_spec_is_another_picture(change: dict[str, Any]) -> None:
    cache = PictureCache()
    process_image(RED, SPEC, cache=cache)
    other = attrs.evolve(SPEC, **change)
    result = process_image(RED, other, cache=cache)
    assert cache.stats.misses == 2
    assert result == process_image(RED, other)


def test_a_new_pipeline_version_makes_every_picture_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = PictureCache(tmp_path / "pictures")
    process_image(RED, SPEC, cache=cache)
    old_key = picture_key(RED, SPEC)
    monkeypatch.setattr(images_module, "PIPELINE_VERSION", "a later one")
    assert picture_key(RED, SPEC) != old_key
    later = PictureCache(tmp_path / "pictures")
    process_image(RED, SPEC, cache=later)
    assert (later.stats.misses, later.stats.hits) == (1, 0)


def test_the_bomb_limit_is_part_of_the_key() -> None:
    cache = PictureCache()
    process_image(RED, SPEC, cache=cache)
    with pytest.raises(InvalidValueError, match="over the limit of 1,000 pixels"):
        process_image(RED, SPEC, cache=cache, max_pixels=1000)


def test_memory_is_bounded_least_recently_used_first() -> None:
    size = process_image(RED, SPEC).byte_count
    cache = PictureCache(memory_bytes=2 * size + size // 2)  # two pictures of this size
    process_image(RED, SPEC, cache=cache)
    process_image(TAN, SPEC, cache=cache)
    process_image(RED, SPEC, cache=cache)  # RED is now the most recently used
    process_image(NAVY, SPEC, cache=cache)  # TAN goes
    assert cache.stats.evicted >= 1
    assert cache.stats.memory_bytes <= cache.memory_limit
    before = cache.stats.misses
    process_image(RED, SPEC, cache=cache)
    assert cache.stats.misses == before
    process_image(TAN, SPEC, cache=cache)
    assert cache.stats.misses == before + 1


def test_the_folder_is_bounded_oldest_used_first(tmp_path: Path) -> None:
    cache = PictureCache(tmp_path / "pictures", memory_bytes=0)
    process_image(RED, SPEC, cache=cache)
    one_file = cache.stats.disk_bytes
    small = PictureCache(tmp_path / "pictures", memory_bytes=0, disk_bytes=2 * one_file + 100)
    for colour in (TAN, RED, NAVY):  # RED read back, so TAN is the oldest used
        process_image(colour, SPEC, cache=small)
    assert len(_files(small)) == 2
    assert small.stats.disk_bytes <= small.disk_limit
    assert sum(path.stat().st_size for path in _files(small)) == small.stats.disk_bytes
    later = PictureCache(tmp_path / "pictures", memory_bytes=0)
    process_images([RED, NAVY], SPEC, cache=later)
    assert later.stats.disk_hits == 2


def test_the_folder_remembers_use_across_runs(tmp_path: Path) -> None:
    folder = tmp_path / "pictures"
    first = PictureCache(folder, memory_bytes=0)
    process_images([RED, TAN], SPEC, cache=first)
    one_file = max(path.stat().st_size for path in _files(first))
    for age, path in enumerate(_files(first)):
        os.utime(path, (1_000_000 + age, 1_000_000 + age))
    reader = PictureCache(folder, memory_bytes=0)
    process_image(RED, SPEC, cache=reader)  # a read makes RED the newest file
    bounded = PictureCache(folder, memory_bytes=0, disk_bytes=2 * one_file + 100)
    process_image(NAVY, SPEC, cache=bounded)
    assert bounded.stats.evicted == 1
    left = PictureCache(folder, memory_bytes=0)
    process_images([RED, NAVY], SPEC, cache=left)
    assert left.stats.disk_hits == 2


@pytest.mark.parametrize(
    "damage",
    [
        lambda blob: blob[: len(blob) // 2],  # truncated
        lambda blob: blob[:-10] + b"0123456789",  # the picture's bytes changed
        lambda blob: b"not a cache file" + blob[:0],
        lambda blob: blob.replace(b'"width"', b'"wide"'),  # a header we cannot use
        lambda blob: blob[:0],
    ],
)
def test_a_damaged_file_is_made_again(tmp_path: Path, damage: object) -> None:
    assert callable(damage)
    cache = PictureCache(tmp_path / "pictures")
    good = process_image(RED, SPEC, cache=cache)
    (path,) = _files(cache)
    path.write_bytes(damage(path.read_bytes()))
    later = PictureCache(tmp_path / "pictures")
    again = process_image(RED, SPEC, cache=later)
    assert again == good
    assert later.stats.misses == 1
    assert later.stats.disk_hits == 0
    fresh = PictureCache(tmp_path / "pictures")
    assert process_image(RED, SPEC, cache=fresh) == good
    assert fresh.stats.disk_hits == 1  # rewritten whole


def test_an_unwritable_folder_costs_only_the_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "a file"
    blocker.write_text("in the way")
    cache = PictureCache(blocker / "pictures")
    assert process_image(RED, SPEC, cache=cache) == process_image(RED, SPEC)
    assert process_image(RED, SPEC, cache=cache) == process_image(RED, SPEC)
    assert cache.stats.memory_hits == 1


def test_errors_are_not_cached_and_name_each_picture(tmp_path: Path) -> None:
    cache = PictureCache(tmp_path / "pictures")
    junk = b"\xff\xd8\xff" + b"not really a jpeg" * 10
    for name in ("first.jpg", "second.jpg"):
        with pytest.raises(InvalidValueError, match=name):
            process_image(junk, SPEC, name=name, cache=cache)
    assert not _files(cache)
    with pytest.raises(InvalidValueError, match="no such file"):
        process_image(tmp_path / "missing.jpg", SPEC, cache=cache)


def test_clear(tmp_path: Path) -> None:
    cache = PictureCache(tmp_path / "pictures")
    process_images([RED, TAN], SPEC, cache=cache)
    cache.clear()
    assert not _files(cache)
    assert (cache.stats.memory_bytes, cache.stats.disk_bytes) == (0, 0)


def test_limits_are_checked() -> None:
    with pytest.raises(ValueError, match="memory_bytes"):
        PictureCache(memory_bytes=-1)
    assert "memory only" in repr(PictureCache())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(0, 7), st.integers(1, 40)),
        max_size=40,
    ),
    st.integers(0, 100),
)
def test_memory_holds_the_most_recently_used_within_the_limit(
    operations: list[tuple[int, int]], limit: int
) -> None:
    """A model LRU list: the cache holds exactly what fits, most recently used kept."""
    cache = PictureCache(memory_bytes=limit)
    model: list[tuple[str, int]] = []
    for number, size in operations:
        key = f"{number:064x}"
        if cache.get(key) is not None:
            model = [item for item in model if item[0] != key] + [
                next(item for item in model if item[0] == key)
            ]
            continue
        cache.put(key, {"n": number}, b"x" * size)
        if size <= limit:
            model = [item for item in model if item[0] != key] + [(key, size)]
            while sum(s for _, s in model) > limit:
                model.pop(0)
    assert cache.stats.memory_bytes == sum(size for _, size in model) <= limit
    for key, size in model:
        entry = cache.get(key)
        assert entry is not None
        assert len(entry[1]) == size


# --- many listings ----------------------------------------------------------------------


def test_many_listings_come_out_as_one_by_one(tmp_path: Path) -> None:
    png = _photo("olive", (500, 700), "PNG")
    listings = [[RED, TAN], [TAN], [NAVY, RED, png], [png]]
    serial = [process_images(listing, SPEC) for listing in listings]
    for workers in (1, 2):
        assert process_images_many(listings, SPEC, workers=workers) == serial
    cache = PictureCache(tmp_path / "pictures")
    assert process_images_many(listings, SPEC, workers=2, cache=cache) == serial
    assert cache.stats.misses == 4  # each distinct picture once
    assert process_images_many(listings, SPEC, workers=2, cache=cache) == serial
    assert cache.stats.misses == 4


def test_many_listings_report_each_listings_problems(tmp_path: Path) -> None:
    junk = b"GIF89a" + b"\x00" * 20
    (tmp_path / "bad.gif").write_bytes(junk)
    listings: list[list[bytes | str | Path]] = [
        [RED],
        [RED, junk],
        [tmp_path / "bad.gif", tmp_path / "none.jpg"],
        [],
        [TAN] * 11,
        [junk],
    ]
    done = process_images_many(listings, SPEC, workers=2)
    assert done[0] == process_images([RED], SPEC)
    for listing, outcome in zip(listings[1:], done[1:], strict=True):
        assert isinstance(outcome, InvalidValueError)
        with pytest.raises(InvalidValueError) as expected:
            process_images(listing, SPEC)
        assert (outcome.message, outcome.field, outcome.hint) == (
            expected.value.message,
            expected.value.field,
            expected.value.hint,
        )
    # The same damaged bytes under two names: each listing's message names its own.
    assert "picture 2" in str(done[1])
    assert "picture 1" in str(done[5])
    assert str(tmp_path / "bad.gif") in str(done[2])


def test_workers_must_be_positive() -> None:
    with pytest.raises(ValueError, match="workers"):
        process_images_many([[RED]], SPEC, workers=0)


def test_one_picture_is_not_a_listing() -> None:
    (outcome,) = process_images_many([RED], SPEC)  # type: ignore[list-item]
    assert isinstance(outcome, InvalidValueError)
    assert "list of pictures" in outcome.message


def test_a_file_read_once_is_not_read_again_until_it_changes(tmp_path: Path) -> None:
    photo = tmp_path / "hen.jpg"
    photo.write_bytes(RED)
    cache = PictureCache()
    first = process_image(photo, SPEC, cache=cache)
    photo.write_bytes(TAN)  # a new photo under the same name: new size or time, read again
    os.utime(photo, ns=(1_000_000_000, 1_000_000_000))
    second = process_image(photo, SPEC, cache=cache)
    assert first.data == process_image(RED, SPEC).data
    assert second.data == process_image(TAN, SPEC).data
    assert cache.stats.misses == 2


def test_an_unchanged_file_is_read_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    photo = tmp_path / "hen.jpg"
    photo.write_bytes(RED)
    reads: list[object] = []
    read = images_module._source_bytes

    def counting(source: object, name: str) -> bytes:
        if not isinstance(source, bytes):  # a file read, not bytes handed on
            reads.append(source)
        return read(source, name)  # type: ignore[arg-type]

    monkeypatch.setattr(images_module, "_source_bytes", counting)
    cache = PictureCache()
    results = [process_image(photo, SPEC, cache=cache) for _ in range(5)]
    assert len(reads) == 1
    assert all(result == results[0] for result in results)


def test_a_batch_reads_each_file_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    photos = []
    for number, colour in enumerate((RED, TAN)):
        photos.append(tmp_path / f"photo-{number}.jpg")
        photos[-1].write_bytes(colour)
    reads: list[object] = []
    read = images_module._source_bytes

    def counting(source: object, name: str) -> bytes:
        if not isinstance(source, bytes):
            reads.append(source)
        return read(source, name)  # type: ignore[arg-type]

    monkeypatch.setattr(images_module, "_source_bytes", counting)
    listings = [[photos[n % 2], photos[(n + 1) % 2]] for n in range(40)]
    done = process_images_many(listings, SPEC, workers=1)
    assert sorted(map(str, reads)) == sorted(map(str, photos))
    assert done[0] == process_images(listings[0], SPEC)
    assert done[1] == process_images(listings[1], SPEC)
