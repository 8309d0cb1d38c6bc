"""seed_demo makes accounts with a published password and TOTP secret: it
refuses to run unless DEBUG is on or the operator says it is not production."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import override_settings

from accounts.models import User
from organisations.models import Organisation


@override_settings(DEBUG=False)
def test_seed_demo_refuses_without_debug(db: None) -> None:
    with pytest.raises(CommandError, match="--i-know-this-is-not-production"):
        call_command("seed_demo", stdout=StringIO())

    assert not Organisation.objects.exists()
    assert not User.objects.exists()


def test_seed_demo_exits_with_an_error_code_from_the_command_line(tmp_path: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_DEBUG", "DATABASE_URL"}}
    env["DJANGO_SETTINGS_MODULE"] = "samenspraak.settings_test"
    # Should the guard fail, the demo lands in a throwaway database.
    env["SQLITE_PATH"] = str(tmp_path / "production.sqlite3")
    result = subprocess.run(
        [sys.executable, "manage.py", "seed_demo"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert result.returncode != 0
    assert "published in the README" in result.stderr
    assert "Demo organisations created" not in result.stdout


@override_settings(DEBUG=False)
def test_seed_demo_runs_when_told_it_is_not_production(db: None) -> None:
    out = StringIO()

    call_command("seed_demo", "--i-know-this-is-not-production", stdout=out)

    assert "Demo organisations created." in out.getvalue()
    assert Organisation.objects.filter(slug="rivierstad").exists()


@override_settings(DEBUG=True)
def test_seed_demo_runs_with_debug_as_make_run_sets_it(db: None) -> None:
    out = StringIO()

    call_command("seed_demo", stdout=out)

    assert Organisation.objects.filter(slug="rivierstad").exists()
    assert User.objects.filter(username="sanne").exists()
