"""Configuration: config.toml for settings, the environment for secrets and overrides."""

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

DEFAULT_CONFIG = Path("config.toml")
HTTP_CLIENTS = ("aiohttp", "httpx")   # the Bot API transport: ours over aiohttp, or PTB's default


class ConfigError(Exception):
    """The configuration file or an environment variable is malformed."""


@dataclass
class Config:
    """Settings the edge needs to wire the store, the engine and the adapters."""

    db_path: Path = Path("tfbot.db")
    timezone: str = "Asia/Seoul"
    admins: set[int] = field(default_factory=set)
    stale_days: int = 14
    undo_minutes: int = 10
    confirm_minutes: int = 5
    follow_up_minutes: int = 5
    reminder_offsets: list[str] = field(default_factory=lambda: ["1d", "1h"])
    digest: str = "mon 09:00"
    group_chat_id: int = 0
    concurrent_updates: int = 16
    http: str = "aiohttp"
    token: str | None = None
    api_base_url: str | None = None

    @property
    def tz(self) -> ZoneInfo:
        """The configured timezone."""
        return ZoneInfo(self.timezone)


def _ids(text: str) -> set[int]:
    try:
        return {int(part) for part in text.replace(" ", "").split(",") if part}
    except ValueError as exc:
        raise ConfigError(f"TFBOT_ADMINS must be comma-separated numeric user ids, got {text!r}") from exc


def load_config(path: str | Path | None = None, db: str | Path | None = None,
                env: dict[str, str] | None = None) -> Config:
    """Read config.toml (if present), then apply the environment and command-line overrides."""
    env = dict(os.environ) if env is None else env
    path = Path(path or env.get("TFBOT_CONFIG") or DEFAULT_CONFIG)
    data: dict[str, Any] = {}
    if path.exists():
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: {exc}") from exc
    cfg = Config()
    store = data.get("store", {})
    cfg.db_path = Path(db or env.get("TFBOT_DB") or store.get("path", cfg.db_path))
    cfg.timezone = data.get("time", {}).get("timezone", cfg.timezone)
    try:
        cfg.tz  # noqa: B018 - validate the zone name now
    except Exception as exc:
        raise ConfigError(f"unknown timezone {cfg.timezone!r}") from exc
    cfg.admins = {int(a) for a in data.get("access", {}).get("admins", [])} | _ids(env.get("TFBOT_ADMINS", ""))
    progress = data.get("progress", {})
    cfg.stale_days = int(progress.get("stale_days", cfg.stale_days))
    cfg.undo_minutes = int(progress.get("undo_minutes", cfg.undo_minutes))
    cfg.confirm_minutes = int(progress.get("confirm_minutes", cfg.confirm_minutes))
    cfg.follow_up_minutes = int(data.get("conversation", {}).get("follow_up_minutes", cfg.follow_up_minutes))
    if cfg.follow_up_minutes < 0:
        raise ConfigError(f"[conversation] follow_up_minutes must be 0 or more, got {cfg.follow_up_minutes}")
    reminders = data.get("reminders", {})
    cfg.reminder_offsets = list(reminders.get("offsets", cfg.reminder_offsets))
    cfg.digest = str(reminders.get("digest", cfg.digest))
    telegram = data.get("telegram", {})
    cfg.group_chat_id = int(telegram.get("group_chat_id", 0))
    cfg.concurrent_updates = int(telegram.get("concurrent_updates", cfg.concurrent_updates))
    cfg.http = str(telegram.get("http", cfg.http))
    if cfg.http not in HTTP_CLIENTS:
        raise ConfigError(f"[telegram] http must be one of {', '.join(HTTP_CLIENTS)}, got {cfg.http!r}")
    cfg.token = env.get("TFBOT_TOKEN") or None
    cfg.api_base_url = env.get("TFBOT_API_BASE_URL") or None
    return cfg
