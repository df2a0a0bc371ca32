"""Production settings pass Django's deployment checks with nothing to warn about."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

ROOT = Path(__file__).resolve().parents[3]


def test_check_deploy_reports_nothing_under_production_settings(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "MACA_DEBUG": "false",
        "MACA_SECRET_KEY": secrets.token_urlsafe(50),
        "MACA_IDENTIFIER_KEYS": Fernet.generate_key().decode(),
        "MACA_ALLOWED_HOSTS": "audits.example.org",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        "MACA_STATIC_ROOT": str(tmp_path / "static"),
    }
    for name in (
        "MACA_TASKS_IMMEDIATE",
        "MACA_EMAIL_BACKEND",
        "MACA_SSL_REDIRECT",
        "DJANGO_ALLOW_ASYNC_UNSAFE",
    ):
        env.pop(name, None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
