"""Each picture processed once: a bounded cache of processed pictures, in memory and on disk.

Lots of the same product share their photos, so publishing 300 lots would otherwise decode,
resize and encode the same few camera photos 300 times. A :class:`PictureCache` keeps what
:func:`~ruralseller.listing.process_image` made, keyed by

* the SHA-256 of the source file's bytes (not its name or path: a renamed copy is a hit, an
  edited photo under the same name is a miss),
* the image spec it was made for, every field of it, and the decompression-bomb limit,
* :data:`PIPELINE_VERSION` and the Pillow version, so a change to how pictures are made, or
  to the encoder that makes them, never serves a picture made the old way.

Within a run the pictures are kept in memory, least recently used first out once they take
more than ``memory_bytes``. With a ``folder`` they are also kept on disk across runs (the CLI
keeps them beside the outbox), bounded to ``disk_bytes`` the same way: a hit refreshes a
file's modification time, and the oldest files go first. Each file is written to a temporary
name and renamed into place, so a crash never leaves half a picture under a key; a file that
cannot be read back whole (truncated, overwritten, from another version) is ignored, deleted
and made again. Errors are not cached: a picture that cannot be used is tried again each time,
so its message names the file as the caller named it.

Example:
    >>> import io, pathlib, tempfile
    >>> from PIL import Image
    >>> from ruralseller.listing import ImageSpec, process_images
    >>> photo = io.BytesIO()
    >>> Image.new("RGB", (1200, 900), "saddlebrown").save(photo, "JPEG")
    >>> cache = PictureCache(pathlib.Path(tempfile.mkdtemp()) / "pictures")
    >>> spec = ImageSpec(target_width=800, target_height=800)
    >>> first = process_images([photo.getvalue()] * 3, spec, cache=cache)
    >>> cache.stats.misses, cache.stats.memory_hits
    (1, 2)
    >>> len({image.data for image in first})
    1
    >>> again = PictureCache(cache.folder)  # a later run: read back from disk
    >>> process_images([photo.getvalue()], spec, cache=again)[0] == first[0]
    True
    >>> again.stats.disk_hits
    1
"""

from __future__ import annotations

import collections
import contextlib
import hashlib
import json
import os
import tempfile
import threading
from collections.abc import Hashable
from pathlib import Path
from typing import Any, Final

import attrs

__all__ = ["PIPELINE_VERSION", "PictureCache", "PictureCacheStats"]

PIPELINE_VERSION: Final = "1"
"""The version of the way pictures are processed; part of every cache key.

Raise it with any change to :func:`~ruralseller.listing.process_image` that changes the
bytes it makes for the same source and spec, so no cached picture made the old way is used.
"""

DEFAULT_MEMORY_BYTES: Final = 128 * 1024 * 1024
DEFAULT_DISK_BYTES: Final = 512 * 1024 * 1024

# A cache file: the magic, the length of a JSON header (4 bytes, big-endian), the header
# (what the picture is, and the SHA-256 of its bytes), then the encoded picture itself.
_MAGIC: Final = b"RSPIC1\n"
_SUFFIX: Final = ".pic"
_HEADER_LENGTH_BYTES: Final = 4
_MAX_DIGESTS: Final = 100_000


@attrs.frozen(kw_only=True)
class PictureCacheStats:
    """How a :class:`PictureCache` has been used since it was made.

    Attributes:
        memory_hits: pictures found in memory.
        disk_hits: pictures read back from the folder.
        misses: pictures that had to be made.
        memory_bytes: the bytes of pictures held in memory now.
        disk_bytes: the bytes of the files in the folder now, as far as this cache knows.
        evicted: pictures dropped from memory or disk to keep within the limits.
        corrupt: files in the folder that could not be read back and were made again.
    """

    memory_hits: int
    disk_hits: int
    misses: int
    memory_bytes: int
    disk_bytes: int
    evicted: int
    corrupt: int

    @property
    def hits(self) -> int:
        """Pictures served without being made again."""
        return self.memory_hits + self.disk_hits


Entry = tuple[dict[str, Any], bytes]
"""What the cache holds for a key: a JSON-ready description of the picture, and its bytes."""


