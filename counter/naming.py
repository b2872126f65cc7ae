"""How the office names itself, and which agency a procedure's dossiers go to.

Since 1 July 2025 (Decree 118/2025/NĐ-CP) there is no district level. A dossier is
received at one of three kinds of office (the setting ``office.level``):

- ``commune``: "Trung tâm Phục vụ hành chính công xã/phường/đặc khu <name>";
- ``province``: "Trung tâm Phục vụ hành chính công tỉnh/thành phố <name>";
- ``ministry``: a ministry's "Bộ phận Tiếp nhận và Trả kết quả".

``district`` ("Bộ phận tiếp nhận và trả kết quả" of a district) is still read in data made
before that day, and never offered for a new office.

What is configured (docs/printing.md, "The office's name"): ``office.agency_name`` is the
office's own name: the commune or province it serves ("Xã Hòa Bình", "UBND xã Hòa Bình",
"phường Ba Đình", "tỉnh Lào Cai"), or, at a ministry, the ministry ("Bộ Tư pháp"). A full
name such as "Trung tâm Phục vụ hành chính công xã Hòa Bình" is understood too.
``office.authority_name`` names the authority the office belongs to when the default,
"Ủy ban nhân dân" + the place, is not right. ``office.parent_name`` is the authority above
(the province's people's committee for a commune).

Everything here is a pure function of those strings, so the printed header, the window
title and the lookup screen always agree.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import lru_cache
from typing import Protocol

from counter.text import collapse_spaces, fold, nfc
from protocol.constants import LEGACY_OFFICE_LEVELS, OFFICE_LEVELS


class Office(Protocol):
    """What naming reads of ``counter.views.Office`` (which uses this module)."""

    @property
    def agency_name(self) -> str: ...
    @property
    def parent_name(self) -> str: ...
    @property
    def level(self) -> str: ...
    @property
    def authority_name(self) -> str: ...
    @property
    def agencies(self) -> tuple[tuple[str, str], ...]: ...


#: The kinds of office a new counter may be (``init --level``), the first the default.
LEVELS: tuple[str, ...] = OFFICE_LEVELS
#: Read in data made before 1 July 2025, never offered for a new office.
LEGACY_LEVELS: tuple[str, ...] = LEGACY_OFFICE_LEVELS

CENTRE = "Trung tâm Phục vụ hành chính công"
MINISTRY_UNIT = "Bộ phận Tiếp nhận và Trả kết quả"
DISTRICT_UNIT = "Bộ phận tiếp nhận và trả kết quả"
PEOPLES_COMMITTEE = "Ủy ban nhân dân"

# How a name that is a people's committee, or already a receiving unit, begins (folded).
_AUTHORITY_PREFIXES = ("uy ban nhan dan", "ubnd")
_UNIT_PREFIXES = (
    "trung tam phuc vu hanh chinh cong",
    "bo phan tiep nhan va tra ket qua",
    "bo phan mot cua",
)
# The words that open a place's name, longest first ("thị xã" before "xã").
_PLACE_WORDS = (
    "thành phố",
    "đặc khu",
    "thị trấn",
    "thị xã",
    "phường",
    "quận",
    "huyện",
    "tỉnh",
    "xã",
)
_PROVINCE_WORDS = ("tỉnh", "thành phố")

# A catalogue's generic name for "the people's committee of the level that handles it"
# (folded, longest first so "... xã, phường, đặc khu" is found before "... xã").
_GENERIC: dict[str, tuple[str, ...]] = {
    "commune": (
        "uy ban nhan dan cap xa, phuong, dac khu",
        "uy ban nhan dan xa, phuong, dac khu",
        "uy ban nhan dan xa, phuong, thi tran",
        "uy ban nhan dan cap xa",
        "uy ban nhan dan xa",
        "ubnd cap xa",
        "ubnd xa",
    ),
    "province": (
        "uy ban nhan dan cap tinh",
        "uy ban nhan dan tinh",
        "ubnd cap tinh",
        "ubnd tinh",
    ),
    "district": (
        "uy ban nhan dan cap huyen",
        "uy ban nhan dan huyen",
        "ubnd cap huyen",
        "ubnd huyen",
    ),
}
# What may follow a generic name: nothing, or a qualifier ("(cơ quan đăng ký kinh doanh
# cấp xã)", ", ..."). Anything else ("Ủy ban nhân dân xã Tân An") is a real name, kept.
_AFTER_GENERIC = re.compile(r"\s*(?:$|[(,;:–-])")


@lru_cache(maxsize=1024)
def _folded(text: str) -> tuple[str, tuple[int, ...]]:
    """``text`` folded, and for each folded character the index it came from (kept: the
    office's names are asked for on every form)."""
    out: list[str] = []
    origin: list[int] = []
    for i, ch in enumerate(text):
        f = fold(ch)
        out.append(f)
        origin.extend([i] * len(f))
    return "".join(out), tuple(origin)


def _after_prefix(text: str, prefixes: tuple[str, ...]) -> str | None:
    """What follows one of the (folded) ``prefixes`` at the start of ``text``, or None."""
    folded, origin = _folded(text)
    for prefix in prefixes:
        if folded == prefix:
            return ""
        if folded.startswith(prefix + " "):
            return text[origin[len(prefix)] :].strip()
    return None


def place_of(name: str) -> str:
    """The place a name stands for, as a sentence writes it.

    "UBND XÃ HÒA BÌNH", "Xã Hòa Bình" and "Trung tâm Phục vụ hành chính công xã Hòa Bình"
    are all "xã Hòa Bình". A name in capitals gets the capitals of a Vietnamese place name.
    """
    text = collapse_spaces(nfc(name))
    for prefixes in (_AUTHORITY_PREFIXES, _UNIT_PREFIXES):
        rest = _after_prefix(text, prefixes)
        if rest is not None:
            text = rest
            break
    if not text:
        return ""
    lowered = text.lower()
    for word in _PLACE_WORDS:
        if lowered.startswith(word + " "):
            rest = text[len(word) + 1 :].strip()
            return f"{word} {rest.title() if rest.isupper() else rest}"
    return text.title() if text.isupper() else text


def _is_unit_name(name: str) -> bool:
    return _after_prefix(collapse_spaces(nfc(name)), _UNIT_PREFIXES) is not None


def place(office: Office) -> str:
    """The commune or province the office serves ("xã Hòa Bình"), or "" if none is named."""
    for name in (office.agency_name, office.authority_name, office.parent_name):
        found = place_of(name)
        if found and not _is_unit_name(found):
            return found
    return ""


def authority(office: Office) -> str:
    """The authority the office belongs to: "Ủy ban nhân dân xã Hòa Bình", "Bộ Tư pháp"."""
    explicit = collapse_spaces(office.authority_name)
    if explicit:
        return explicit
    if office.level == "ministry":
        for name in (office.agency_name, office.parent_name):
            name = collapse_spaces(name)
            if name and not _is_unit_name(name):
                return name
        return ""
    where = place(office)
    return f"{PEOPLES_COMMITTEE} {where}" if where else ""


def unit(office: Office) -> str:
    """The receiving unit's own name, without its place."""
    if office.level == "ministry":
        return MINISTRY_UNIT
    if office.level == "district":
        return DISTRICT_UNIT
    return CENTRE


def unit_name(office: Office) -> str:
    """The office's name in a sentence: "Trung tâm Phục vụ hành chính công xã Hòa Bình";
    a ministry's or a (former) district's unit goes by its function alone."""
    name = unit(office)
    if office.level in ("ministry", "district"):
        return name
    where = place(office)
    return f"{name} {where}" if where else name


def display_name(office: Office) -> str:
    """The office as a window or a screen names it: its unit, and whose it is when the
    unit's name does not say."""
    name = unit_name(office)
    owner = authority(office)
    if office.level in ("ministry", "district") and owner:
        return f"{name} – {owner}"
    return name


def letterhead(office: Office) -> tuple[str, ...]:
    """The lines at the top left of a form: the authority above its unit, in capitals
    (Decree 30/2020/NĐ-CP: "ỦY BAN NHÂN DÂN XÃ HÒA BÌNH" over "TRUNG TÂM PHỤC VỤ HÀNH
    CHÍNH CÔNG"). Without a known authority, the unit's full name alone."""
    owner = authority(office)
    if owner:
        return (owner.upper(), unit(office).upper())
    return (unit_name(office).upper(),)


def _generic(value: str) -> tuple[str, int, int] | None:
    """(level, start, end) of a generic people's committee in ``value``, or None."""
    folded, origin = _folded(value)
    for level, phrases in _GENERIC.items():
        for phrase in phrases:
            for m in re.finditer(r"(?<![a-z0-9])" + re.escape(phrase), folded):
                if _AFTER_GENERIC.match(folded, m.end()):
                    return level, origin[m.start()], origin[m.end() - 1] + 1
    return None


def _province_authority(office: Office) -> str:
    """At a commune, the province's people's committee, when the parent names one."""
    where = place_of(office.parent_name)
    if any(where.startswith(word + " ") for word in _PROVINCE_WORDS):
        return f"{PEOPLES_COMMITTEE} {where}"
    return ""


@lru_cache(maxsize=1024)
def processing_agency(office: Office, procedure_code: str, catalogue_name: str) -> str:
    """The agency that processes a procedure's dossiers, as forms print it (kept: the office
    is a frozen value, and a batch of receipts or a tracking book asks for each row).

    A setting ``agency.<procedure code>`` names it outright (the commune police for
    residence, a provincial department). Otherwise the catalogue's generic "Ủy ban nhân
    dân cấp xã" becomes this commune's people's committee, "cấp tỉnh" the province's (at a
    province office, or at a commune whose parent is the province), and "cấp huyện" a
    former district's at a district office. Any other name is printed as the catalogue
    gives it.
    """
    named = dict(office.agencies).get(procedure_code.strip(), "").strip()
    if named:
        return named
    value = collapse_spaces(nfc(catalogue_name))
    found = _generic(value)
    if found is None:
        return value
    level, start, end = found
    if level == office.level:
        resolved = authority(office)
    elif level == "province" and office.level == "commune":
        resolved = _province_authority(office)
    else:
        resolved = ""
    if not resolved:
        return value
    return value[:start] + resolved + value[end:]


def agencies_from(values: Mapping[str, object], prefix: str) -> tuple[tuple[str, str], ...]:
    """The ``agency.<procedure code>`` settings as (procedure code, agency) pairs."""
    return tuple(
        sorted(
            (key[len(prefix) :], str(value).strip())
            for key, value in values.items()
            if key.startswith(prefix) and str(value or "").strip()
        )
    )
