"""Files that take long to make (LibreOffice converting a dozen documents) and depend only on
their inputs, made once and shared by every test process.

`make test` runs several processes per database and both databases side by side; without
this, each process that reaches such a fixture ran LibreOffice again. The folder is named by a
digest of the inputs, so changed inputs make a new one; the first process makes it under a
lock while the others wait, and later runs on the same checkout find it in var/."""

import fcntl
import hashlib
import os
import shutil
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1] / "var" / "test-files"


def made_once(name: str, inputs: Iterable[bytes], make: Callable[[Path], None]) -> Path:
    """The folder `make(folder)` fills, for these inputs; made by the first process to ask."""
    digest = hashlib.sha256()
    for data in inputs:
        digest.update(hashlib.sha256(data).digest())
    folder = ROOT / f"{name}-{digest.hexdigest()[:16]}"
    ROOT.mkdir(parents=True, exist_ok=True)
    with open(ROOT / f"{folder.name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not folder.is_dir():
            # Made beside it and renamed whole, so no process ever sees half of it.
            building = ROOT / f"{folder.name}.{os.getpid()}"
            shutil.rmtree(building, ignore_errors=True)
            building.mkdir()
            make(building)
            building.rename(folder)
    return folder