class PictureCache:
    """Processed pictures, kept in memory and (with a ``folder``) on disk, bounded in size.

    Pass one to :func:`~ruralseller.listing.process_image`,
    :func:`~ruralseller.listing.process_images` or
    :func:`~ruralseller.listing.process_images_many` with ``cache=``; share one for a whole
    run, since it is the same pictures across lots that make it pay. It is safe to use from
    several threads; several processes may share the folder (a file is only ever replaced
    whole), each bounding it by what it has seen.

    Args:
        folder: where to keep pictures across runs; ``None`` keeps them in memory only.
        memory_bytes: the most bytes of pictures kept in memory.
        disk_bytes: the most bytes of files kept in ``folder``.
    """

    def __init__(
        self,
        folder: str | os.PathLike[str] | None = None,
        *,
        memory_bytes: int = DEFAULT_MEMORY_BYTES,
        disk_bytes: int = DEFAULT_DISK_BYTES,
    ) -> None:
        for name, value in (("memory_bytes", memory_bytes), ("disk_bytes", disk_bytes)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be a whole number of bytes, 0 or more: {value!r}")
        self.folder = None if folder is None else Path(folder)
        self.memory_limit = memory_bytes
        self.disk_limit = disk_bytes
        self._lock = threading.Lock()
        self._memory: collections.OrderedDict[str, Entry] = collections.OrderedDict()
        self._memory_bytes = 0
        self._disk: collections.OrderedDict[str, int] | None = None  # key -> file size, LRU
        self._disk_bytes = 0
        self._digests: dict[Hashable, str] = {}
        self._counts = {"memory_hits": 0, "disk_hits": 0, "misses": 0, "evicted": 0, "corrupt": 0}

    def __repr__(self) -> str:
        where = "memory only" if self.folder is None else os.fspath(self.folder)
        limits = f"memory_bytes={self.memory_limit}, disk_bytes={self.disk_limit}"
        return f"PictureCache({where!r}, {limits})"

    @classmethod
    def beside(cls, outbox: str | os.PathLike[str], **limits: int) -> PictureCache:
        """The cache kept in the folder ``pictures-cache`` next to an outbox file.

        Example:
            >>> PictureCache.beside("shop/.ruralseller/outbox.db").folder.as_posix()
            'shop/.ruralseller/pictures-cache'
        """
        return cls(Path(outbox).parent / "pictures-cache", **limits)

    @property
    def stats(self) -> PictureCacheStats:
        """How the cache has been used so far."""
        with self._lock:
            return PictureCacheStats(
                memory_bytes=self._memory_bytes, disk_bytes=self._disk_bytes, **self._counts
            )

    def get(self, key: str) -> Entry | None:
        """What is kept under ``key``, from memory or else from disk; ``None`` if nothing."""
        with self._lock:
            entry = self._memory.get(key)
            if entry is not None:
                self._memory.move_to_end(key)
                self._counts["memory_hits"] += 1
                return entry
            entry = self._read(key)
            if entry is None:
                self._counts["misses"] += 1
                return None
            self._counts["disk_hits"] += 1
            self._remember(key, entry)
            return entry

    def put(self, key: str, meta: dict[str, Any], data: bytes) -> None:
        """Keep ``data`` (described by ``meta``, JSON-ready) under ``key``."""
        entry = (meta, data)
        with self._lock:
            self._remember(key, entry)
            self._write(key, entry)

    def digest_of(self, identity: Hashable) -> str | None:
        """The SHA-256 remembered for a source file as it was (see :meth:`remember_digest`)."""
        with self._lock:
            return self._digests.get(identity)

    def remember_digest(self, identity: Hashable, digest: str) -> None:
        """Remember, for this run only, the SHA-256 of a source file's bytes.

        ``identity`` says which file, as it was: its path, device, inode, size and
        modification time, so a file changed since is read again.
        """
        with self._lock:
            if len(self._digests) >= _MAX_DIGESTS:
                self._digests.pop(next(iter(self._digests)))
            self._digests[identity] = digest

    def clear(self) -> None:
        """Forget every picture, in memory and in the folder."""
        with self._lock:
            self._memory.clear()
            self._memory_bytes = 0
            for key in list(self._index()):
                self._drop_file(key)

    # --- memory ----------------------------------------------------------------------------

    def _remember(self, key: str, entry: Entry) -> None:
        size = len(entry[1])
        if size > self.memory_limit:
            return
        old = self._memory.pop(key, None)
        if old is not None:
            self._memory_bytes -= len(old[1])
        self._memory[key] = entry
        self._memory_bytes += size
        while self._memory_bytes > self.memory_limit:
            _, dropped = self._memory.popitem(last=False)
            self._memory_bytes -= len(dropped[1])
            self._counts["evicted"] += 1

    # --- disk ------------------------------------------------------------------------------

    def _path(self, key: str) -> Path:
        return Path(self.folder or ".") / key[:2] / f"{key}{_SUFFIX}"

    def _index(self) -> collections.OrderedDict[str, int]:
        """The files in the folder, oldest used first (read from the folder once)."""
        if self._disk is None:
            found: list[tuple[float, str, int]] = []
            if self.folder is not None:
                with contextlib.suppress(OSError):
                    for sub in os.scandir(self.folder):
                        if not sub.is_dir(follow_symlinks=False):
                            continue
                        for item in os.scandir(sub.path):
                            if item.name.endswith(_SUFFIX) and item.is_file(follow_symlinks=False):
                                stat = item.stat(follow_symlinks=False)
                                found.append(
                                    (stat.st_mtime, item.name[: -len(_SUFFIX)], stat.st_size)
                                )
            found.sort()
            self._disk = collections.OrderedDict((key, size) for _, key, size in found)
            self._disk_bytes = sum(self._disk.values())
        return self._disk

    def _read(self, key: str) -> Entry | None:
        if self.folder is None:
            return None
        index = self._index()
        path = self._path(key)
        try:
            blob = path.read_bytes()
        except OSError:
            if key in index:  # removed by someone else
                self._disk_bytes -= index.pop(key)
            return None
        entry = _decode(blob)
        if entry is None:
            self._counts["corrupt"] += 1
            self._drop_file(key)
            return None
        with contextlib.suppress(OSError):
            os.utime(path)  # the file's time is its last use, for eviction across runs
        if key in index:
            index.move_to_end(key)
        else:
            index[key] = len(blob)
            self._disk_bytes += len(blob)
        return entry

    def _write(self, key: str, entry: Entry) -> None:
        if self.folder is None:
            return
        blob = _encode(entry)
        if len(blob) > self.disk_limit:
            return
        index = self._index()
        path = self._path(key)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=".", suffix=".tmp", dir=path.parent)
            temporary = Path(name)
            try:
                with os.fdopen(handle, "wb") as file:
                    file.write(blob)
                temporary.replace(path)
            except BaseException:
                temporary.unlink(missing_ok=True)
                raise
        except OSError:
            return  # a full or read-only disk only costs the cache, never the picture
        if key in index:
            self._disk_bytes -= index.pop(key)
        index[key] = len(blob)
        self._disk_bytes += len(blob)
        while self._disk_bytes > self.disk_limit and index:
            oldest = next(iter(index))
            self._drop_file(oldest)
            self._counts["evicted"] += 1

    def _drop_file(self, key: str) -> None:
        index = self._index()
        if key in index:
            self._disk_bytes -= index.pop(key)
        with contextlib.suppress(OSError):
            self._path(key).unlink()


def _encode(entry: Entry) -> bytes:
    meta, data = entry
    header = json.dumps(
        {"meta": meta, "sha256": hashlib.sha256(data).hexdigest(), "length": len(data)},
        sort_keys=True,
    ).encode()
    return b"".join((_MAGIC, len(header).to_bytes(_HEADER_LENGTH_BYTES, "big"), header, data))


def _decode(blob: bytes) -> Entry | None:
    """A cache file read back, or ``None`` if it is not whole and ours."""
    if not blob.startswith(_MAGIC):
        return None
    start = len(_MAGIC) + _HEADER_LENGTH_BYTES
    length = int.from_bytes(blob[len(_MAGIC) : start], "big")
    try:
        header = json.loads(blob[start : start + length])
    except ValueError:
        return None
    data = blob[start + length :]
    if (
        not isinstance(header, dict)
        or not isinstance(header.get("meta"), dict)
        or header.get("length") != len(data)
        or header.get("sha256") != hashlib.sha256(data).hexdigest()
    ):
        return None
    return header["meta"], data
