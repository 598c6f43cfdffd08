"""Tests for ruralseller.catalog.producer: producers, their licences and certifications."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ruralseller.catalog.place import Place
from ruralseller.catalog.producer import (
    Certification,
    CertificationKind,
    Licence,
    LicenceKind,
    Producer,
    ProducerKind,
)
from ruralseller.errors import InvalidValueError

ID_HINT = (
    "use 1 to 64 ASCII letters, digits, '.', '_' or '-', starting with a letter or "
    "digit, e.g. 'wu-family-farm'"
)


def _exact(message: str) -> str:
    """A pattern matching exactly ``message``."""
    return f"^{re.escape(message)}$"


def licence(**changes: Any) -> Licence:
    fields: dict[str, Any] = {
        "kind": LicenceKind.ANIMAL_EPIDEMIC_PREVENTION,
        "number": "(赣)动防合字第360826000123号",
        "issuer": "泰和县农业农村局",
        "valid_from": dt.date(2024, 3, 1),
        "scope": "乌鸡养殖",
    }
    return Licence(**(fields | changes))


def certification(**changes: Any) -> Certification:
    fields: dict[str, Any] = {
        "kind": CertificationKind.GEOGRAPHICAL_INDICATION,
        "number": "泰和乌鸡 地理标志保护产品 (GB/T 21004)",
        "issuer": "国家知识产权局",
        "valid_from": dt.date(2020, 1, 1),
    }
    return Certification(**(fields | changes))


def producer(**changes: Any) -> Producer:
    fields: dict[str, Any] = {
        "id": "wu-family-farm",
        "name": "吴家乌鸡养殖场",
        "kind": ProducerKind.FARMER,
        "place": Place(country="CN", province="江西省", county="泰和县"),
    }
    return Producer(**(fields | changes))


class TestDocuments:
    def test_valid_licence(self) -> None:
        """A licence with a number, issuer and start date is accepted as given."""
        lic = licence(valid_until=dt.date(2029, 2, 28))
        assert lic.kind is LicenceKind.ANIMAL_EPIDEMIC_PREVENTION
        assert lic.valid_until == dt.date(2029, 2, 28)
        assert lic.scope == "乌鸡养殖"

    @pytest.mark.parametrize("make", [licence, certification])
    def test_valid_until_before_valid_from_is_refused(self, make) -> None:
        """A document cannot expire before it starts; the error names the field and the fix."""
        with pytest.raises(
            InvalidValueError,
            match=_exact("valid_until 2024-02-29 is before valid_from 2024-03-01"),
        ) as info:
            make(valid_from=dt.date(2024, 3, 1), valid_until=dt.date(2024, 2, 29))
        assert info.value.field == "valid_until"
        assert info.value.hint == "check the dates on the document"

    def test_one_day_document_is_accepted(self) -> None:
        """A document valid for a single day starts and ends on that day."""
        day = dt.date(2026, 11, 20)
        assert licence(valid_from=day, valid_until=day).is_valid_on(day)

    @pytest.mark.parametrize("field", ["number", "issuer"])
    @pytest.mark.parametrize("value", ["", "   "])
    def test_required_text_must_not_be_blank(self, field: str, value: str) -> None:
        """A document's number and issuer must say something."""
        with pytest.raises(InvalidValueError, match=_exact(f"{field} must not be empty")) as info:
            licence(**{field: value})
        assert info.value.field == field
        assert info.value.hint == "write some text here"

    def test_scope_may_be_left_out_but_not_blank(self) -> None:
        """Scope is optional, but an empty scope is a mistake."""
        assert licence(scope=None).scope is None
        with pytest.raises(InvalidValueError, match=_exact("scope must not be empty")) as info:
            licence(scope=" ")
        assert info.value.field == "scope"

    @pytest.mark.parametrize(
        ("day", "valid"),
        [
            (dt.date(2024, 2, 29), False),
            (dt.date(2024, 3, 1), True),
            (dt.date(2025, 6, 1), True),
            (dt.date(2026, 2, 28), True),
            (dt.date(2026, 3, 1), False),
        ],
    )
    def test_is_valid_on_includes_both_ends(self, day: dt.date, valid: bool) -> None:
        """A document is in force from its first to its last day, both included."""
        lic = licence(valid_from=dt.date(2024, 3, 1), valid_until=dt.date(2026, 2, 28))
        assert lic.is_valid_on(day) is valid

    @given(st.dates(min_value=dt.date(2024, 3, 1)))
    def test_open_ended_document_never_expires(self, day: dt.date) -> None:
        """A document without valid_until is in force on every day from valid_from on."""
        assert licence(valid_from=dt.date(2024, 3, 1)).is_valid_on(day)

    @given(st.dates(max_value=dt.date(2024, 2, 29)))
    def test_document_is_not_valid_before_it_starts(self, day: dt.date) -> None:
        """No document is in force before its first day."""
        assert not licence(valid_from=dt.date(2024, 3, 1)).is_valid_on(day)

    def test_documents_are_immutable_and_comparable(self) -> None:
        """Documents are frozen values: equal when their fields are equal."""
        assert licence() == licence()
        assert hash(licence()) == hash(licence())
        assert certification() != certification(number="other")


