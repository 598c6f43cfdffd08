"""The adapter for Taobao through the Taobao Open Platform (TOP) router API.

TOP's HTTPS gateway is ``https://eco.taobao.com/router/rest`` (the official TOP SDKs' HTTPS
URL; ``gw.api.taobao.com`` is their plain-HTTP one): every call is a form ``POST`` naming the
API in ``method``, with the app key, the seller's session key, a timestamp in China time and a
signature over every parameter that has a value (TOP's "API调用方法详解", open.taobao.com, and
the SDKs' ``TaobaoUtils.signTopRequest``, which skips empty values). A listing is an
*item*: ``taobao.item.add`` makes one, ``taobao.item.update`` changes it,
``taobao.item.quantity.update`` sets its stock, ``taobao.item.update.delisting`` takes it off
sale, pictures go up with ``taobao.item.img.upload``, and ``taobao.items.custom.get`` finds it by
our SKU (the item's ``outer_id``). ``item.add`` takes no idempotency key, so a create whose
answer was lost is looked up by SKU before it is sent again (:func:`create_once`).

Food goes with TOP's ``food_security.*`` parameters of ``taobao.item.add`` (producer, its
address, storage, shelf life, production dates, and the food production licence number when
known; :func:`food_security_params`). TOP publishes no machine-readable description, so the
parameter names are checked against the official SDKs' request classes, not a spec file.

Errors come back with HTTP 200 and an ``error_response`` body; :func:`top_error` maps them onto
the :class:`~ruralseller.errors.MarketplaceError` family.

Example:
    >>> taobao = TaobaoMarketplace(app_key="12345678", app_secret="s3cr3t", session="6100e2",
    ...                            cid=50050359)
    >>> taobao
    TaobaoMarketplace(base_url='https://eco.taobao.com/router/rest', app_key='12345678', \
sign_method='hmac-sha256')
    >>> taobao.capabilities.names()
    ('image_upload', 'withdraw', 'stock_and_price')
    >>> sign({"bar": "2", "foo": "1", "foo_bar": "3", "foobar": "4"}, "helloworld", "md5")
    '5AAF1C690262A24768F5478B084C2C8A'
"""

from __future__ import annotations

from ruralseller.marketplaces.taobao.adapter import (
    TaobaoMarketplace,
)
from ruralseller.marketplaces.taobao.constants import (
    API_VERSION,
    CHINA_TIME,
    DEFAULT_RATE,
    ITEM_FIELDS,
    MAX_CLOCK_SKEW,
    SIGN_METHODS,
    TAOBAO_GATEWAY,
    SignMethod,
)
from ruralseller.marketplaces.taobao.errors import (
    top_error,
)
from ruralseller.marketplaces.taobao.orders import ORDER_STATES, TRADE_FIELDS, TaobaoOrders
from ruralseller.marketplaces.taobao.payloads import (
    FOOD_SECURITY_KEYS,
    food_security_params,
    item_add_params,
    item_location,
    item_update_params,
)
from ruralseller.marketplaces.taobao.settings import (
    TaobaoSettings,
)
from ruralseller.marketplaces.taobao.signing import (
    TaobaoAuth,
    sign,
    string_to_sign,
    top_timestamp,
)

__all__ = [
    "API_VERSION",
    "CHINA_TIME",
    "DEFAULT_RATE",
    "FOOD_SECURITY_KEYS",
    "ITEM_FIELDS",
    "MAX_CLOCK_SKEW",
    "ORDER_STATES",
    "SIGN_METHODS",
    "TAOBAO_GATEWAY",
    "TRADE_FIELDS",
    "SignMethod",
    "TaobaoAuth",
    "TaobaoMarketplace",
    "TaobaoOrders",
    "TaobaoSettings",
    "food_security_params",
    "item_add_params",
    "item_location",
    "item_update_params",
    "sign",
    "string_to_sign",
    "top_error",
    "top_timestamp",
]
