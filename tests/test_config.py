"""config.toml and the environment: defaults, overrides and clear errors for malformed values."""

from pathlib import Path

import pytest

from bot.config import ConfigError, load_config


def write(tmp_path: Path, text: str) -> Path:
    """A config.toml with the given text."""
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_shipped_config_loads_with_the_aiohttp_transport() -> None:
    cfg = load_config(Path(__file__).resolve().parent.parent / "config.toml", env={})
    assert cfg.http == "aiohttp" and cfg.concurrent_updates == 16 and cfg.token is None


def test_the_transport_can_be_switched_to_httpx(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, '[telegram]\nhttp = "httpx"\n'), env={}).http == "httpx"


def test_an_unknown_transport_is_refused_by_name(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="'curl'"):
        load_config(write(tmp_path, '[telegram]\nhttp = "curl"\n'), env={})


def test_malformed_admin_ids_are_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="TFBOT_ADMINS"):
        load_config(tmp_path / "none.toml", env={"TFBOT_ADMINS": "12,abc"})
