"""The farmer's papers: a lot's commitment certificate and the records behind it.

In China, a producer selling farm produce (livestock and poultry, eggs, vegetables, fruit...)
issues a commitment certificate (承诺达标合格证, "certificate of commitment to meet the
standards") with each batch: the producer promises that no banned pesticides, veterinary
drugs or other compounds were used and that residues of the permitted ones are within the
limits, and says what the promise rests on: a self-test, a test by a laboratory, the farm's
internal quality control, or the producer's own commitment. The certificate goes with the
produce, online sales included, and the producer keeps a record of it.

The catalogue holds one :class:`CommitmentCertificate` per lot (``lots[].certificate``), with
the :class:`QualityRecord` values that back it. Compliance checks that it is there and that
the records support the basis it states; ``ruralseller certificate`` prints it.

Example:
    >>> import datetime as dt
    >>> certificate = CommitmentCertificate(
    ...     issued_on=dt.date(2026, 11, 20),
    ...     basis=[CommitmentBasis.INTERNAL_QUALITY_CONTROL],
    ...     records=[
    ...         QualityRecord(
    ...             kind=CommitmentBasis.INTERNAL_QUALITY_CONTROL,
    ...             reference="吴家-用药记录-2026-11",
    ...             on=dt.date(2026, 11, 19),
    ...             items=["veterinary drug withdrawal periods checked"],
    ...         )
    ...     ],
    ... )
    >>> certificate.unsupported_basis()
    ()
"""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any

import attrs

from ruralseller.catalog import checks as _checks

__all__ = ["CommitmentBasis", "CommitmentCertificate", "QualityRecord"]


class CommitmentBasis(enum.Enum):
    """What a commitment certificate rests on (the four boxes of the certificate)."""

    SELF_TEST = "self_test"
    """The producer tested the produce itself (自行检测)."""
    COMMISSIONED_TEST = "commissioned_test"
    """A laboratory tested it on the producer's behalf (委托检测)."""
    INTERNAL_QUALITY_CONTROL = "internal_quality_control"
    """The farm's own quality control: input and withdrawal-period records (内部质量控制)."""
    OWN_COMMITMENT = "own_commitment"
    """The producer's own commitment, with no test or control record behind it (自我承诺)."""

    @property
    def needs_record(self) -> bool:
        """Whether a record must back this basis (every basis but the own commitment)."""
        return self is not CommitmentBasis.OWN_COMMITMENT


def _record_kind(_instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is CommitmentBasis.OWN_COMMITMENT:
        raise _checks.fail(
            attribute,
            "a quality record is a test or a control record, not an own commitment",
            "use kind = 'self_test', 'commissioned_test' or 'internal_quality_control'",
        )


@attrs.frozen(kw_only=True)
class QualityRecord:
    """A test report or quality-control record that backs a commitment certificate.

    Attributes:
        kind: a self-test, a commissioned (laboratory) test, or internal quality control.
        reference: the report or record number, as written on it.
        on: the day of the test or the record.
        by: who tested or kept the record (a laboratory, a person), if known.
        items: what was tested or controlled, e.g. ``enrofloxacin residue``.
        result: the result as written, e.g. ``合格`` (pass).
    """

    kind: CommitmentBasis = attrs.field(validator=_record_kind)
    reference: str = attrs.field(validator=_checks.text)
    on: dt.date
    by: str | None = attrs.field(default=None, validator=_checks.optional_text)
    items: tuple[str, ...] = attrs.field(default=(), converter=_checks.frozen_tuple)
    result: str | None = attrs.field(default=None, validator=_checks.optional_text)


def _non_empty(_instance: object, attribute: attrs.Attribute[Any], value: tuple[Any, ...]) -> None:
    if not value:
        raise _checks.fail(
            attribute,
            "a commitment certificate states at least one basis",
            "add basis = ['own_commitment'] (or self_test, commissioned_test, "
            "internal_quality_control)",
        )
    if len(set(value)) != len(value):
        raise _checks.fail(attribute, "a basis is listed twice", "list each basis once")


@attrs.frozen(kw_only=True)
class CommitmentCertificate:
    """A lot's commitment certificate (承诺达标合格证).

    Attributes:
        issued_on: the day it was issued (开具日期).
        basis: what the commitment rests on, one or more of the four bases.
        number: the certificate's number, if it has one (e.g. from a provincial platform).
        records: the test and control records that back the basis.
        issued_by: who signed it for the producer, if not the producer's name.
    """

    issued_on: dt.date
    basis: tuple[CommitmentBasis, ...] = attrs.field(
        converter=_checks.frozen_tuple, validator=_non_empty
    )
    number: str | None = attrs.field(default=None, validator=_checks.optional_text)
    records: tuple[QualityRecord, ...] = attrs.field(default=(), converter=_checks.frozen_tuple)
    issued_by: str | None = attrs.field(default=None, validator=_checks.optional_text)

    @records.validator
    def _records_before_issue(
        self, attribute: attrs.Attribute[Any], value: tuple[QualityRecord, ...]
    ) -> None:
        for record in value:
            if record.on > self.issued_on:
                raise _checks.fail(
                    attribute,
                    f"the record {record.reference!r} is dated {record.on}, after the "
                    f"certificate was issued on {self.issued_on}",
                    "a certificate rests on records made before it is issued",
                )

    def unsupported_basis(self) -> tuple[CommitmentBasis, ...]:
        """The stated bases that need a record and have none of their kind."""
        kinds = {record.kind for record in self.records}
        return tuple(b for b in self.basis if b.needs_record and b not in kinds)
