"""The settings of one Taobao account, checked as they are given."""

from __future__ import annotations

from typing import Any

import attrs

from ruralseller.marketplaces.secrets import Secret
from ruralseller.marketplaces.taobao.constants import (
    TAOBAO_GATEWAY,
    SignMethod,
)

__all__ = [
    "TaobaoSettings",
]


def _listed(body: Any, *path: str) -> list[dict[str, Any]]:
    """A list TOP may give bare (``simplify=true``) or wrapped (``{"item": [...]}``)."""
    for key in path:
        body = body.get(key) if isinstance(body, dict) else None
    if isinstance(body, dict):
        body = next(iter(body.values()), [])
    return [entry for entry in body or () if isinstance(entry, dict)]


def _unwrap(body: Any, method: str) -> dict[str, Any]:
    """The answer without the ``<method>_response`` wrapper that ``simplify=false`` adds."""
    if not isinstance(body, dict):
        return {}
    wrapper = method.removeprefix("taobao.").replace(".", "_") + "_response"
    inner = body.get(wrapper, body)
    return inner if isinstance(inner, dict) else {}


@attrs.frozen(kw_only=True)
class TaobaoSettings:
    """The settings of one Taobao shop on the Taobao Open Platform.

    Attributes:
        base_url: the gateway.
        app_key: the app's key from the TOP console.
        sign_method: ``md5``, ``hmac`` or ``hmac-sha256``.
        app_secret: the app's secret (a :class:`Secret`, or a string to wrap).
        session: the seller's session key from TOP's OAuth (a :class:`Secret` or a string).
        cid: the leaf category to list in (``taobao.itemcats.get``); a draft can set its own
            in ``extra["taobao"]["cid"]``.
        props: the category's key properties ``pid:vid;...``; or ``extra["taobao"]["props"]``.
        location: ``(state, city)`` to show; from the draft's origin when ``None``.
        locale: the draft text to list with.
        food_licence_no: the producer's food production licence number (食品生产许可证, SC),
            sent as ``food_security.prd_license_no``; processed food (cured meat, packaged
            food) needs one, and ``validate`` warns when it is missing.
        carrier: the company code of the carrier the shop ships with (``SF``, ``ZTO``...,
            as ``taobao.logistics.companies.get`` lists them), for shipping orders when no
            carrier is given.
    """

    base_url: str = TAOBAO_GATEWAY
    app_key: str
    sign_method: SignMethod = "hmac-sha256"
    app_secret: Secret = attrs.field(repr=False)
    session: Secret = attrs.field(repr=False)
    cid: int | None = attrs.field(default=None, repr=False)
    props: str = attrs.field(default="", repr=False)
    location: tuple[str, str] | None = attrs.field(default=None, repr=False)
    locale: str = attrs.field(default="zh-CN", repr=False)
    food_licence_no: str | None = attrs.field(default=None, repr=False)
    carrier: str | None = attrs.field(default=None, repr=False)
