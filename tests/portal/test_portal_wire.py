"""The shared wire format: pure functions, no server."""

from __future__ import annotations

import copy
import json
import unicodedata
from typing import Any

import jsonschema_rs
import pytest
from portal_testkit import snapshot, status_change

import protocol

AGENCY = "000.00.36.H62"


# -- entries -------------------------------------------------------------------------------------


def test_dossier_entry_is_normalised() -> None:
    data = snapshot(AGENCY, 1, due_at="2026-11-27T01:30:00Z")
    data["applicant"] = {
        "type": "citizen",
        "name": unicodedata.normalize("NFD", "Nguyễn Văn Đức"),
        "phone": None,
    }
    entry = protocol.dossier_entry(data, key="0B6F3C1E-8A53-4F0E-9D53-2B1C3F7A9E10")
    assert entry["key"] == "0b6f3c1e-8a53-4f0e-9d53-2b1c3f7a9e10"
    assert entry["kind"] == "dossier"
    assert entry["data"]["due_at"] == "2026-11-27T08:30:00+07:00"
    assert entry["data"]["applicant"] == {
        "type": "citizen",
        "name": "Nguyễn Văn Đức",  # NFC
        "id_number": "",
        "id_type": "",
        "phone": "",
        "email": "",
        "address": "",
    }


def test_new_keys_are_uuids_and_differ() -> None:
    a = protocol.dossier_entry(snapshot(AGENCY, 1))
    b = protocol.dossier_entry(snapshot(AGENCY, 1))
    assert a["key"] != b["key"]
    assert a["data"] == b["data"]


def test_content_hash_ignores_key_order_and_equivalent_forms() -> None:
    one = protocol.validate_entry(protocol.dossier_entry(snapshot(AGENCY, 1)))
    data = dict(reversed(list(snapshot(AGENCY, 1, received_at="2026-11-26T01:30:00Z").items())))
    two = protocol.validate_entry({"data": data, "kind": "dossier", "key": protocol.new_key()})
    assert one.content_hash == two.content_hash
    three = protocol.validate_entry(protocol.dossier_entry(snapshot(AGENCY, 1, note="khác")))
    assert three.content_hash != one.content_hash


@pytest.mark.parametrize(
    ("mutate", "code", "path"),
    [
        (lambda d: d.pop("applicant"), "missing_field", "data.applicant"),
        (lambda d: d.update(extra=1), "unknown_field", "data.extra"),
        (lambda d: d["applicant"].update(nickname="x"), "unknown_field", "data.applicant.nickname"),
        (lambda d: d.update(sets="1"), "wrong_type", "data.sets"),
        (lambda d: d.update(sets=True), "wrong_type", "data.sets"),
        (lambda d: d.update(sets=1.0), "wrong_type", "data.sets"),
        (lambda d: d.update(sets=0), "invalid_value", "data.sets"),
        (lambda d: d.update(status_code=3), "invalid_value", "data.status_code"),
        (lambda d: d.update(status="archived"), "invalid_value", "data.status"),
        (lambda d: d.update(channel="fax"), "invalid_value", "data.channel"),
        (
            lambda d: d.update(received_at="2026-11-26T08:30:00"),
            "invalid_value",
            "data.received_at",
        ),
        (
            lambda d: d.update(received_at="0001-01-01T00:00:00+07:00"),
            "invalid_value",
            "data.received_at",
        ),
        (lambda d: d.update(due_at="2026-11-25T08:30:00+07:00"), "invalid_value", "data.due_at"),
        (lambda d: d.update(code="000.00.99.H62-261126-0001"), "invalid_value", "data.code"),
        (lambda d: d.update(lookup_key="K7 M3"), "invalid_value", "data.lookup_key"),
        (lambda d: d["applicant"].update(name="   "), "invalid_value", "data.applicant.name"),
        (lambda d: d["applicant"].update(name="An\x00"), "invalid_value", "data.applicant.name"),
        (lambda d: d["applicant"].update(name="An\ud800"), "invalid_value", "data.applicant.name"),
        (lambda d: d["applicant"].update(name="A" * 201), "invalid_value", "data.applicant.name"),
        (
            lambda d: d["documents"][1].update(copies=-1),
            "invalid_value",
            "data.documents[1].copies",
        ),
        (lambda d: d.update(fees=[{"name": "Phí"}]), "missing_field", "data.fees[0].amount"),
        (lambda d: d.update(submitter={"phone": "1"}), "missing_field", "data.submitter.name"),
    ],
)
def test_bad_dossier_entries_name_the_field(mutate: Any, code: str, path: str) -> None:
    data = copy.deepcopy(snapshot(AGENCY, 1))
    mutate(data)
    with pytest.raises(protocol.WireError) as caught:
        protocol.dossier_entry(data)
    reason = caught.value.as_reason()
    assert (reason["code"], reason.get("field")) == (code, path)
    assert reason["message"] and reason["message_en"]


