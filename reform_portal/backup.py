"""Whole-portal backups: the database (SQLite through its backup API, PostgreSQL through
pg_dump) and the uploaded files, in one .tar.gz with a manifest of what it holds.

A restore goes into the database the settings name, which should be empty (a fresh
PostgreSQL database, or a SQLite path with nothing at it); it refuses a backup made on
the other kind of database."""

import io
import json
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import connection
from django.utils import timezone

# The tables a manifest counts, so a restore can be checked against it.
COUNTED = ["tasks.Plan", "tasks.Task", "tasks.ProgressReport", "tasks.Evidence", "tasks.TaskEvent", "auth.User"]


class BackupError(Exception):
    pass


def counts() -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in COUNTED}


def _pg_env_and_url() -> tuple[dict, str]:
    db = connection.settings_dict
    env = {"PGPASSWORD": db.get("PASSWORD") or ""}
    url = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    return env, url


def _run(command: list[str], env: dict) -> None:
    import os

    result = subprocess.run(command, env={**os.environ, **env}, capture_output=True, text=True)
    if result.returncode != 0:
        raise BackupError(f"{command[0]} 失败：{result.stderr.strip()[:500]}")


def backup(directory: Path) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M%S")
    target = directory / f"portal-{connection.vendor}-{stamp}.tar.gz"
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        if connection.vendor == "sqlite":
            dump = scratch / "database.sqlite3"
            connection.ensure_connection()
            with sqlite3.connect(dump) as copy:
                connection.connection.backup(copy)  # a consistent copy while the portal runs
            copy.close()
        elif connection.vendor == "postgresql":
            dump = scratch / "database.pgdump"
            env, url = _pg_env_and_url()
            _run(["pg_dump", "--format=custom", "--no-owner", f"--file={dump}", url], env)
        else:
            raise BackupError(f"不支持的数据库：{connection.vendor}")
        manifest = {
            "vendor": connection.vendor,
            "created": timezone.localtime().isoformat(timespec="seconds"),
            "counts": counts(),
        }
        with tarfile.open(target, "w:gz") as archive:
            archive.add(dump, arcname=dump.name)
            media = Path(settings.MEDIA_ROOT)
            if media.exists():
                archive.add(media, arcname="media")
            data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
    return target


def restore(source: Path) -> dict:
    """Restore `source` into the configured (empty) database and media folder; returns
    the manifest, whose counts the caller may compare with `counts()`."""
    with tempfile.TemporaryDirectory() as scratch, tarfile.open(source, "r:gz") as archive:
        scratch = Path(scratch)
        archive.extractall(scratch, filter="data")
        manifest = json.loads((scratch / "manifest.json").read_text())
        if manifest["vendor"] != connection.vendor:
            raise BackupError(f"这是{manifest['vendor']}数据库的备份，不能恢复到{connection.vendor}。")
        if connection.vendor == "sqlite":
            connection.close()
            target = Path(connection.settings_dict["NAME"])
            if target.exists() and target.stat().st_size > 0:
                raise BackupError(f"{target} 已有数据：请恢复到一个新的文件。")
            with sqlite3.connect(scratch / "database.sqlite3") as dump, sqlite3.connect(target) as copy:
                dump.backup(copy)
        else:
            if connection.introspection.table_names():
                raise BackupError(f"数据库 {connection.settings_dict['NAME']} 已有数据：请恢复到一个新建的空数据库。")
            env, url = _pg_env_and_url()
            dump = str(scratch / "database.pgdump")
            _run(["pg_restore", "--no-owner", "--exit-on-error", "--single-transaction", f"--dbname={url}", dump], env)
        media = scratch / "media"
        if media.exists():
            shutil.copytree(media, settings.MEDIA_ROOT, dirs_exist_ok=True)
    return manifest
