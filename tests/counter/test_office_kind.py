"""The office as it is since 1 July 2025: its kind, the names it goes by, and the agency that
processes each procedure, derived from what the office is configured as."""

from __future__ import annotations

import sqlite3
from dataclasses import replace

import pytest

from counter import settings
from counter.errors import InvalidInput, NotAllowed
from counter.views import Office
from tests.conftest import AGENCY

BIRTH = "1.001193"  # the sample catalogue: "Ủy ban nhân dân cấp xã"
CENTRE = "Trung tâm Phục vụ hành chính công"


def office(agency_name: str, parent_name: str = "", level: str = "commune", **kw: str) -> Office:
    return Office(AGENCY, agency_name, 1, parent_name, level, **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "agency_name",
    [
        "Xã Hòa Bình",
        "xã Hòa Bình",
        "UBND xã Hòa Bình",
        "Ủy ban nhân dân xã Hòa Bình",
        "UBND XÃ HÒA BÌNH",
        "Trung tâm phục vụ hành chính công xã Hòa Bình",
    ],
)
def test_a_commune_centre_is_named_from_its_commune_however_it_was_typed(agency_name):
    o = office(agency_name, "UBND TỈNH LÀO CAI")
    assert o.unit_name == f"{CENTRE} xã Hòa Bình"
    assert o.authority == "Ủy ban nhân dân xã Hòa Bình"
    assert o.letterhead == ("ỦY BAN NHÂN DÂN XÃ HÒA BÌNH", "TRUNG TÂM PHỤC VỤ HÀNH CHÍNH CÔNG")
    assert o.display_name == f"{CENTRE} xã Hòa Bình"


