"""A lot's commitment certificate: validated values, errors naming the field, round trips."""

from __future__ import annotations

import datetime as dt

import pytest

from ruralseller.catalog import (
    CATALOG_FILE,
    CommitmentBasis,
    CommitmentCertificate,
    QualityRecord,
    dumps_catalog,
    load_catalog,
    loads_catalog,
)
from ruralseller.catalog.samples import sample_path
from ruralseller.errors import CatalogValidationError, InvalidValueError

SAMPLE_TEXT = (sample_path() / CATALOG_FILE).read_text(encoding="utf-8")
DAY = dt.date(2026, 11, 20)
TEST = QualityRecord(
    kind=CommitmentBasis.COMMISSIONED_TEST,
    reference="THJC-2026-1107",
    on=dt.date(2026, 11, 16),
    by="county testing station",
    items=["enrofloxacin"],
    result="not detected",
)


def problems(old: str, new: str) -> list[tuple[str, str]]:
    assert old in SAMPLE_TEXT, old
    with pytest.raises(CatalogValidationError) as info:
        loads_catalog(SAMPLE_TEXT.replace(old, new, 1))
    return [(p.path, p.message) for p in info.value.problems]


class TestCertificate:
    def test_records_back_the_basis(self) -> None:
        """A tested basis with its record is supported; one without is reported."""
        supported = CommitmentCertificate(
            issued_on=DAY, basis=[CommitmentBasis.COMMISSIONED_TEST], records=[TEST]
        )
        assert supported.unsupported_basis() == ()
        bare = CommitmentCertificate(
            issued_on=DAY,
            basis=[CommitmentBasis.SELF_TEST, CommitmentBasis.OWN_COMMITMENT],
        )
        assert bare.unsupported_basis() == (CommitmentBasis.SELF_TEST,)

    def test_own_commitment_needs_no_record(self) -> None:
        """The own commitment rests on nothing but the producer's word."""
        assert not CommitmentBasis.OWN_COMMITMENT.needs_record
        assert all(
            b.needs_record for b in CommitmentBasis if b is not CommitmentBasis.OWN_COMMITMENT
        )

    @pytest.mark.parametrize(
        ("basis", "message"),
        [([], "at least one basis"), (["own_commitment", "own_commitment"], "listed twice")],
    )
    def test_basis_is_checked(self, basis: list[str], message: str) -> None:
        """An empty or repeated basis is refused, naming the field."""
        with pytest.raises(InvalidValueError, match=message) as info:
            CommitmentCertificate(issued_on=DAY, basis=[CommitmentBasis(b) for b in basis])
        assert info.value.field == "basis"

    def test_record_after_the_certificate(self) -> None:
        """A certificate cannot rest on a record made after it was issued."""
        late = QualityRecord(kind=CommitmentBasis.SELF_TEST, reference="x", on=DAY)
        with pytest.raises(InvalidValueError, match="after the certificate was issued"):
            CommitmentCertificate(
                issued_on=DAY - dt.timedelta(days=1),
                basis=[CommitmentBasis.SELF_TEST],
                records=[late],
            )

    def test_a_record_is_not_an_own_commitment(self) -> None:
        """A quality record is a test or a control record."""
        with pytest.raises(InvalidValueError, match="not an own commitment"):
            QualityRecord(kind=CommitmentBasis.OWN_COMMITMENT, reference="x", on=DAY)


class TestCatalogueFile:
    def test_sample_chickens_and_eggs_have_certificates(self) -> None:
        """The sample's three lots carry their certificates and the records behind them."""
        catalog = load_catalog(sample_path())
        for lot in catalog.lots:
            assert lot.certificate is not None
            assert lot.certificate.unsupported_basis() == ()
        eggs = catalog.lot("WE261118").certificate
        assert eggs is not None
        assert eggs.basis[0] is CommitmentBasis.COMMISSIONED_TEST
        assert eggs.records[0].reference == "THJC-2026-1107"

    @pytest.mark.parametrize("fmt", ["toml", "json"])
    def test_round_trip(self, fmt: str) -> None:
        """Certificates survive writing and reading back, in TOML and JSON."""
        catalog = load_catalog(sample_path())
        again = loads_catalog(dumps_catalog(catalog, fmt), fmt=fmt)  # type: ignore[arg-type]
        assert again == catalog
        assert again.lots[2].certificate == catalog.lots[2].certificate

    def test_unknown_basis_names_the_field(self) -> None:
        """A misspelt basis is reported at its path, with the choices."""
        found = problems(
            'basis = ["commissioned_test", "internal_quality_control"]',
            'basis = ["comissioned_test", "internal_quality_control"]',
        )
        assert [path for path, _ in found] == ["lots[2].certificate.basis[0]"]

    def test_missing_issue_day_names_the_field(self) -> None:
        """A certificate without its issue day is reported at that field."""
        found = problems("issued_on = 2026-11-18\n", "")
        assert [path for path, _ in found] == ["lots[2].certificate.issued_on"]

    def test_unknown_record_field_names_it(self) -> None:
        """A misspelt field in a record is reported where it is."""
        found = problems('result = "未检出"', 'reslt = "未检出"')
        assert found[0][0].startswith("lots[2].certificate.records[0]")
