"""Taobao's hosts, limits and names the adapter relies on."""

from __future__ import annotations

import datetime as dt
from typing import Literal, TypeAlias

__all__ = [
    "API_VERSION",
    "CHINA_TIME",
    "DEFAULT_RATE",
    "ITEM_FIELDS",
    "MAX_CLOCK_SKEW",
    "SIGN_METHODS",
    "TAOBAO_GATEWAY",
    "SignMethod",
]

#: The production gateway over HTTPS; every call is a POST here (the official TOP SDKs'
#: HTTPS URL, e.g. the PHP SDK's ``TopClient``; ``http://gw.api.taobao.com`` is the HTTP one).
TAOBAO_GATEWAY = "https://eco.taobao.com/router/rest"
#: The protocol version every call sends as ``v`` (TOP "API调用方法详解").
API_VERSION = "2.0"
#: The signature methods TOP takes, as ``sign_method`` (same page).
SIGN_METHODS = ("md5", "hmac", "hmac-sha256")
#: TOP's timestamps are China Standard Time, written ``yyyy-MM-dd HH:mm:ss`` (same page).
CHINA_TIME = dt.timezone(dt.timedelta(hours=8), "GMT+8")
#: How far a request's timestamp may be from the gateway's clock (same page: 10 minutes).
MAX_CLOCK_SKEW = dt.timedelta(minutes=10)
#: Requests per second per app key. TOP gives each app a quota per API and per day, and
#: answers code 7 (App Call Limited) beyond it; no public number for the default frequency
#: was found, so this is a cautious guess (unverified) that the code-7 ban time corrects.
DEFAULT_RATE = 5.0
#: The item fields :meth:`TaobaoMarketplace.fetch` asks ``taobao.items.custom.get`` for.
ITEM_FIELDS = "num_iid,outer_id,title,num,price,approve_status,item_img,detail_url,modified"

#: The names of the signature methods, for type checkers.
SignMethod: TypeAlias = Literal["md5", "hmac", "hmac-sha256"]

_SYSTEM_PARAMS = frozenset(
    {"app_key", "format", "session", "sign", "sign_method", "simplify", "timestamp", "v"}
)
_DIRECT_CONTROLLED = ("北京", "上海", "天津", "重庆")
# Longest first, so 广西壮族自治区 loses the whole suffix, not only 区.
_PROVINCE_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "省",
    "市",
)
