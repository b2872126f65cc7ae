"""Many writers at once on a busy machine: each one waits its turn, none is refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import PASSWORD, ROOT, Cli
from tests.counter.test_cli import BIRTH

NAMES = ["An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Minh", "Nga", "Phúc", "Quân"]
WRITERS = len(NAMES)


def test_twelve_clerks_receive_at_once_and_all_succeed(cli: Cli):
    """Each process signs in (a deliberately slow password check) and then receives; the
    check holds no lock, so the writes wait for each other only for milliseconds."""
    env = {**os.environ, "COUNTER_PASSWORD": PASSWORD, "COUNTER_LANG": "en"}
    env.pop("COUNTER_DATA_DIR", None)
    procs = [
        subprocess.Popen(
            [
                sys.executable,
                "-m",
                "counter",
                "--data-dir",
                str(cli.data_dir),
                "--json",
                "receive",
                "--user",
                "clerk" if n % 2 else "boss",
                "--procedure",
                BIRTH,
                "--applicant-name",
                f"Người Thử {NAMES[n]}",
            ],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=env,
            cwd=ROOT,
        )
        for n in range(WRITERS)
    ]
    results = [(p.wait(timeout=300), *p.communicate()) for p in procs]
    failures = [(rc, err) for rc, _out, err in results if rc != 0]
    assert failures == []
    codes = {json.loads(out)["code"] for _rc, out, _err in results}
    assert len(codes) == WRITERS
    assert len(cli.json("find", "nguoi thu", "--limit", "50")) == WRITERS
    cli.ok("check")
