"""Settlement: what each farmer is owed, per producer, period and currency.

:func:`settle` turns the orders shipped in a :class:`Period` into one :class:`Statement`
per producer and currency: gross sales, refunds of weight differences, the marketplaces'
fees (:data:`FEES`, each with its source), shipping and packaging, the partner's
:class:`Commission`, and what is owed; exact money that reconciles to the orders to the
cent. :func:`save_statement` writes it as CSV and as a one-page PDF in Chinese and English.
"""

from ruralseller.settlement.export import (
    STATEMENT_DPI,
    render_statement,
    save_statement,
    statement_csv,
)
from ruralseller.settlement.fees import FEE_STATUSES, FEES, FeeSchedule
from ruralseller.settlement.statement import (
    COLUMNS,
    Period,
    Statement,
    StatementLine,
    reconciles,
    settle,
)
from ruralseller.settlement.terms import Commission, SettlementTerms

__all__ = [
    "COLUMNS",
    "FEES",
    "FEE_STATUSES",
    "STATEMENT_DPI",
    "Commission",
    "FeeSchedule",
    "Period",
    "SettlementTerms",
    "Statement",
    "StatementLine",
    "reconciles",
    "render_statement",
    "save_statement",
    "settle",
    "statement_csv",
]
