"""Each package hands on exactly its public names, sorted, each with a docstring."""

from __future__ import annotations

import importlib
import inspect

import pytest

PACKAGES = [
    "ruralseller",
    "ruralseller.errors",
    "ruralseller.catalog",
    "ruralseller.catalog.checks",
    "ruralseller.catalog.files",
    "ruralseller.catalog.gs1",
    "ruralseller.catalog.gs1_dictionary",
    "ruralseller.catalog.lot",
    "ruralseller.catalog.money",
    "ruralseller.catalog.offer",
    "ruralseller.catalog.place",
    "ruralseller.catalog.place_divisions",
    "ruralseller.catalog.producer",
    "ruralseller.catalog.product",
    "ruralseller.catalog.samples",
    "ruralseller.catalog.schema",
    "ruralseller.catalog.units",
    "ruralseller.cli",
    "ruralseller.coldchain",
    "ruralseller.coldchain.classes",
    "ruralseller.coldchain.destinations",
    "ruralseller.coldchain.lanes",
    "ruralseller.coldchain.plan",
    "ruralseller.coldchain.plot",
    "ruralseller.coldchain.routes",
    "ruralseller.coldchain.services",
    "ruralseller.coldchain.shelf_life",
    "ruralseller.coldchain.summary",
    "ruralseller.compliance",
    "ruralseller.compliance.context",
    "ruralseller.compliance.engine",
    "ruralseller.compliance.particulars",
    "ruralseller.compliance.registry",
    "ruralseller.compliance.rules",
    "ruralseller.compliance.wording",
    "ruralseller.listing",
    "ruralseller.listing.draft",
    "ruralseller.listing.food_policy",
    "ruralseller.listing.generate",
    "ruralseller.listing.images",
    "ruralseller.listing.preview",
    "ruralseller.listing.profiles",
    "ruralseller.listing.render",
    "ruralseller.marketplaces",
    "ruralseller.marketplaces.amazon",
    "ruralseller.marketplaces.amazon.adapter",
    "ruralseller.marketplaces.amazon.auth",
    "ruralseller.marketplaces.amazon.constants",
    "ruralseller.marketplaces.amazon.payloads",
    "ruralseller.marketplaces.amazon.schema",
    "ruralseller.marketplaces.amazon.settings",
    "ruralseller.marketplaces.base",
    "ruralseller.marketplaces.conformance",
    "ruralseller.marketplaces.driver",
    "ruralseller.marketplaces.ebay",
    "ruralseller.marketplaces.ebay.adapter",
    "ruralseller.marketplaces.ebay.auth",
    "ruralseller.marketplaces.ebay.constants",
    "ruralseller.marketplaces.ebay.errors",
    "ruralseller.marketplaces.ebay.payloads",
    "ruralseller.marketplaces.ebay.settings",
    "ruralseller.marketplaces.etsy",
    "ruralseller.marketplaces.etsy.adapter",
    "ruralseller.marketplaces.etsy.auth",
    "ruralseller.marketplaces.etsy.errors",
    "ruralseller.marketplaces.etsy.payloads",
    "ruralseller.marketplaces.etsy.settings",
    "ruralseller.marketplaces.http",
    "ruralseller.marketplaces.orders",
    "ruralseller.marketplaces.postgres_budget",
    "ruralseller.marketplaces.ratelimit",
    "ruralseller.marketplaces.registry",
    "ruralseller.marketplaces.retry",
    "ruralseller.marketplaces.sandbox",
    "ruralseller.marketplaces.sandbox_orders",
    "ruralseller.marketplaces.secrets",
    "ruralseller.marketplaces.shopee",
    "ruralseller.marketplaces.shopee.adapter",
    "ruralseller.marketplaces.shopee.constants",
    "ruralseller.marketplaces.shopee.errors",
    "ruralseller.marketplaces.shopee.payloads",
    "ruralseller.marketplaces.shopee.regions",
    "ruralseller.marketplaces.shopee.settings",
    "ruralseller.marketplaces.shopee.signing",
    "ruralseller.marketplaces.shopify",
    "ruralseller.marketplaces.shopify.adapter",
    "ruralseller.marketplaces.shopify.constants",
    "ruralseller.marketplaces.shopify.documents",
    "ruralseller.marketplaces.shopify.errors",
    "ruralseller.marketplaces.shopify.payloads",
    "ruralseller.marketplaces.shopify.settings",
    "ruralseller.marketplaces.taobao",
    "ruralseller.marketplaces.taobao.adapter",
    "ruralseller.marketplaces.taobao.constants",
    "ruralseller.marketplaces.taobao.errors",
    "ruralseller.marketplaces.taobao.payloads",
    "ruralseller.marketplaces.taobao.settings",
    "ruralseller.marketplaces.taobao.signing",
    "ruralseller.marketplaces.woocommerce",
    "ruralseller.marketplaces.woocommerce.adapter",
    "ruralseller.marketplaces.woocommerce.auth",
    "ruralseller.marketplaces.woocommerce.constants",
    "ruralseller.marketplaces.woocommerce.errors",
    "ruralseller.marketplaces.woocommerce.payloads",
    "ruralseller.marketplaces.woocommerce.settings",
    "ruralseller.orders",
    "ruralseller.orders.allocation",
    "ruralseller.orders.channels",
    "ruralseller.orders.fulfil",
    "ruralseller.orders.inbox",
    "ruralseller.orders.intake",
    "ruralseller.orders.ledger",
    "ruralseller.orders.push",
    "ruralseller.orders.store",
    "ruralseller.publishing",
    "ruralseller.publishing.outbox",
    "ruralseller.publishing.publisher",
    "ruralseller.publishing.worker",
    "ruralseller.settlement",
    "ruralseller.settlement.export",
    "ruralseller.settlement.fees",
    "ruralseller.settlement.statement",
    "ruralseller.settlement.terms",
    "ruralseller.sandbox",
    "ruralseller.sandbox.api",
    "ruralseller.sandbox.api_errors",
    "ruralseller.sandbox.app",
    "ruralseller.sandbox.auth",
    "ruralseller.sandbox.capture",
    "ruralseller.sandbox.cli",
    "ruralseller.sandbox.config",
    "ruralseller.sandbox.demo_orders",
    "ruralseller.sandbox.faults",
    "ruralseller.sandbox.images",
    "ruralseller.sandbox.listings",
    "ruralseller.sandbox.middleware",
    "ruralseller.sandbox.openapi",
    "ruralseller.sandbox.pages",
    "ruralseller.sandbox.shop",
    "ruralseller.sandbox.shop_openapi",
    "ruralseller.sandbox.ratelimit",
    "ruralseller.sandbox.resolver",
    "ruralseller.sandbox.server",
    "ruralseller.sandbox.state",
    "ruralseller.sandbox.storage",
    "ruralseller.traceability",
    "ruralseller.translations",
    "ruralseller.traceability.epcis",
    "ruralseller.traceability.events",
    "ruralseller.traceability.jsonld",
    "ruralseller.traceability.reader",
    "ruralseller.traceability.story",
    "ruralseller.packaging",
    "ruralseller.packaging.label",
    "ruralseller.packaging.lot_label",
    "ruralseller.packaging.materials",
    "ruralseller.packaging.plan",
    "ruralseller.packaging.requirements",
    "ruralseller.packaging.thermal",
]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_exists(name: str) -> None:
    """__all__ is sorted (constants first, then classes and functions) and every name exists."""
    module = importlib.import_module(name)
    exported = module.__all__
    assert exported == sorted(exported, key=lambda n: (not n.isupper(), n)), exported
    missing = [n for n in exported if not hasattr(module, n)]
    assert missing == []


@pytest.mark.parametrize("name", PACKAGES)
def test_public_objects_have_docstrings(name: str) -> None:
    """Every exported class and function says what it is for."""
    module = importlib.import_module(name)
    undocumented = [
        n
        for n in module.__all__
        if (inspect.isclass(getattr(module, n)) or inspect.isfunction(getattr(module, n)))
        and not inspect.getdoc(getattr(module, n))
    ]
    assert undocumented == []


def test_catalog_exports_what_its_modules_export() -> None:
    """ruralseller.catalog re-exports the model, units, money, GS1 and file functions."""
    catalog = importlib.import_module("ruralseller.catalog")
    for module_name in ("lot", "money", "offer", "place", "producer", "product", "units"):
        module = importlib.import_module(f"ruralseller.catalog.{module_name}")
        internal = {"RECORD_KINDS", "known_currencies"}
        assert set(module.__all__) - internal <= set(catalog.__all__), module_name
