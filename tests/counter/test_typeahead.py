"""The order of intake's procedure type-ahead (counter/typeahead.py), on the sample catalogue
and on small invented ones, and the usage counts it takes from the dossiers received."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from counter.clock import now
from counter.dossiers import DossierInput
from counter.typeahead import ANYWHERE, EXACT, PREFIX, WORD_RUN, Entry, Query, group, ranked
from tests.conftest import SAMPLE_CATALOG


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    procedures = json.loads(SAMPLE_CATALOG.read_text(encoding="utf-8"))["procedures"]
    return [
        Entry.of(p["code"], p["name"], p.get("field_name") or "", i)
        for i, p in enumerate(procedures)
    ]


def names(entries: list[Entry]) -> list[str]:
    return [e.names[0] for e in entries]


def codes(entries: list[Entry]) -> list[str]:
    return [e.code for e in entries]


def test_the_procedure_itself_before_its_re_registration(catalogue):
    """ "Đăng ký lại khai tử" is shorter than "Thủ tục đăng ký khai tử", but the opening
    "Thủ tục" says nothing: both hold "khai tu" as words, and the plainer name comes first."""
    found = ranked("khai tu", catalogue, {})
    assert codes(found)[:2] == ["1.000656", "1.005461"]  # đăng ký khai tử, đăng ký lại khai tử
    assert codes(ranked("khai sinh", catalogue, {}))[0] == "1.001193"


def test_exact_then_prefix_then_a_run_of_words_then_anywhere():
    entries = [
        Entry.of("9.1", "Chứng thực chữ ký người dịch", "Chứng thực", 0),  # anywhere (words)
        Entry.of("9.2", "Cấp lại giấy xác nhận", "Hộ tịch", 1),  # a run of words
        Entry.of("9.3", "Giấy xác nhận tình trạng hôn nhân", "Hộ tịch", 2),  # prefix
        Entry.of("9.4", "Thủ tục giấy xác nhận", "Hộ tịch", 3),  # exact, but for "Thủ tục"
        Entry.of("9.5", "Xác nhận giấy tờ", "Hộ tịch", 4),  # all words, another order
    ]
    query = Query.of("GIẤY xac nhan")
    assert [group(query, e) for e in entries] == [None, WORD_RUN, PREFIX, EXACT, ANYWHERE]
    assert codes(ranked("giay xac nhan", entries, {})) == ["9.4", "9.3", "9.2", "9.5"]


def test_the_last_word_may_still_be_being_typed(catalogue):
    query = Query.of("dang ky khai t")
    assert group(query, next(e for e in catalogue if e.code == "1.000656")) == PREFIX
    assert group(Query.of("ky lai khai t"), catalogue[10]) == WORD_RUN  # đăng ký lại khai tử
    assert group(Query.of("khai tu"), catalogue[10]) == WORD_RUN
    assert group(Query.of("ai tu"), catalogue[10]) == ANYWHERE  # inside a word only


def test_usage_orders_within_a_group_and_never_across(catalogue):
    usage = {"1.005461": 40}  # đăng ký lại khai tử, much received here
    # "khai tử" is the whole of "Thủ tục đăng ký khai tử": first, however used the other is
    assert codes(ranked("khai tu", catalogue, usage))[:2] == ["1.000656", "1.005461"]
    # the same for a birth: the registration before its combined variant used more here
    combined = {"1.000689": 25}  # đăng ký khai sinh kết hợp nhận cha, mẹ, con
    assert codes(ranked("khai sinh", catalogue, combined))[:2] == ["1.001193", "1.000689"]
    # within a group usage decides: both re-registrations hold "khai tu" as a run of words
    assert codes(ranked("lai", catalogue, usage))[0] == "1.005461"
    # "cap": names that start with it, then names holding it as a word
    plain = ranked("cap", catalogue, {})
    starting = [e for e in plain if group(Query.of("cap"), e) == PREFIX]
    holding = [e for e in plain if group(Query.of("cap"), e) == WORD_RUN]
    assert starting and holding
    busy = {holding[-1].code: 10_000, starting[-1].code: 3}
    again = ranked("cap", catalogue, busy)
    assert codes(again)[: len(starting)] == [starting[-1].code] + [e.code for e in starting[:-1]]
    assert again[len(starting)].code == holding[-1].code


def test_a_code_typed_matches_whole_or_begun(catalogue):
    assert codes(ranked("1.000656", catalogue, {})) == ["1.000656"]
    begun = ranked("1.0048", catalogue, {})
    assert len(begun) == 5 and all(e.code.startswith("1.0048") for e in begun)
    assert group(Query.of("1.000656"), catalogue[2]) == EXACT


def test_the_list_read_back_and_nothing_typed(catalogue):
    """A procedure picked from the list reads back as "code – name": it is still found; with
    nothing typed, every procedure is there, the most used first, then the catalogue's order."""
    assert codes(ranked("1.001193 – Thủ tục đăng ký khai sinh", catalogue, {})) == ["1.001193"]
    everything = ranked("", catalogue, {"2.001019": 2, "1.000894": 5})
    assert codes(everything)[:3] == ["1.000894", "2.001019", "1.001193"]
    assert len(everything) == len(catalogue)
    assert not ranked("xyzxyz", catalogue, {})


def test_diacritics_and_case_do_not_matter(catalogue):
    assert codes(ranked("ĐĂNG KÝ KẾT HÔN", catalogue, {}))[0] == "1.000894"
    assert codes(ranked("dang ky ket hon", catalogue, {}))[0] == "1.000894"
    assert names(ranked("ket hon", catalogue, {}))[0] == "thu tuc dang ky ket hon"


def test_usage_counts_the_dossiers_received_since_a_day(app, clerk):
    for code in ("1.000656", "1.000656", "1.001193"):
        app.dossiers.receive(
            clerk, DossierInput(procedure_code=code, applicant_name="Nguyễn Văn An")
        )
    today = now().date()
    assert app.catalog.usage(today) == {"1.000656": 2, "1.001193": 1}
    assert app.catalog.usage(today + timedelta(days=1)) == {}
