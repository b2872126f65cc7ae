"""Declare once at the command line: ``receive --reuse-applicant`` fills what is not given from
the latest of this counter's own dossiers of the ID number, never from demo data."""

from __future__ import annotations

import sqlite3

from tests.conftest import Cli

BIRTH = "1.001193"
NUMBER = "001190012345"


def test_receive_reuses_the_latest_applicant_of_an_id_number(cli: Cli):
    first = ("--applicant-name", "Nguyễn Thị Ánh Tuyết", "--phone", "0912345678")
    cli.json("receive", "--procedure", BIRTH, "--id-number", NUMBER, *first, user="clerk")
    # the citizen came back later with a new phone and an address: these are now the latest
    later = (
        *("--applicant-name", "Nguyễn Thị Ánh Tuyết", "--phone", "0987654321"),
        *("--email", "tuyet@example.vn", "--address", "Thôn Đông, xã Hòa Bình"),
    )
    cli.json("receive", "--procedure", BIRTH, "--id-number", NUMBER, *later, user="clerk")

    # only the number (typed with spaces), and a new address given: that one wins
    proc = cli.run(
        "--json",
        "receive",
        *("--procedure", BIRTH, "--id-number", " 0011 9001 2345 ", "--reuse-applicant"),
        *("--address", "Thôn Tây, xã Hòa Bình"),
        user="clerk",
        check=True,
    )
    assert proc.stderr == ""
    shown = cli.json("show", cli.json("find", NUMBER)[0]["code"])
    assert shown["applicant_name"] == "Nguyễn Thị Ánh Tuyết"
    assert (shown["phone"], shown["email"]) == ("0987654321", "tuyet@example.vn")
    assert shown["address"] == "Thôn Tây, xã Hòa Bình"
    assert shown["id_number"] == NUMBER and shown["id_type"] == "cccd"

    # without a number: refused, saying which option it needs
    line = cli.refused(
        "receive", "--procedure", BIRTH, "--reuse-applicant", "--phone", "0912000111", user="clerk"
    )
    assert "--id-number" in line

    # a number this counter knows only from demo data is not known
    cli.json("seed-demo", "--count", "30", "--days", "5", "--seed", "3", user="boss")
    conn = sqlite3.connect(cli.data_dir / "counter.db")
    try:
        demo_number = conn.execute(
            "SELECT id_number FROM dossiers WHERE is_demo = 1 AND id_number != '' LIMIT 1"
        ).fetchone()[0]
    finally:
        conn.close()
    reuse = ("--procedure", BIRTH, "--id-number", demo_number, "--reuse-applicant")
    line = cli.refused("receive", *reuse, user="clerk")
    assert "Quầy chưa có hồ sơ nào của số giấy tờ" in line
    # ... and with the details given, the dossier is received all the same, with a warning
    proc = cli.run(
        "receive",
        *reuse,
        "--applicant-name",
        "Lò Văn Páo",
        user="clerk",
        env={"COUNTER_LANG": "en"},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.startswith("warning: no dossier of this counter has the ID number")
    assert cli.run("receive", "--from-jsonl", "x.jsonl", "--reuse-applicant").returncode == 1
