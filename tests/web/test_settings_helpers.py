"""Settings come from the environment through strict helpers that fail loudly."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from brobygger.web.lib.crypto import new_key
from brobygger.web.lib.env import Env, SettingError, check_database_url, check_secret_key

REPO = Path(__file__).resolve().parents[2]


def test_booleans_accept_the_usual_spellings_and_refuse_typos():
    env = Env({"A": "yes", "B": "0", "C": "ture"})
    assert env.bool("A", default=False) is True
    assert env.bool("B", default=True) is False
    assert env.bool("MISSING", default=True) is True
    with pytest.raises(SettingError, match="C"):
        env.bool("C", default=False)


def test_a_secret_is_required_unless_debug_gives_a_dev_default():
    env = Env({})
    assert env.str("SECRET_KEY", dev_default="dev", debug=True) == "dev"
    with pytest.raises(SettingError, match="SECRET_KEY: is required"):
        env.str("SECRET_KEY", dev_default="dev", debug=False)


def test_lists_are_comma_separated():
    assert Env({"H": "a.dk, b.dk,,"}).list("H") == ["a.dk", "b.dk"]


def test_whole_numbers_are_checked():
    with pytest.raises(SettingError):
        Env({"N": "12s"}).int("N", default=1)


def test_a_whole_number_may_have_a_least_value():
    env = Env({"N": "-1", "M": "2"})
    assert env.int("M", default=0, minimum=0) == 2
    assert env.int("MISSING", default=0, minimum=0) == 0
    with pytest.raises(SettingError, match="N: expected a whole number of at least 0"):
        env.int("N", default=0, minimum=0)


def test_a_weak_secret_key_is_refused_in_production_only():
    assert check_secret_key("short", debug=True) == "short"
    with pytest.raises(SettingError):
        check_secret_key("short", debug=False)


def test_only_sqlite_and_postgres_urls_are_accepted():
    check_database_url("postgres://u@h:5432/db")
    with pytest.raises(SettingError):
        check_database_url("mysql://u@h/db")


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items()
            if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "BROBYGGER_CPR_KEY"}}
    return subprocess.run([sys.executable, str(REPO / "manage.py"), *args],
                          env={**base, **env}, capture_output=True, text=True, cwd=REPO,
                          timeout=120)


def test_production_refuses_to_start_without_a_secret_key():
    result = _manage({"DEBUG": "0"}, "check")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = _manage(
        {"DEBUG": "0", "SECRET_KEY": "k" * 20 + "abcdefghij" * 4, "ALLOWED_HOSTS": "bro.example.dk",
         "BROBYGGER_CPR_KEY": new_key(), "BROBYGGER_VAR_DIR": str(tmp_path)},
        "check", "--deploy", "--fail-level", "WARNING",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
