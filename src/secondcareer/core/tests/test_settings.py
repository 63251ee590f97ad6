import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from secondcareer.core.env import check_production, env_bool, env_int, env_str


def _import_settings(**env: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "DATABASE_URL"}
    }
    clean.update(env)
    return subprocess.run(
        [sys.executable, "-c", "import secondcareer.config.settings as s; print(s.DEBUG)"],
        env=clean,
        capture_output=True,
        text=True,
        check=False,
    )


def test_production_refuses_to_start_with_debug_on():
    result = _import_settings(SECONDCAREER_ENV="production", DEBUG="1", SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DEBUG is on" in result.stderr


def test_production_refuses_to_start_with_the_default_secret_key():
    result = _import_settings(SECONDCAREER_ENV="production", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_starts_with_debug_off_and_a_real_secret():
    result = _import_settings(SECONDCAREER_ENV="production", DEBUG="0", SECRET_KEY="s3cret-" * 8)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_check_production_ignores_development():
    check_production(environment="development", debug=True, secret_key="dev", default_secret="dev")
    with pytest.raises(ImproperlyConfigured):
        check_production(
            environment="production", debug=False, secret_key="short", default_secret="dev"
        )


def test_env_helpers_read_typed_values_and_secret_files(monkeypatch, tmp_path):
    monkeypatch.setenv("SC_FLAG", "yes")
    monkeypatch.setenv("SC_NUM", "42")
    secret = tmp_path / "secret"
    secret.write_text("from-a-file\n", encoding="utf-8")
    monkeypatch.setenv("SC_SECRET_FILE", str(secret))
    assert env_bool("SC_FLAG", False) is True
    assert env_int("SC_NUM", 0) == 42
    assert env_str("SC_SECRET", "default") == "from-a-file"
    monkeypatch.setenv("SC_NUM", "forty-two")
    with pytest.raises(ImproperlyConfigured, match="SC_NUM"):
        env_int("SC_NUM", 0)
