"""Sending a PDF to a real print queue: CUPS (``lp``) on Linux and macOS, the shell's
print verb on Windows.

Failures a clerk can act on (no such printer, no print system, CUPS stopped) raise
``PrintError`` with a Vietnamese message ready to show.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from printing.templates import PRINTER, PRINTER_EN
from protocol.errors import KnownError

log = logging.getLogger("printing.printers")

TIMEOUT = 30  # seconds to wait for lp/lpstat; CUPS answers in milliseconds when healthy

_JOB_ID = re.compile(r"request id is (\S+)")
_PRINTER_LINE = re.compile(r"^printer (\S+) ")
_DEFAULT_LINE = re.compile(r"system default destination: (\S+)")


class PrintError(KnownError):
    """A print request the system refused, with a message for the clerk."""

    kind = "print"

    def __init__(self, key: str, **values: object) -> None:
        names = values.pop("names", None)
        vi, en = dict(values), dict(values)
        if isinstance(names, list):  # the printers there are, or "none" in each language
            vi["names"] = ", ".join(names) or PRINTER["no_printers"]
            en["names"] = ", ".join(names) or PRINTER_EN["no_printers"]
        super().__init__(PRINTER[key].format(**vi), PRINTER_EN[key].format(**en))
        self.key = key


def _command(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        raise PrintError("no_command", command=name)
    return path


def _run(args: list[str]) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            args,
            capture_output=True,
            text=True,
            timeout=TIMEOUT,
            check=False,
            env=_english_messages(),
        )
    except subprocess.TimeoutExpired as exc:
        raise PrintError("timeout", seconds=TIMEOUT) from exc
    except OSError as exc:
        raise PrintError("failed", detail=exc) from exc


def _english_messages() -> dict[str, str]:
    """The environment with CUPS's messages in English (we parse them), text still UTF-8."""
    env = {k: v for k, v in os.environ.items() if k != "LC_ALL"}
    env["LC_MESSAGES"] = "C"
    return env


def _not_running(stderr: str) -> bool:
    lowered = stderr.lower()
    return "scheduler is not running" in lowered or "unable to connect" in lowered


def list_printers() -> list[str]:
    """Names of the print queues this machine knows (empty when none is set up)."""
    if sys.platform == "win32":
        return _windows_printers()
    lpstat = _command("lpstat")
    result = _run([lpstat, "-e"])
    if result.returncode == 0:
        return [line.strip() for line in result.stdout.splitlines() if line.strip()]
    if "no destinations" in result.stderr.lower():
        return []
    if _not_running(result.stderr):
        raise PrintError("not_running")
    # older CUPS has no -e: fall back to the printer status lines
    result = _run([lpstat, "-p"])
    if result.returncode != 0:
        if "no destinations" in result.stderr.lower():
            return []
        if _not_running(result.stderr):
            raise PrintError("not_running")
        raise PrintError("failed", detail=result.stderr.strip())
    return [m.group(1) for line in result.stdout.splitlines() if (m := _PRINTER_LINE.match(line))]


def default_printer() -> str | None:
    """The system's default queue, or None when there is none."""
    if sys.platform == "win32":
        return _windows_default()
    for variable in ("LPDEST", "PRINTER"):  # lp honours these before the system default
        if os.environ.get(variable):
            return os.environ[variable]
    lpstat = _command("lpstat")
    result = _run([lpstat, "-d"])
    if _not_running(result.stderr):
        raise PrintError("not_running")
    match = _DEFAULT_LINE.search(result.stdout)
    return match.group(1) if match else None


def send_to_printer(pdf: bytes | Path, printer: str | None, title: str) -> str:
    """Queue a PDF for printing; returns the print system's job id (e.g. ``PDF-12``).

    ``printer`` None means the default queue. The PDF may be bytes or a file; bytes
    are written to a temporary file that is removed once the spooler has its copy.
    """
    if isinstance(pdf, Path) and not pdf.is_file():
        raise PrintError("no_file", path=pdf)
    if sys.platform == "win32":
        return _windows_print(pdf, printer, title)
    lp = _command("lp")
    with _as_file(pdf) as path:
        args = [lp]
        if printer:
            args += ["-d", printer]
        args += ["-t", title, "--", str(path)]
        result = _run(args)
    if result.returncode != 0:
        raise _lp_error(result.stderr, printer)
    match = _JOB_ID.search(result.stdout)
    if not match:
        raise PrintError("failed", detail=result.stdout.strip() or "lp")
    job = match.group(1)
    log.info("queued print job %s on %s", job, printer or "the default printer")
    return job


def _lp_error(stderr: str, printer: str | None) -> PrintError:
    lowered = stderr.lower()
    if "does not exist" in lowered or "unknown destination" in lowered:
        try:
            names = list_printers()
        except PrintError:
            names = []
        return PrintError("no_queue", name=printer or "", names=names)
    if "no default destination" in lowered:
        return PrintError("no_default")
    if _not_running(stderr):
        return PrintError("not_running")
    return PrintError("failed", detail=stderr.strip())


@contextlib.contextmanager
def _as_file(pdf: bytes | Path):  # type: ignore[no-untyped-def]
    if isinstance(pdf, Path):
        yield pdf
        return
    handle, name = tempfile.mkstemp(prefix="counter-print-", suffix=".pdf")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
        yield Path(name)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(name)


# --- Windows -------------------------------------------------------------------------
# Not exercised by the test suite (no Windows runner). With pywin32 present the
# named printer gets the job through the "printto" verb of the PDF reader; without
# it, os.startfile(path, "print") prints on the default printer. Neither returns
# a job id, so the temporary file's name is returned instead, and the file is left
# for the PDF reader to open (Windows cleans its temp folder).


def _windows_printers() -> list[str]:
    try:
        import win32print  # type: ignore[import-not-found]
    except ImportError:
        default = _windows_default()
        return [default] if default else []
    flags = win32print.PRINTER_ENUM_LOCAL | win32print.PRINTER_ENUM_CONNECTIONS
    return [info[2] for info in win32print.EnumPrinters(flags)]


def _windows_default() -> str | None:
    try:
        import win32print
    except ImportError:
        return None
    try:
        return str(win32print.GetDefaultPrinter())
    except Exception:  # no default printer configured
        return None


def _windows_print(pdf: bytes | Path, printer: str | None, title: str) -> str:
    if isinstance(pdf, Path):
        path = pdf
    else:
        safe = re.sub(r"[^\w.-]+", "_", title)[:60] or "counter"
        handle, name = tempfile.mkstemp(prefix=f"{safe}-", suffix=".pdf")
        with os.fdopen(handle, "wb") as out:
            out.write(pdf)
        path = Path(name)
    try:
        if printer:
            try:
                import win32api  # type: ignore[import-not-found]
            except ImportError as exc:
                if printer != _windows_default():
                    raise PrintError("no_queue", name=printer, names=_windows_printers()) from exc
            else:
                if printer not in _windows_printers():
                    raise PrintError("no_queue", name=printer, names=_windows_printers())
                win32api.ShellExecute(0, "printto", str(path), f'"{printer}"', ".", 0)
                return path.name
        # the shell's "print" verb of the default PDF reader, on the default printer
        os.startfile(str(path), "print")  # type: ignore[attr-defined]  # noqa: S606
    except OSError as exc:
        raise PrintError("windows_failed", detail=exc) from exc
    return path.name
