"""The settings of one WooCommerce account, checked as they are given."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import attrs

from ruralseller.errors import (
    InvalidValueError,
)
from ruralseller.marketplaces.secrets import Secret
from ruralseller.marketplaces.woocommerce.constants import (
    _WEIGHT_UNITS,
    _WITHDRAW_STATUSES,
)

__all__ = [
    "WooCommerceSettings",
]


def _store_root(url: str) -> str:
    return url.rstrip("/")


def _upper(value: str | None) -> str | None:
    return value.upper() if value else None


def _one_of(allowed: Sequence[str], hint: str) -> Callable[[Any, Any, str], None]:
    def check(_instance: Any, attribute: Any, value: str) -> None:
        if value not in allowed:
            raise InvalidValueError(
                f"{attribute.name} is one of {', '.join(allowed)}, got {value!r}",
                field=attribute.name,
                hint=hint,
            )

    return check


def _both_or_neither(instance: Any, _attribute: Any, value: Secret | None) -> None:
    if (instance.media_username is None) != (value is None):
        raise InvalidValueError(
            "give both media_username and media_password, or neither",
            field="media_password",
            hint="create an application password under Users > Profile in WordPress",
        )


@attrs.frozen(kw_only=True)
class WooCommerceSettings:
    """The settings of one WooCommerce store.

    Attributes:
        base_url: the store's address, e.g. ``https://shop.example`` (a WordPress site in a
            folder keeps its folder: ``https://example.com/shop``).
        consumer_key: the REST API consumer key (``ck_…``), with Read/Write permission.
        consumer_secret: its consumer secret (``cs_…``).
        media_username: a WordPress user who may upload files, for the media library.
        media_password: that user's application password (Users > Profile > Application
            Passwords). Without them the consumer key is used, which works only on stores that
            let WooCommerce keys into ``/wp-json/wp/v2/media``.
        currency: the store's currency (WooCommerce > Settings > General); asked of the store
            once when not given. A draft priced in another currency is refused: WooCommerce
            shows every price in the store's currency, so 36 CNY would sell as 36 USD.
        locale: which of the draft's texts the store shows.
        category_ids: the store's product category ids to file new products under.
        shipping_classes: the store's shipping class slug per temperature class.
        weight_unit: the store's weight unit: ``kg``, ``g``, ``lbs`` or ``oz``.
        withdraw_status: what withdrawing sets: ``private`` (only shop managers see it; the
            default) or ``draft``.
    """

    base_url: str = attrs.field(converter=_store_root)
    currency: str | None = attrs.field(default=None, converter=_upper)
    locale: str = "en"
    consumer_key: Secret = attrs.field(repr=False)
    consumer_secret: Secret = attrs.field(repr=False)
    media_username: Secret | None = attrs.field(default=None, repr=False)
    media_password: Secret | None = attrs.field(
        default=None, repr=False, validator=_both_or_neither
    )
    category_ids: tuple[int, ...] = attrs.field(default=(), converter=tuple, repr=False)
    shipping_classes: dict[str, str] = attrs.field(factory=dict, repr=False)
    weight_unit: str = attrs.field(
        default="kg",
        repr=False,
        validator=_one_of(
            tuple(_WEIGHT_UNITS), "use the unit set in WooCommerce > Settings > Products"
        ),
    )
    withdraw_status: str = attrs.field(
        default="private",
        repr=False,
        validator=_one_of(
            _WITHDRAW_STATUSES,
            "private hides it from buyers; draft also from the shop's product lists",
        ),
    )