@pytest.mark.parametrize(
    ("raw", "path"),
    [
        ([], ""),
        ({"key": protocol.new_key(), "kind": "dossier"}, "data"),
        ({"key": "not-a-uuid", "kind": "dossier", "data": {}}, "key"),
        ({"key": protocol.new_key(), "kind": "merge", "data": {}}, "kind"),
        ({"key": protocol.new_key(), "kind": "status", "data": {}, "extra": 1}, "extra"),
    ],
)
def test_bad_envelopes(raw: Any, path: str) -> None:
    with pytest.raises(protocol.WireError) as caught:
        protocol.validate_entry(raw)
    assert caught.value.path == path


def test_status_and_due_entries() -> None:
    entry = protocol.status_entry(status_change(f"{AGENCY}-261126-0001", "withdrawn"))
    assert entry["data"]["status_code"] == 7
    with pytest.raises(protocol.WireError):
        protocol.status_entry(status_change(f"{AGENCY}-261126-0001", "withdrawn", status_code=9))
    due = protocol.due_entry(
        {
            "code": f"{AGENCY}-261126-0001",
            "due_at": "2026-12-01T16:30:00+07:00",
            "reason": "Chờ xác minh",
            "at": "2026-11-27T08:00:00+07:00",
            "by": "canbo1",
        }
    )
    assert due["kind"] == "due"


def test_peek_entry_reads_what_it_can() -> None:
    key = protocol.new_key()
    assert protocol.peek_entry({"key": key, "kind": "due", "data": {"code": f"{AGENCY}-1"}}) == (
        key,
        "due",
        f"{AGENCY}-1",
    )
    assert protocol.peek_entry({"key": 5, "kind": [], "data": "x"}) == (None, None, None)
    assert protocol.peek_entry("nothing") == (None, None, None)


def test_push_body_refuses_too_many() -> None:
    entries = [protocol.dossier_entry(snapshot(AGENCY, 1))] * (protocol.MAX_BATCH_ENTRIES + 1)
    with pytest.raises(ValueError, match="at most"):
        protocol.push_body(entries)
    assert protocol.push_body(entries[:2]) == {"entries": entries[:2]}


def test_datetimes() -> None:
    assert protocol.format_datetime(protocol.parse_datetime("2026-11-26T01:30:00Z")) == (
        "2026-11-26T08:30:00+07:00"
    )
    for bad in ("2026-11-26", "2026-11-26T08:30:00", "yesterday", "2026-13-01T00:00:00+07:00"):
        with pytest.raises(ValueError):
            protocol.parse_datetime(bad)
    assert protocol.now_vn().utcoffset() == protocol.VN_TZ.utcoffset(None)


def test_loads_is_strict() -> None:
    assert protocol.loads(b'{"a": [1, "\xc3\xa1"]}') == {"a": [1, "á"]}
    for bad in (b"NaN", b'{"a": Infinity}', b"\xff", b"{"):
        with pytest.raises(ValueError):
            protocol.loads(bad)


# -- master data ---------------------------------------------------------------------------------

CATALOG = {
    "version": "2026-11-01",
    "procedures": [
        {
            "code": "1.001193",
            "name": "Đăng ký khai sinh",
            "field": {"code": "HT", "name": "Hộ tịch"},
            "level": "commune",
            "processing_time": {"value": 1, "unit": "working_days"},
            "fees": [{"code": "LP", "name": "Lệ phí đăng ký khai sinh", "amount": 0}],
            "documents": [
                {"code": "TK", "name": "Tờ khai đăng ký khai sinh", "originals": 1, "copies": 0}
            ],
            "result_agency": "Ủy ban nhân dân xã",
            "future_key": "ignored",
        }
    ],
}


