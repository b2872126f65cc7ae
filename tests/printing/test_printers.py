"""Sending PDFs to print queues: the lp/lpstat conversation with stand-in commands, and
a real CUPS queue (cups-pdf) when the machine has one."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from devtools.samples import LOOKUP_URL
from printing import PrintError, default_printer, list_printers, render_receipt, send_to_printer


def _fake(bin_dir: Path, name: str, body: str) -> None:
    script = bin_dir / name
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(0o755)


@pytest.fixture
def fake_cups(tmp_path, monkeypatch):
    """lp and lpstat stand-ins on an otherwise empty PATH; lp records its arguments."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "lp.args"
    _fake(
        bin_dir,
        "lp",
        f"""
for arg in "$@"; do printf '%s\\n' "$arg" >> "{log}"; done
case " $* " in
  *" -d NOPE "*) echo "lp: The printer or class does not exist." >&2; exit 1;;
esac
while [ "$#" -gt 1 ]; do shift; done
[ -f "$1" ] || {{ echo "lp: no such file" >&2; exit 1; }}
echo "request id is Counter_PDF-42 (1 file(s))"
""",
    )
    _fake(
        bin_dir,
        "lpstat",
        """
case "$1" in
  -e) printf 'Counter_PDF\\nQuay_1\\n';;
  -d) echo "system default destination: Quay_1";;
  -p) echo "printer Counter_PDF is idle.  enabled since today";;
esac
""",
    )
    monkeypatch.setenv("PATH", str(bin_dir))
    monkeypatch.delenv("LPDEST", raising=False)
    monkeypatch.delenv("PRINTER", raising=False)
    return log


def test_job_id_comes_back_and_lp_gets_queue_title_and_file(fake_cups, dossier, office):
    pdf = render_receipt(dossier, office)
    job = send_to_printer(pdf, "Counter_PDF", "Giấy tiếp nhận 000.00.36.H62-261126-1001")
    assert job == "Counter_PDF-42"
    args = fake_cups.read_text().splitlines()
    assert args[:4] == ["-d", "Counter_PDF", "-t", "Giấy tiếp nhận 000.00.36.H62-261126-1001"]
    spooled = Path(args[-1])
    assert not spooled.exists()  # the temporary copy is gone once lp has it


def test_a_file_path_is_sent_as_is(fake_cups, tmp_path, dossier, office):
    path = tmp_path / "receipt.pdf"
    path.write_bytes(render_receipt(dossier, office))
    assert send_to_printer(path, None, "x") == "Counter_PDF-42"
    args = fake_cups.read_text().splitlines()
    assert "-d" not in args and args[-1] == str(path)
    assert path.exists()


def test_unknown_queue_names_the_ones_there_are(fake_cups):
    with pytest.raises(PrintError) as error:
        send_to_printer(b"%PDF-1.4\n", "NOPE", "x")
    assert str(error.value) == "Không có máy in tên 'NOPE'. Máy in hiện có: Counter_PDF, Quay_1."


def test_missing_file_is_refused(fake_cups, tmp_path):
    with pytest.raises(PrintError, match="Không tìm thấy tệp"):
        send_to_printer(tmp_path / "nothing.pdf", "Counter_PDF", "x")


def test_listing_and_default(fake_cups, monkeypatch):
    assert list_printers() == ["Counter_PDF", "Quay_1"]
    assert default_printer() == "Quay_1"
    monkeypatch.setenv("LPDEST", "Counter_PDF")
    assert default_printer() == "Counter_PDF"


def test_no_print_system(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(PrintError, match="không tìm thấy lệnh 'lp'"):
        send_to_printer(b"%PDF-1.4\n", "PDF", "x")
    with pytest.raises(PrintError, match="lpstat"):
        list_printers()


# --- a real queue -------------------------------------------------------------------

QUEUE = "PDF"


def _cups_skip_reason() -> str | None:
    if shutil.which("lpstat") is None or shutil.which("lp") is None:
        return "CUPS is not installed (no lp/lpstat); run printing/setup_cups_pdf.sh as root"
    status = subprocess.run(["lpstat", "-r"], capture_output=True, text=True, check=False)
    if "is running" not in status.stdout or "not running" in status.stdout:
        return "the CUPS scheduler is not running; run printing/setup_cups_pdf.sh as root"
    queue = subprocess.run(["lpstat", "-p", QUEUE], capture_output=True, text=True, check=False)
    if queue.returncode != 0:
        return f"no CUPS queue named {QUEUE!r}; run printing/setup_cups_pdf.sh as root"
    return None


def _cups_pdf_output_dir() -> Path:
    """Where cups-pdf writes our jobs: its "Out" setting, ${HOME} being ours."""
    out = "${HOME}/PDF"
    conf = Path("/etc/cups/cups-pdf.conf")
    if conf.exists():
        for line in conf.read_text(errors="replace").splitlines():
            match = re.match(r"\s*Out\s+(\S+)", line)
            if match:
                out = match.group(1)
    user = pwd.getpwuid(os.getuid())
    return Path(out.replace("${HOME}", user.pw_dir).replace("${USER}", user.pw_name))


def _wait_for_new_pdf(folder: Path, before: set[Path], timeout: float = 90) -> Path:
    """Poll until a new, complete PDF shows up (cups-pdf writes it in a few seconds)."""
    deadline = time.monotonic() + timeout
    last_size: dict[Path, int] = {}
    while time.monotonic() < deadline:
        if folder.is_dir():
            for path in set(folder.glob("*.pdf")) - before:
                size = path.stat().st_size
                complete = size > 0 and path.read_bytes().rstrip().endswith(b"%%EOF")
                if complete and last_size.get(path) == size:
                    return path
                last_size[path] = size
        time.sleep(0.2)
    raise AssertionError(f"no PDF appeared in {folder} within {timeout} s")


@pytest.mark.slow
def test_a_receipt_printed_on_a_real_cups_queue_still_scans(probe, dossier, office):
    reason = _cups_skip_reason()
    if reason:
        pytest.skip(reason)
    folder = _cups_pdf_output_dir()
    before = set(folder.glob("*.pdf")) if folder.is_dir() else set()
    job = send_to_printer(render_receipt(dossier, office, "a5"), QUEUE, f"receipt {dossier.code}")
    assert re.fullmatch(rf"{QUEUE}-\d+", job)
    output = _wait_for_new_pdf(folder, before)
    printed = output.read_bytes()
    output.unlink()
    # cups-pdf's text layer loses Vietnamese letters: check what a scanner sees instead
    pages = probe.codes(printed)
    assert len(pages) == 2
    for codes in pages:
        assert ("Code128", dossier.code) in codes
        assert ("QRCode", LOOKUP_URL) in codes
