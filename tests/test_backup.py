"""make backup / make restore: a backup restored into an empty database holds everything,
and `make check-deploy` passes on the production settings."""

import os
import subprocess
import sys
import tarfile
import uuid
from io import StringIO
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection

from reform_portal.backup import counts

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.django_db(transaction=True)


def manage(*args, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "reform_portal.settings.test", **env},
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture
def empty_database(tmp_path):
    """A database with nothing in it, of the same kind as the suite's."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"
        return
    name = f"restore_{uuid.uuid4().hex[:10]}"
    server = f"postgresql://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    with psycopg.connect(f"{server}/postgres", autocommit=True, password=db["PASSWORD"] or None) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    with psycopg.connect(f"{server}/postgres", autocommit=True, password=db["PASSWORD"] or None) as admin:
        admin.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


def test_a_backup_restored_into_an_empty_database_finds_everything(tmp_path, empty_database):
    call_command("generate_demo_data", tasks=300, departments=8, seed=4, stdout=StringIO())
    evidence = Path(settings.MEDIA_ROOT) / "evidence" / "2026" / "11" / "职权清单.pdf"
    evidence.parent.mkdir(parents=True, exist_ok=True)
    evidence.write_bytes(b"%PDF-1.4\n%%EOF\n")
    before = counts()
    assert before["tasks.Task"] > 300 and before["tasks.ProgressReport"] > 0

    out = StringIO()
    call_command("backup_portal", output=str(tmp_path / "backups"), stdout=out)
    archive = Path(out.getvalue().strip())
    with tarfile.open(archive) as tar:
        names = tar.getnames()
    assert "manifest.json" in names and "media/evidence/2026/11/职权清单.pdf" in names

    media = tmp_path / "restored-media"
    restored = manage("restore_portal", str(archive), env={"DATABASE_URL": empty_database, "MEDIA_ROOT": str(media)})
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.strip().endswith(f"restored: {archive.name}")
    for label, n in before.items():
        assert f"{label}: {n} / {n}" in restored.stdout
    assert (media / "evidence" / "2026" / "11" / "职权清单.pdf").read_bytes() == b"%PDF-1.4\n%%EOF\n"
    # The restored portal works: its migrations are all there and a demo account signs in.
    check = manage("migrate", "--check", env={"DATABASE_URL": empty_database})
    assert check.returncode == 0, check.stdout + check.stderr


def test_a_restore_refuses_a_database_that_is_not_empty(tmp_path):
    out = StringIO()
    call_command("backup_portal", output=str(tmp_path), stdout=out)
    if connection.vendor == "sqlite":
        target = tmp_path / "full.sqlite3"
        target.write_bytes(Path(connection.settings_dict["NAME"]).read_bytes())
        url = f"sqlite:///{target}"
    else:
        db = connection.settings_dict
        url = f"postgres://{db['USER']}:{db['PASSWORD']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    result = manage("restore_portal", out.getvalue().strip(), env={"DATABASE_URL": url, "MEDIA_ROOT": str(tmp_path)})
    assert result.returncode != 0
    assert "已有数据" in result.stderr


def test_check_deploy_passes_on_the_production_settings():
    result = subprocess.run(["scripts/check-deploy.sh"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
