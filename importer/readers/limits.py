"""Run a reader in a child process with a memory and a time limit.

A reader built on a C library (pdfium) inflates whatever the file asks it to: a 1.5 MB PDF whose page content
inflates to 1.5 GB took 7 s and 2.6 GB of memory in the web worker (issue 17: a small file must not take the
server down). The child is forked, so it starts with the parent's modules loaded (no start-up cost beyond the
fork), gets an address-space limit above what the parent already uses, and is killed when the time is up. What
it returns or the DocumentError it raises comes back through a pipe; anything else (a crash, the memory limit)
becomes the caller's message.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import resource
import select
import signal
import time
from collections.abc import Callable
from typing import TypeVar

from .base import DocumentError

Result = TypeVar("Result")

MSG_TOO_LARGE_INSIDE = "文件中的内容解压后过大（超过{megabytes} MB），无法导入。"
MSG_DIED = "无法读取这个文件：文件已损坏，或其中的内容解压后过大。"
MSG_TOO_SLOW = "读取文件超过{seconds}秒仍未完成，已停止。文件可能过于复杂或已损坏。"

MEMORY_MEGABYTES = 1024  # on top of what the process already maps
SECONDS = 30


def run_limited(
    reader: Callable[[bytes], Result],
    data: bytes,
    *,
    broken: str,
    megabytes: int | None = None,
    seconds: float | None = None,
) -> Result:
    """reader(data) in a forked child under the limits (by default MEMORY_MEGABYTES and SECONDS). broken: the
    message for an error the reader did not explain. os.fork rather than multiprocessing: a daemonic process (a
    Celery pool worker) may not start multiprocessing children."""
    megabytes = MEMORY_MEGABYTES if megabytes is None else megabytes
    seconds = SECONDS if seconds is None else seconds
    if not hasattr(os, "fork"):  # not on a POSIX system: read in-process, without limits
        return reader(data)
    reading, writing = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns, never runs the parent's exit handlers
        try:
            os.close(reading)
            _child(writing, reader, data, megabytes)
        finally:
            os._exit(0)
    os.close(writing)
    try:
        payload = _receive(reading, seconds)
    finally:
        os.close(reading)
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    if payload is None:
        raise DocumentError(MSG_TOO_SLOW.format(seconds=f"{seconds:g}"))
    try:
        outcome, value = pickle.loads(payload)
    except Exception:  # nothing or half a message: it died (a C library aborts when memory runs out) or crashed
        raise DocumentError(MSG_DIED) from None
    if outcome == "ok":
        return value
    if outcome == "memory":
        raise DocumentError(MSG_TOO_LARGE_INSIDE.format(megabytes=megabytes))
    raise DocumentError(value if outcome == "refused" else broken)


def _receive(reading: int, seconds: float) -> bytes | None:
    """All the child writes until it closes the pipe; None when the time runs out first."""
    deadline = time.monotonic() + seconds
    chunks: list[bytes] = []
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0 or not select.select([reading], [], [], remaining)[0]:
            return None
        chunk = os.read(reading, 1 << 20)
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)


def _child(writing: int, reader: Callable[[bytes], object], data: bytes, megabytes: int) -> None:
    # pdfium aborts when memory runs out; that is this limit working, not a crash to dump a traceback for.
    faulthandler.disable()
    with contextlib.suppress(ValueError, OSError):  # a platform without RLIMIT_AS reads without the limit
        limit = _mapped_bytes() + megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    try:
        message: tuple[str, object] = ("ok", reader(data))
    except DocumentError as error:
        message = ("refused", str(error))
    except MemoryError:
        message = ("memory", "")
    except Exception:  # a C library's error surfacing as anything: the file is broken, whatever the type
        message = ("broken", "")
    try:
        payload = pickle.dumps(message)
    except MemoryError:
        payload = pickle.dumps(("memory", ""))
    with os.fdopen(writing, "wb") as pipe:
        pipe.write(payload)


def _mapped_bytes() -> int:
    """The address space this process maps now (VmSize), from /proc; 0 where there is no /proc."""
    try:
        with open("/proc/self/statm", encoding="ascii") as statm:
            return int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        return 0
