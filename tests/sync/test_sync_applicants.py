"""Declare once, asked of the portal: the latest details of an ID number among the dossiers of
the counter's agency, another agency's never; the counter's own win unless the portal's are
newer; a portal that cannot be reached is left alone for a while."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import requests
from portal_testkit import ThreadedPortal, admin_ok
from synckit import CLERK, connect, open_counter, register_counter

from counter.clock import now
from counter.dossiers import DossierInput
from sync.applicants import PortalApplicants, newest
from sync.engine import run_once

NUMBER = "001190012345"


def test_the_agencys_latest_applicant_is_offered_and_the_newest_wins(
    portal: ThreadedPortal, token: str, tmp_path: Path
):
    here = open_counter(tmp_path / "c1", 1)
    there = open_counter(tmp_path / "c2", 2)
    try:
        connect(here, portal.url, token)
        connect(there, portal.url, register_counter(portal, 2))
        earlier = now() - timedelta(days=3)
        here.dossiers.receive(
            CLERK,
            DossierInput(
                "1.001193",
                "Nguyễn Thị Ánh Tuyết",
                id_number=NUMBER,
                phone="0912345678",
                received_at=earlier,
            ),
        )
        # the same citizen at the agency's other counter, later, with a new phone and address
        there.dossiers.receive(
            CLERK,
            DossierInput(
                "1.001193",
                "Nguyễn Thị Ánh Tuyết",
                id_number=NUMBER,
                phone="0987654321",
                email="tuyet@example.vn",
                address="Thôn Tây, xã Hòa Bình",
            ),
        )
        for app in (here, there):
            assert run_once(app).pushed == 1

        asked = PortalApplicants(here)
        theirs = asked.find(NUMBER)
        assert theirs is not None and theirs.source == "portal"
        assert (theirs.name, theirs.phone, theirs.address) == (
            "Nguyễn Thị Ánh Tuyết",
            "0987654321",
            "Thôn Tây, xã Hòa Bình",
        )
        own = here.dossiers.latest_applicant(NUMBER)
        assert own is not None and own.phone == "0912345678" and own.source == "counter"
        assert newest(own, theirs) == theirs  # the portal's dossier is the newer one
        # at the other counter its own dossier is the newest: its own wins a tie
        assert newest(there.dossiers.latest_applicant(NUMBER), theirs).source == "counter"
        assert asked.find("001190099999") is None  # nobody in the agency has that number
        asked.close()

        # another agency's counter is told nothing: not found, as a number nobody has
        admin_ok(portal.db_url, "add-agency", "000.00.37.H62", "UBND xã Hòa Lạc")
        other = register_counter(portal, 1, "000.00.37.H62")
        answer = requests.get(
            f"{portal.url}/api/v1/applicants/{NUMBER}",
            headers={"Authorization": f"Bearer {other}"},
            timeout=30,
        )
        assert answer.status_code == 404
        assert (
            requests.get(f"{portal.url}/api/v1/applicants/{NUMBER}", timeout=30).status_code == 401
        )

        # a portal that does not answer: nothing known, and not asked again for a minute
        clock = [0.0]
        connect(here, "http://127.0.0.1:9", token)
        dead = PortalApplicants(here, clock=lambda: clock[0])
        assert dead.find(NUMBER) is None
        assert dead._quiet_until == 60.0
        asked_again: list[str] = []
        dead._client.applicant = asked_again.append
        clock[0] = 30.0
        assert dead.find(NUMBER) is None and asked_again == []
        clock[0] = 61.0
        dead.find(NUMBER)
        assert asked_again == [NUMBER]
        dead.close()
    finally:
        here.close()
        there.close()
