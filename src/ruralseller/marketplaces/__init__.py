"""Marketplaces: the adapter protocol, the registry of adapters, and the HTTP layer they share.

:class:`Marketplace` is what every adapter offers (async, with :class:`SyncMarketplace` for
scripts); :func:`get_marketplace` finds one by name, ours or a third party's through the
``ruralseller.marketplaces`` entry-point group. The HTTP layer retries with capped, jittered
backoff that honours ``Retry-After`` and never repeats a write that may already have happened
unless it is idempotent; keeps a token bucket per account; maps responses onto the
:class:`~ruralseller.errors.MarketplaceError` family with messages a village partner can act
on; and keeps secrets out of logs, reprs and errors. :class:`AccountStore` saves an
account's settings once (secrets in the system keyring). Adapters themselves are imported only
when asked for (``ruralseller.marketplaces.sandbox`` is ours).
"""

from ruralseller.marketplaces.accounts import (
    CONFIG_DIR_VARIABLE,
    DEFAULT_ACCOUNT,
    KEYRING_SERVICE,
    AccountStore,
    SavedAccount,
    SecretStorage,
    account_settings,
    config_dir,
    diagnose,
    queue_name,
    secret_fields,
    split_queue,
    split_target,
)
from ruralseller.marketplaces.base import (
    AccountCheck,
    Capabilities,
    ListingState,
    Marketplace,
    SyncMarketplace,
    guard_answers,
    image_name,
)
from ruralseller.marketplaces.driver import Driver
from ruralseller.marketplaces.http import (
    DEFAULT_TIMEOUT,
    AsyncMarketplaceHttp,
    ClassifyHook,
    MarketplaceHttp,
    create_once,
    current_write_key,
    error_from_response,
    idempotency_scope,
)
from ruralseller.marketplaces.orders import (
    OrderIntake,
    OrderPage,
    RemoteOrder,
    supports_order_intake,
)
from ruralseller.marketplaces.postgres_budget import PostgresBudget, PostgresBudgets
from ruralseller.marketplaces.ratelimit import (
    LOCAL_BUDGETS,
    LocalBudgets,
    RateBudget,
    RateBudgets,
    TokenBucket,
    account_bucket,
)
from ruralseller.marketplaces.registry import (
    BUILTIN_MARKETPLACES,
    ENTRY_POINT_GROUP,
    ENVIRONMENT_PREFIX,
    MarketplaceInfo,
    get_marketplace,
    installed_marketplaces,
    load_marketplace,
    marketplace_names,
    marketplace_profile,
    settings_from_environment,
    settings_from_text,
)
from ruralseller.marketplaces.retry import RetryPolicy, parse_retry_after
from ruralseller.marketplaces.secrets import (
    REDACTED,
    RedactingFilter,
    Secret,
    is_sensitive_header,
    redact_headers,
    redact_text,
)

__all__ = [
    "BUILTIN_MARKETPLACES",
    "CONFIG_DIR_VARIABLE",
    "DEFAULT_ACCOUNT",
    "DEFAULT_TIMEOUT",
    "ENTRY_POINT_GROUP",
    "ENVIRONMENT_PREFIX",
    "KEYRING_SERVICE",
    "LOCAL_BUDGETS",
    "REDACTED",
    "AccountCheck",
    "AccountStore",
    "AsyncMarketplaceHttp",
    "Capabilities",
    "ClassifyHook",
    "Driver",
    "ListingState",
    "LocalBudgets",
    "Marketplace",
    "MarketplaceHttp",
    "MarketplaceInfo",
    "OrderIntake",
    "OrderPage",
    "PostgresBudget",
    "PostgresBudgets",
    "RateBudget",
    "RateBudgets",
    "RedactingFilter",
    "RemoteOrder",
    "RetryPolicy",
    "SavedAccount",
    "Secret",
    "SecretStorage",
    "SyncMarketplace",
    "TokenBucket",
    "account_bucket",
    "account_settings",
    "config_dir",
    "create_once",
    "current_write_key",
    "diagnose",
    "error_from_response",
    "get_marketplace",
    "guard_answers",
    "idempotency_scope",
    "image_name",
    "installed_marketplaces",
    "is_sensitive_header",
    "load_marketplace",
    "marketplace_names",
    "marketplace_profile",
    "parse_retry_after",
    "queue_name",
    "redact_headers",
    "redact_text",
    "secret_fields",
    "settings_from_environment",
    "settings_from_text",
    "split_queue",
    "split_target",
    "supports_order_intake",
]