def test_each_kind_of_office_has_its_own_unit():
    province = office("Tỉnh Lào Cai", level="province")
    assert province.unit_name == f"{CENTRE} tỉnh Lào Cai"
    assert province.authority == "Ủy ban nhân dân tỉnh Lào Cai"
    ministry = office("Bộ Tư pháp", level="ministry")
    assert ministry.unit_name == "Bộ phận Tiếp nhận và Trả kết quả"
    assert ministry.letterhead == ("BỘ TƯ PHÁP", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ")
    assert ministry.display_name == "Bộ phận Tiếp nhận và Trả kết quả – Bộ Tư pháp"
    # data made before 1 July 2025: a district's unit, still read and printed
    district = office("UBND huyện Bảo Thắng", "UBND tỉnh Lào Cai", level="district")
    assert district.unit_name == "Bộ phận tiếp nhận và trả kết quả"
    assert district.authority == "Ủy ban nhân dân huyện Bảo Thắng"
    assert district.letterhead[-1] == "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"


def test_a_unit_named_without_its_place_takes_it_from_its_parent():
    o = office("BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ", "UBND XÃ HÒA BÌNH")
    assert o.authority == "Ủy ban nhân dân xã Hòa Bình"
    assert o.unit_name == f"{CENTRE} xã Hòa Bình"


def test_the_authority_may_be_named_outright():
    o = office("Phường Ba Đình", authority_name="Ủy ban nhân dân phường Ba Đình, Hà Nội")
    assert o.letterhead[0] == "ỦY BAN NHÂN DÂN PHƯỜNG BA ĐÌNH, HÀ NỘI"
    assert o.unit_name == f"{CENTRE} phường Ba Đình"


@pytest.mark.parametrize(
    ("catalogue", "expected"),
    [
        ("Ủy ban nhân dân cấp xã", "Ủy ban nhân dân xã Hòa Bình"),
        ("Uỷ ban nhân dân xã", "Ủy ban nhân dân xã Hòa Bình"),
        ("UBND cấp xã", "Ủy ban nhân dân xã Hòa Bình"),
        (
            "Ủy ban nhân dân cấp xã (cơ quan đăng ký kinh doanh cấp xã)",
            "Ủy ban nhân dân xã Hòa Bình (cơ quan đăng ký kinh doanh cấp xã)",
        ),
        ("Chủ tịch Ủy ban nhân dân cấp xã", "Chủ tịch Ủy ban nhân dân xã Hòa Bình"),
        ("UBND cấp tỉnh", "Ủy ban nhân dân tỉnh Lào Cai"),  # the commune's parent
        # a real name is never touched, nor a generic name it cannot place
        ("Ủy ban nhân dân xã Tân An", "Ủy ban nhân dân xã Tân An"),
        ("Ủy ban nhân dân xã nơi cư trú", "Ủy ban nhân dân xã nơi cư trú"),
        ("Công an xã", "Công an xã"),
        ("", ""),
    ],
)
def test_a_generic_agency_resolves_to_this_commune(catalogue, expected):
    o = office("Xã Hòa Bình", "UBND TỈNH LÀO CAI")
    assert o.agency_for(BIRTH, catalogue) == expected


def test_the_province_resolves_at_a_province_office_and_nowhere_it_cannot_know():
    province = office("Tỉnh Lào Cai", level="province")
    assert province.agency_for(BIRTH, "Ủy ban nhân dân cấp tỉnh") == "Ủy ban nhân dân tỉnh Lào Cai"
    assert province.agency_for(BIRTH, "Ủy ban nhân dân cấp xã") == "Ủy ban nhân dân cấp xã"
    ministry = office("Bộ Tư pháp", level="ministry")
    assert ministry.agency_for(BIRTH, "Ủy ban nhân dân cấp xã") == "Ủy ban nhân dân cấp xã"
    no_parent = office("Xã Hòa Bình")
    assert no_parent.agency_for(BIRTH, "UBND cấp tỉnh") == "UBND cấp tỉnh"


def test_a_procedure_handled_elsewhere_names_its_agency():
    o = replace(office("Xã Hòa Bình"), agencies=((BIRTH, "Công an xã Hòa Bình"),))
    assert o.agency_for(BIRTH, "Ủy ban nhân dân cấp xã") == "Công an xã Hòa Bình"
    assert o.agency_for("1.000894", "Ủy ban nhân dân cấp xã") == "Ủy ban nhân dân xã Hòa Bình"


def test_the_level_offers_no_district_for_a_new_office(app, admin):
    for level in ("commune", "province", "ministry"):
        assert settings.parse_value("office.level", level) == level
    with pytest.raises(InvalidInput):
        settings.parse_value("office.level", "district")
    before = app.office.identity()
    with pytest.raises(InvalidInput):
        app.settings.set(admin, "office.level", "district")
    assert app.office.identity() == before


def test_a_district_office_of_old_data_still_reads_and_prints(app, admin, clerk):
    conn = sqlite3.connect(app.db.path)
    try:
        with conn:
            conn.execute("UPDATE settings SET value = '\"district\"' WHERE key = 'office.level'")
    finally:
        conn.close()
    app.settings.invalidate()
    o = app.office.identity()
    assert o.level == "district"
    assert o.unit_name == "Bộ phận tiếp nhận và trả kết quả"
    assert o.letterhead == ("ỦY BAN NHÂN DÂN XÃ HÒA BÌNH", "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ")


def test_the_agency_setting_is_named_after_a_procedure(app, admin, clerk):
    app.settings.set(admin, f"agency.{BIRTH}", "  Công an   xã Hòa Bình ")
    assert app.office.identity().agencies == ((BIRTH, "Công an xã Hòa Bình"),)
    assert app.catalog.procedure(BIRTH).processing_agency == "Công an xã Hòa Bình"
    assert app.catalog.procedure(BIRTH).result_agency == "Ủy ban nhân dân cấp xã"
    other = app.catalog.procedure("1.000894")
    assert other.processing_agency == "Ủy ban nhân dân xã Hòa Bình"
    assert app.settings.get_many("agency.") == {f"agency.{BIRTH}": "Công an xã Hòa Bình"}
    # empty: the catalogue's agency again
    app.settings.set(admin, f"agency.{BIRTH}", "")
    assert app.catalog.procedure(BIRTH).processing_agency == "Ủy ban nhân dân xã Hòa Bình"
    for bad in ("agency.", "agency.1 004", "agency.không-dấu?"):
        with pytest.raises(InvalidInput) as refused:
            app.settings.set(admin, bad, "Công an xã")
        assert "agency.1.004194" in refused.value.message("vi")
    with pytest.raises(NotAllowed):
        app.settings.set(clerk, f"agency.{BIRTH}", "Công an xã")  # an admin's setting
    assert app.office.identity().agencies == ()
