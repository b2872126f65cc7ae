"""The digests of many dossiers at once (``counter.digests``, what the pull records and what
``check`` compares with) are, dossier by dossier, ``integrity.dossier_state``'s: over
dossiers of every shape a counter makes."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from counter import integrity
from counter.clock import now
from counter.digests import dossier_digests
from counter.dossiers import DossierInput
from counter.models import Dossier


def test_many_at_once_digest_as_each_alone(app: Any, clerk: Any, admin: Any) -> None:
    def intake(name: str, **more: Any) -> DossierInput:
        return DossierInput("1.001193", name, **more)

    plain = app.dossiers.receive(clerk, intake("Lò Văn Pầu")).code
    detailed = app.dossiers.receive(
        clerk,
        intake(
            "Đinh Thị Ơn",
            id_number="001190012345",
            phone="0912345678",
            address="Thôn Đông\nxã Hòa Bình",
            note='Nộp thay; "bản sao" 100% %s',
            submitter_name="Vi Văn Ưng",
        ),
    ).code
    batch = [
        v.code
        for v in app.dossiers.receive_many(
            clerk,
            [
                intake(f"Hà Thị {n}", phone=f"09123{i:05d}")
                for i, n in enumerate(("Ánh", "Ân", "Ấn"))
            ],
        )
    ]
    withdrawn = app.dossiers.receive(clerk, intake("Lê Văn Tỵ")).code
    app.dossiers.set_status(clerk, withdrawn, "withdrawn", "Xin rút hồ sơ")
    later = app.dossiers.receive(clerk, intake("Phạm Thị Hoa")).code
    app.dossiers.reschedule(admin, later, now() + timedelta(days=30), "Chờ xác minh")
    rated = app.dossiers.receive(clerk, intake("Nông Văn Dền")).code
    for status in ("processing", "done", "returned"):
        app.dossiers.set_status(admin, rated, status)
    app.ratings.rate(rated, "unsatisfied", "Thời gian chờ lâu")
    codes = [plain, detailed, *batch, withdrawn, later, rated]

    with app.db.reading() as s:
        dossiers = [s.query(Dossier).filter_by(code=code).one() for code in codes]
        each = {d.code: integrity.dossier_state(s, d) for d in dossiers}
        together = dossier_digests(s, [d.id for d in dossiers])
    assert together == each and len(each) == len(codes)
