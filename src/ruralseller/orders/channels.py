"""What each marketplace channel shows: available stock less a buffer, split by a policy.

A channel is one account on one marketplace (two Shopee shops are two channels). The partner
sets a buffer per channel (units kept back, so that orders arriving before the next stock
push can still be filled) and a split policy:

- :attr:`SplitPolicy.SHARED`: every channel shows all available units less its buffer. Buyers
  see the most, and racing buyers on several channels can order more than there is.
- :attr:`SplitPolicy.FIXED_SHARES`: the available units are divided between channels in fixed
  shares (largest remainders, so the parts add up to the whole), each less its buffer. No
  two channels ever promise the same unit.

Example:
    >>> a, b = Channel(name="taobao", buffer=1), Channel(name="shopee")
    >>> listed_quantities(10, [a, b])
    {'taobao': 9, 'shopee': 10}
    >>> listed_quantities(10, [a, b], SplitPolicy.FIXED_SHARES, shares={"taobao": 3, "shopee": 1})
    {'taobao': 7, 'shopee': 2}
"""

from __future__ import annotations

import enum
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TypeVar, cast

import attrs

__all__ = ["Channel", "SplitPolicy", "listed_quantities", "on_channel"]


def _name(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not value or not value.isprintable():
        raise ValueError(f"Channel.{attribute.name} must be printable text, not {value!r}")


def _not_negative(_instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"Channel.{attribute.name} must be a whole number >= 0, not {value!r}")


@attrs.frozen(kw_only=True)
class Channel:
    """One place listings are sold: a marketplace account.

    Attributes:
        name: the channel's name, which is also the name its listings are queued under in
            the outbox (the adapter name, for a single account).
        marketplace: the adapter name (defaults to ``name``).
        account: the account on the marketplace (the sandbox's key id, a shop id...).
        buffer: units of each SKU this channel does not show.
    """

    name: str = attrs.field(validator=_name)
    marketplace: str = attrs.field(validator=_name)
    account: str = attrs.field(default="", validator=attrs.validators.instance_of(str))
    buffer: int = attrs.field(default=0, validator=_not_negative)

    @marketplace.default
    def _marketplace(self) -> str:
        return self.name


class SplitPolicy(enum.Enum):
    """How available stock is divided between channels."""

    SHARED = "shared"
    FIXED_SHARES = "fixed-shares"


def _hamilton(total: int, weights: Sequence[Fraction]) -> list[int]:
    """Whole parts of ``total`` in proportion to ``weights``, by largest remainders."""
    whole = sum(weights)
    exact = [total * weight / whole for weight in weights]
    parts = [int(value) for value in exact]
    order = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for index in order[: total - sum(parts)]:
        parts[index] += 1
    return parts


def listed_quantities(
    available: int,
    channels: Sequence[Channel],
    policy: SplitPolicy = SplitPolicy.SHARED,
    *,
    shares: Mapping[str, int | Decimal | Fraction] | None = None,
) -> dict[str, int]:
    """How many units each channel should show when ``available`` units may be sold.

    Args:
        available: on hand less reserved, over the lots the SKU sells from.
        channels: the channels, in the partner's order (ties of shares go to the first).
        policy: shared (less buffers) or fixed shares.
        shares: with fixed shares, each channel's share (any positive numbers; they are
            normalised). A channel without one gets none.

    Raises:
        ValueError: for fixed shares that are missing, negative or all zero.
    """
    available = max(available, 0)
    if policy is SplitPolicy.SHARED:
        return {c.name: max(available - c.buffer, 0) for c in channels}
    given = dict(shares or {})
    weights = [Fraction(str(given.get(c.name, 0))) for c in channels]
    if any(w < 0 for w in weights) or not any(weights):
        raise ValueError(
            "fixed shares need a share >= 0 for each channel and at least one above 0, e.g. "
            f"{ {c.name: 1 for c in channels} }; got {given!r}"
        )
    parts = _hamilton(available, weights)
    return {c.name: max(part - c.buffer, 0) for c, part in zip(channels, parts, strict=True)}


_T = TypeVar("_T")


class _OnChannel:
    """An adapter seen under its channel's name (every other attribute is the adapter's)."""

    def __init__(self, adapter: object, name: str) -> None:
        self._adapter = adapter
        self.name = name

    def __repr__(self) -> str:
        return f"on_channel({self._adapter!r}, {self.name!r})"

    def __getattr__(self, attribute: str) -> object:
        return getattr(self._adapter, attribute)


def on_channel(adapter: _T, name: str) -> _T:
    """``adapter`` under the channel name ``name``, for a second account on a marketplace.

    The outbox keeps one job per queue and SKU; two accounts on one marketplace are two
    channels, so a :class:`~ruralseller.publishing.Publisher` given
    ``on_channel(adapter, "sandbox-b")`` queues and sends under ``sandbox-b`` (as one given
    ``queue="sandbox-b"`` does).

    >>> from ruralseller.marketplaces.sandbox import SandboxMarketplace
    >>> on_channel(SandboxMarketplace(key_id="b"), "sandbox-b").name
    'sandbox-b'
    """
    return cast("_T", _OnChannel(adapter, name))
