"""May it be sold, here, like this? And if not, what must the seller do?

Rule packs per jurisdiction (CN, EU, US built in; more through the entry-point group
``ruralseller.rulepacks``), each rule with its legal citation and how well that source is
verified; :func:`check` applies them to the lots of a catalogue and returns a
:class:`Report` of findings, each with a severity, a message, a remedy and the citation.
"""

from ruralseller.compliance.changes import RuleChange, rule_changes
from ruralseller.compliance.context import LotContext, Sale, seller_profile
from ruralseller.compliance.engine import REPORT_FORMAT, Report, check
from ruralseller.compliance.freshness import (
    DEFAULT_DELIVERY,
    Freshness,
    delivery_days,
    freshness,
    freshness_rules,
    sell_by,
)
from ruralseller.compliance.particulars import DEFAULT_LOCALES, Particular, label_particulars
from ruralseller.compliance.registry import ENTRY_POINT_GROUP, available_rule_packs, rule_pack
from ruralseller.compliance.rules import (
    Citation,
    Finding,
    Issue,
    Rule,
    RulePack,
    SellerProfile,
    Severity,
    SourceStatus,
    Topic,
)
from ruralseller.compliance.wording import find_terms

__all__ = [
    "DEFAULT_DELIVERY",
    "DEFAULT_LOCALES",
    "ENTRY_POINT_GROUP",
    "REPORT_FORMAT",
    "Citation",
    "Finding",
    "Freshness",
    "Issue",
    "LotContext",
    "Particular",
    "Report",
    "Rule",
    "RuleChange",
    "RulePack",
    "Sale",
    "SellerProfile",
    "Severity",
    "SourceStatus",
    "Topic",
    "available_rule_packs",
    "check",
    "delivery_days",
    "find_terms",
    "freshness",
    "freshness_rules",
    "label_particulars",
    "rule_changes",
    "rule_pack",
    "sell_by",
    "seller_profile",
]
