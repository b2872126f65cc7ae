"""Hand-overs across agencies, the whole story: a dossier pushed, handed over twice on the
portal, pulled by its counter once each, listed by ``show --json`` and printed on the control
sheet (Mẫu 06) and in the tracking book's transfer columns."""

from __future__ import annotations

from datetime import date

import pypdfium2 as pdfium
from portal_testkit import admin_ok
from synckit import AGENCY, CLERK, connect, make_engine

from counter.clock import now
from counter.dossiers import DossierInput
from counter.serialize import detail_json
from printing import render_book, render_form
from printing.form_details import form_details

JUSTICE = "000.20.36.H62"


def _text(pdf_bytes: bytes) -> str:
    pdf = pdfium.PdfDocument(pdf_bytes)
    try:
        return " ".join(" ".join(page.get_textpage().get_text_range().split()) for page in pdf)
    finally:
        pdf.close()


def test_a_dossier_handed_over_twice_prints_both_steps(app, portal, token):
    connect(app, portal.url, token)
    item = DossierInput("1.001193", "Nguyễn Thị Ánh Tuyết", received_at="2026-11-20T09:00+07:00")
    (received,) = app.dossiers.receive_many(CLERK, [item])
    code = received.code
    engine, _ = make_engine(app)
    assert engine.run_once().pushed == 1

    admin_ok(portal.db_url, "add-agency", JUSTICE, "Phòng Tư pháp xã Hòa Bình")
    # Out to the justice office on the day it is due (a same-day procedure: 17:00), back late.
    out = ("handover", code, "--to", JUSTICE, "--by", "Trần Thị Tiếp", "--at", "2026-11-20T10:05")
    admin_ok(portal.db_url, *out)
    admin_ok(portal.db_url, "handover", code, "--to", AGENCY, "--by", "Lê Văn Tư")
    admin_ok(portal.db_url, *out)  # the same hand-over again is still one

    assert engine.run_once().pulled == 1
    engine.close()
    engine, _ = make_engine(app)
    engine.store.apply_remote_statuses([], "0")  # the feed read again from its start...
    assert engine.run_once().pulled == 0  # ... keeps each hand-over once
    engine.close()
    dossier = app.dossiers.get(code)
    steps = detail_json(dossier)["handovers"]  # what ``show --json`` prints
    assert [(h["from"], h["to"], h["by"]) for h in steps] == [
        (AGENCY, JUSTICE, "Trần Thị Tiếp"),
        (JUSTICE, AGENCY, "Lê Văn Tư"),
    ]
    assert steps[0]["at"] == "2026-11-20T10:05:00+07:00"
    assert steps[1]["to_name"] == "UBND xã Hòa Bình"

    office = app.office.identity()
    details = form_details("control-sheet", dossier, None, CLERK, now())
    text = _text(render_form("control-sheet", dossier, office, details))
    assert "1. Giao: UBND xã Hòa Bình 2. Nhận: Phòng Tư pháp xã Hòa Bình" in text
    assert "1. Giao: Phòng Tư pháp xã Hòa Bình 2. Nhận: UBND xã Hòa Bình" in text
    assert "10 giờ 05 phút, ngày 20/11/2026" in text
    assert text.index("Đúng hạn") < text.index("Quá hạn")
    assert "Trần Thị Tiếp" in text and "Lê Văn Tư" in text
    assert text.count("Người giao") == 2  # the dossier is back: no row left to fill in

    day = date(2026, 11, 20)
    (row,) = app.reports.book_rows(day, day)
    assert (row.transferred_to, row.result_from) == (
        "Phòng Tư pháp xã Hòa Bình",
        "Phòng Tư pháp xã Hòa Bình",
    )
    text = _text(render_book([row], office, day, day))
    assert "20/11/2026 10:05 Phòng Tư pháp xã Hòa Bình" in text
