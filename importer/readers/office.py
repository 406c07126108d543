""".doc, .wps, .rtf, .odt: LibreOffice in headless mode converts them to .docx, which docx.py then reads.

Each conversion runs soffice in its own process group with a private profile in a temporary folder (two uploads
at once must not share one: the second soffice would hand its file to the first and exit), under a time limit;
on timeout the whole group is killed. Operators set the program and the limit through the environment:
PORTAL_SOFFICE (default: soffice on PATH), PORTAL_IMPORT_CONVERT_TIMEOUT (seconds, default 60) and
PORTAL_IMPORT_CONVERSIONS (how many run at once on the machine, default 2).
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path

from .base import DocumentError

SOFFICE_ENV = "PORTAL_SOFFICE"
TIMEOUT_ENV = "PORTAL_IMPORT_CONVERT_TIMEOUT"
DEFAULT_TIMEOUT = 60.0
SLOTS_ENV = "PORTAL_IMPORT_CONVERSIONS"
DEFAULT_SLOTS = 2
MEMORY_MEGABYTES = 2048  # address space for soffice; it converts a plan in about 250 MB

MSG_NO_LIBREOFFICE = "服务器未安装LibreOffice，无法读取{kind}。请另存为.docx或PDF后再导入，或请管理员安装LibreOffice。"
MSG_CONVERT_TIMEOUT = "{kind}转换超过{seconds}秒仍未完成，已停止。请另存为.docx后再导入。"
MSG_BUSY = "服务器正在转换其他文件，暂时无法读取{kind}，请稍后再试。"
MSG_CONVERT_FAILED = "无法打开这个{kind}：文件已损坏，或设有打开密码。请用WPS或Word打开检查，另存为.docx后再导入。"


def soffice_program() -> str | None:
    """The soffice to run: PORTAL_SOFFICE if set (a path or a name on PATH), else soffice or libreoffice on PATH."""
    configured = os.environ.get(SOFFICE_ENV, "").strip()
    if configured:
        return shutil.which(configured)
    return shutil.which("soffice") or shutil.which("libreoffice")


def convert_timeout() -> float:
    try:
        return max(float(os.environ.get(TIMEOUT_ENV, DEFAULT_TIMEOUT)), 1.0)
    except ValueError:
        return DEFAULT_TIMEOUT


def convert_to_docx(data: bytes, *, suffix: str, kind: str, timeout: float | None = None) -> bytes:
    """The file's bytes as a .docx written by LibreOffice. suffix (".doc") names the input for LibreOffice's type
    detection; kind ("Word 97-2003文档（.doc）") names it to the person in messages."""
    program = soffice_program()
    if program is None:
        raise DocumentError(MSG_NO_LIBREOFFICE.format(kind=kind))
    timeout = convert_timeout() if timeout is None else timeout
    with _conversion_slot(timeout, kind), tempfile.TemporaryDirectory(prefix="portal-convert-") as work:
        folder = Path(work)
        source = folder / f"source{suffix}"
        source.write_bytes(data)
        # Through sh's ulimit, not preexec_fn (unsafe in a threaded server): soffice itself needs ~250 MB, and a
        # document that makes it inflate more than the limit fails to convert rather than swapping the server.
        command = [
            "/bin/sh",
            "-c",
            f'ulimit -v {MEMORY_MEGABYTES * 1024} && exec "$0" "$@"',
            program,
            f"-env:UserInstallation={(folder / 'profile').as_uri()}",
            "--headless",
            "--invisible",
            "--nologo",
            "--nodefault",
            "--norestore",
            "--nolockcheck",
            "--convert-to",
            "docx:MS Word 2007 XML",
            "--outdir",
            str(folder / "out"),
            str(source),
        ]
        # HOME in the temporary folder too: LibreOffice writes caches there, and the web server's user may have none.
        environment = {**os.environ, "HOME": work, "TMPDIR": work}
        try:
            process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                cwd=work,
                env=environment,
                start_new_session=True,  # its own process group, so a timeout kills soffice.bin with its launcher
            )
        except OSError:
            raise DocumentError(MSG_NO_LIBREOFFICE.format(kind=kind)) from None
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise DocumentError(MSG_CONVERT_TIMEOUT.format(kind=kind, seconds=f"{timeout:g}")) from None
        finally:
            _kill_group(process)
        result = folder / "out" / "source.docx"
        if not result.is_file() or result.stat().st_size == 0:
            raise DocumentError(MSG_CONVERT_FAILED.format(kind=kind))
        return result.read_bytes()


@contextlib.contextmanager
def _conversion_slot(timeout: float, kind: str):
    """One of PORTAL_IMPORT_CONVERSIONS slots (default 2, one a core here) shared by every process of the server,
    held for the conversion: simultaneous uploads wait their turn (up to the time limit) instead of starting a
    LibreOffice each. A slot is a lock on a file, released by the system if the process dies."""
    try:
        slots = max(int(os.environ.get(SLOTS_ENV, DEFAULT_SLOTS)), 1)
    except ValueError:
        slots = DEFAULT_SLOTS
    folder = Path(tempfile.gettempdir()) / "portal-convert-slots"
    folder.mkdir(exist_ok=True)
    deadline = time.monotonic() + timeout
    while True:
        for slot in range(slots):
            handle = open(folder / f"{slot}.lock", "a")  # noqa: SIM115 - held until the conversion ends
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                handle.close()
                continue
            try:
                yield
            finally:
                handle.close()  # closing releases the lock
            return
        if time.monotonic() >= deadline:
            raise DocumentError(MSG_BUSY.format(kind=kind))
        time.sleep(0.2)


def _kill_group(process: subprocess.Popen) -> None:
    """Kill what is left of the conversion's process group (nothing, when soffice exited by itself) and reap it."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