class TestProducer:
    def test_valid_producer(self) -> None:
        """A producer with papers keeps them as tuples, in order."""
        papers = [licence(), licence(kind=LicenceKind.BUSINESS, number="92360826MA00000000")]
        farm = producer(licences=papers, certifications=[certification()], contact="+86 796")
        assert farm.licences == tuple(papers)
        assert farm.certifications == (certification(),)
        assert farm.contact == "+86 796"

    def test_papers_default_to_none(self) -> None:
        """A producer need not hold any licence or certification."""
        farm = producer()
        assert farm.licences == ()
        assert farm.certifications == ()
        assert farm.contact is None

    @pytest.mark.parametrize("bad", ["wu family farm", "-farm", "吴家", "", "a" * 65, None])
    def test_bad_id_is_refused(self, bad: object) -> None:
        """Ids with spaces, a leading dash, non-ASCII letters or over 64 characters are refused."""
        with pytest.raises(InvalidValueError, match=_exact(f"{bad!r} is not a valid id")) as info:
            producer(id=bad)
        assert info.value.field == "id"
        assert info.value.hint == ID_HINT

    def test_trailing_newline_in_id_is_refused(self) -> None:
        """An id with a trailing newline is not a valid id."""
        with pytest.raises(InvalidValueError, match="is not a valid id"):
            producer(id="wu-family-farm\n")

    @pytest.mark.parametrize("good", ["a", "wu-family-farm", "farm_2.0", "A" * 64])
    def test_good_ids_are_accepted(self, good: str) -> None:
        """Ids up to 64 characters with dots, dashes and underscores are accepted."""
        assert producer(id=good).id == good

    def test_blank_name_is_refused(self) -> None:
        """A producer must have a name."""
        with pytest.raises(InvalidValueError, match=_exact("name must not be empty")) as info:
            producer(name=" ")
        assert info.value.field == "name"

    def test_blank_contact_is_refused(self) -> None:
        """A contact may be left out, but not left blank."""
        with pytest.raises(InvalidValueError, match=_exact("contact must not be empty")):
            producer(contact="")

    def test_duplicate_licences_are_refused(self) -> None:
        """The same licence (kind and number) listed twice is refused."""
        with pytest.raises(
            InvalidValueError,
            match=_exact(
                "document 'animal_epidemic_prevention (赣)动防合字第360826000123号' appears twice"
            ),
        ) as info:
            producer(licences=[licence(), licence(issuer="another office")])
        assert info.value.field == "licences"
        assert info.value.hint == "give each document once"

    def test_duplicate_certifications_are_refused(self) -> None:
        """The same certification listed twice is refused, naming the certifications field."""
        with pytest.raises(InvalidValueError, match="appears twice") as info:
            producer(certifications=[certification(), certification()])
        assert info.value.field == "certifications"

    def test_same_number_of_different_kinds_is_allowed(self) -> None:
        """Two documents may share a number if they are of different kinds."""
        papers = [licence(number="123"), licence(kind=LicenceKind.BUSINESS, number="123")]
        assert len(producer(licences=papers).licences) == 2

    def test_licence_by_kind(self) -> None:
        """A producer finds its licence of a kind, or None when it has none."""
        business = licence(kind=LicenceKind.BUSINESS, number="92360826MA00000000")
        farm = producer(licences=[licence(), business])
        assert farm.licence(LicenceKind.BUSINESS) is business
        assert farm.licence(LicenceKind.FOOD_PRODUCTION) is None

    def test_kinds_read_from_their_values(self) -> None:
        """Catalogue files name kinds by value; every enum reads back from its value."""
        for kind in (*ProducerKind, *LicenceKind, *CertificationKind):
            assert type(kind)(kind.value) is kind
