"""A counter whose database was made by an earlier release keeps all its data on upgrade."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from alembic import command

from counter.app import CounterApp
from counter.db import _newest_in_files, alembic_config, current_revision, head_revision


def test_upgrade_from_the_first_schema_keeps_data_and_backs_up_first(tmp_path: Path):
    data = tmp_path / "data"
    data.mkdir()
    db = data / "counter.db"
    command.upgrade(alembic_config(db), "0001")
    conn = sqlite3.connect(db)
    with conn:
        conn.executemany(
            "INSERT INTO settings (key, value) VALUES (?, ?)",
            [
                ("office.agency_code", '"000.00.36.H62"'),
                ("office.agency_name", '"UBND xã A"'),
                ("office.counter_no", "1"),
            ],
        )
        conn.execute(
            "INSERT INTO procedures (code, name, name_folded, field_code, field_name, level, "
            "time_value, time_unit, fees, documents, result_agency, catalog_version, source, "
            "active, updated_at) VALUES ('1.001193', 'Đăng ký khai sinh', 'dang ky khai sinh', "
            "'HT', 'Hộ tịch', 'commune', 1, 'working_days', '[]', '[]', '', 'v1', 'file', 1, "
            "'2026-01-05T08:00:00+07:00')"
        )
        conn.execute(
            "INSERT INTO dossiers (id, code, agency_code, counter_no, receipt_day, seq_no, "
            "book_year, book_number, procedure_code, procedure_name, field_name, time_value, "
            "time_unit, result_agency, result_delivery, applicant_type, applicant_name, "
            "id_number, phone, email, address, submitter_name, submitter_id_number, "
            "submitter_phone, channel, sets, received_at, due_at, status, status_changed_at, "
            "lookup_key, note, documents, fees, fees_total, received_by, is_demo, sync_state, "
            "updated_at, search_key) VALUES (1, '000.00.36.H62-260105-1001', '000.00.36.H62', "
            "1, '2026-01-05', 1001, 2026, 1, '1.001193', 'Đăng ký khai sinh', 'Hộ tịch', 1, "
            "'working_days', '', 'counter', 'citizen', 'Lê Thị Hoa', '012345678', '', '', '', '', "
            "'', '', "
            "'direct', 1, '2026-01-05T08:00:00+07:00', '2026-01-06T08:00:00+07:00', 'received', "
            "'2026-01-05T08:00:00+07:00', 'K7M3PQAA', '', '[]', '[]', 0, 'clerk', 0, 'pending', "
            "'2026-01-05T08:00:00+07:00', 1)"
        )
        conn.execute("INSERT INTO dossier_search (rowid, name, ids) VALUES (1, 'le thi hoa', '')")
    conn.close()
    assert current_revision(db) == "0001"

    # the look at the files that spares an up-to-date start alembic's import finds its head
    assert _newest_in_files() == head_revision()
    app = CounterApp.open(data)
    try:
        assert current_revision(db) == head_revision()
        view = app.dossiers.get("000.00.36.H62-260105-1001")
        assert view.applicant_name == "Lê Thị Hoa"
        assert view.previous_due_at is None and view.reschedule_reason == ""
        assert view.id_type == "cmnd"  # read from the stored number's shape by migration 0005
        assert app.office.identity().agency_name == "UBND xã A"
    finally:
        app.close()
    backups = list((data / "backups").glob("before-upgrade-0001-*.db"))
    assert len(backups) == 1
    copy = sqlite3.connect(backups[0])
    try:
        assert copy.execute("SELECT applicant_name FROM dossiers").fetchone() == ("Lê Thị Hoa",)
    finally:
        copy.close()