def test_catalog_is_normalised_and_unknown_keys_dropped() -> None:
    out = protocol.validate_catalog(CATALOG)
    assert "future_key" not in out["procedures"][0]
    assert out["procedures"][0]["processing_time"] == {
        "value": 1,
        "unit": "working_days",
        "cutoff": "",
    }


@pytest.mark.parametrize(
    ("mutate", "words"),
    [
        (lambda p: p.pop("processing_time"), ["1.001193", "processing_time"]),
        (lambda p: p["processing_time"].update(unit="weeks"), ["1.001193", "processing_time.unit"]),
        (lambda p: p["fees"][0].update(amount="0"), ["1.001193", "fees[0].amount"]),
        (lambda p: p.update(name=5), ["1.001193", "name"]),
    ],
)
def test_bad_catalog_names_procedure_and_key(mutate: Any, words: list[str]) -> None:
    doc = copy.deepcopy(CATALOG)
    mutate(doc["procedures"][0])
    with pytest.raises(protocol.WireError) as caught:
        protocol.validate_catalog(doc)
    for word in words:
        assert word in caught.value.message_vi
        assert word in caught.value.message_en


def test_catalog_refuses_duplicate_codes_and_missing_version() -> None:
    doc = copy.deepcopy(CATALOG)
    doc["procedures"].append(copy.deepcopy(doc["procedures"][0]))
    with pytest.raises(protocol.WireError, match="twice"):
        protocol.validate_catalog(doc)
    with pytest.raises(protocol.WireError):
        protocol.validate_catalog({"procedures": []})


def test_master_version_follows_content_only() -> None:
    a = protocol.master_version({"x": [1, 2], "y": "z"})
    assert a == protocol.master_version({"y": "z", "x": [1, 2]})
    assert a != protocol.master_version({"y": "z", "x": [2, 1]})


# -- the published JSON Schemas agree with the checks ---------------------------------------------


def _inline(schema: Any, schemas: dict[str, Any]) -> Any:
    if isinstance(schema, dict):
        if "$ref" in schema:
            return _inline(schemas[schema["$ref"].rsplit("/", 1)[1]], schemas)
        return {k: _inline(v, schemas) for k, v in schema.items()}
    if isinstance(schema, list):
        return [_inline(v, schemas) for v in schema]
    return schema


def _validator(name: str) -> Any:
    schemas = protocol.json_schemas()
    return jsonschema_rs.validator_for(_inline(schemas[name], schemas))


def test_every_schema_is_valid_json_schema() -> None:
    schemas = protocol.json_schemas()
    for name in schemas:
        _validator(name)  # raises on an invalid schema
    json.dumps(schemas)


def test_what_the_checks_accept_matches_the_schemas() -> None:
    entries = [
        protocol.dossier_entry(snapshot(AGENCY, 1)),
        protocol.dossier_entry(snapshot(AGENCY, 2, submitter={"name": "Lê Văn Tám"})),
        protocol.status_entry(status_change(f"{AGENCY}-261126-0001", "withdrawn")),
    ]
    assert _validator("DossierEntry").is_valid(entries[0])
    assert _validator("DossierEntry").is_valid(entries[1])
    assert _validator("StatusEntry").is_valid(entries[2])
    assert _validator("PushRequest").is_valid(protocol.push_body(entries))
    assert _validator("Catalog").is_valid(protocol.validate_catalog(CATALOG))


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.pop("applicant"),
        lambda d: d.update(extra=1),
        lambda d: d.update(sets="1"),
        lambda d: d.update(sets=0),
        lambda d: d.update(channel="fax"),
        lambda d: d.update(lookup_key="K7 M3"),
        lambda d: d["applicant"].update(name=""),
        lambda d: d["applicant"].update(name="   "),
    ],
)
def test_what_the_schemas_refuse_the_checks_refuse(mutate: Any) -> None:
    data = copy.deepcopy(snapshot(AGENCY, 1))
    mutate(data)
    entry = {"key": protocol.new_key(), "kind": "dossier", "data": data}
    assert not _validator("DossierEntry").is_valid(entry)
    with pytest.raises(protocol.WireError):
        protocol.validate_entry(entry)
