"""Configuration: config.toml for settings, checked in one place at load; the environment for secrets and overrides."""

import difflib
import json
import os
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from intents.dates.quiet import Quiet, parse_nights
from intents.dates.reminders import parse_digest, parse_offset
from store.series import DEFAULT_WINDOW_DAYS

DEFAULT_CONFIG = Path("config.toml")
LOG_LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR")
LOG_FORMATS = ("text", "json")
MAX_OFFSET_SECONDS = 30 * 86400        # a reminder more than 30 days ahead is a typo, not a plan
WEEK_MINUTES = 7 * 24 * 60


class ConfigError(Exception):
    """The configuration file or an environment variable is malformed."""


@dataclass
class Config:
    """Settings the edge needs to wire the store, the engine and the adapters."""

    db_path: Path = Path("tfbot.db")
    timezone: str = "Asia/Seoul"
    admins: set[int] = field(default_factory=set)
    invite_days: int = 7
    stale_days: int = 14
    undo_minutes: int = 10
    confirm_minutes: int = 5
    follow_up_minutes: int = 5
    reminder_offsets: list[str] = field(default_factory=lambda: ["1d", "1h"])   # each checked by parse_offset
    digest: str = "mon 09:00"                                                   # checked by parse_digest
    deadline_offsets: list[str] = field(default_factory=lambda: ["3d", "1d"])   # before a due date
    deadline_at: str = "09:00"            # the time of day deadline reminders and overdue nudges go
    due_soon_days: int = 14               # "마감 임박" and the digest: what is due within this many days
    quiet_nights: str = "21:00-08:00"     # no nudge, deadline reminder or digest then ("": none)
    quiet_weekends: bool = True
    quiet_holidays: bool = True
    window_days: int = DEFAULT_WINDOW_DAYS   # recurring meetings' occurrences expanded (and reminded) this far
    concurrent_updates: int = 16
    log_level: str = "INFO"
    log_format: str = "text"
    token: str | None = None
    api_base_url: str | None = None
    web_host: str = "127.0.0.1"
    web_port: int = 8001
    web_user: str = "tf"
    web_password: str | None = None   # TFBOT_WEB_PASSWORD: a login for `tfbot web` (required off 127.0.0.1)

    @property
    def tz(self) -> ZoneInfo:
        """The configured timezone."""
        return ZoneInfo(self.timezone)

    @property
    def quiet(self) -> Quiet:
        """The quiet hours: nights, and weekends and public holidays when configured so."""
        nights = parse_nights(self.quiet_nights)
        return Quiet(nights[0] if nights else None, nights[1] if nights else None, self.quiet_weekends,
                     self.quiet_holidays)

    @property
    def deadline_time(self) -> time:
        """The time of day deadline reminders go."""
        return time.fromisoformat(self.deadline_at)


# --- the schema: every section, every key, the Config field it sets and how its value is checked ----------
Check = Callable[[Any], Any]   # returns the value to keep; raises ValueError saying what is expected


def _shown(value: Any) -> str:
    """A value as the operator wrote it in TOML (strings quoted)."""
    return json.dumps(value, ensure_ascii=False, default=str)


def _integer(low: int, high: int) -> Check:
    def check(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(f"정수여야 합니다 ({low}~{high})")
        if not low <= value <= high:
            raise ValueError(f"{low} 이상 {high} 이하여야 합니다")
        return value
    return check


def _choice(options: tuple[str, ...], fold: Callable[[str], str] = str) -> Check:
    def check(value: Any) -> str:
        if not isinstance(value, str) or fold(value) not in options:
            raise ValueError(f"{', '.join(_shown(o) for o in options)} 중 하나여야 합니다")
        return fold(value)
    return check


def _path(value: Any) -> Path:
    if not isinstance(value, str) or not value.strip():
        raise ValueError('파일 경로 문자열이어야 합니다 (예: "tfbot.db")')
    return Path(value)


def _timezone(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError('시간대 이름 문자열이어야 합니다 (예: "Asia/Seoul")')
    try:
        ZoneInfo(value)
    except (ValueError, KeyError, OSError) as exc:   # ZoneInfoNotFoundError is a KeyError
        raise ValueError('알 수 없는 시간대입니다 (예: "Asia/Seoul")') from exc
    return value


def _admins(value: Any) -> set[int]:
    if not isinstance(value, list) or any(isinstance(a, bool) or not isinstance(a, int) or a <= 0 for a in value):
        raise ValueError("텔레그램 사용자 ID(양의 정수)의 목록이어야 합니다 (예: [123456789])")
    return set(value)


def _offsets(value: Any) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(o, str) for o in value):
        raise ValueError('문자열 목록이어야 합니다 (예: ["1d", "1h"])')
    for offset in value:
        try:
            seconds = parse_offset(offset)
        except ValueError:
            raise ValueError(f"{_shown(offset)}는 알림 시점이 아닙니다: 1d, 1h, 30m, 10s처럼 씁니다") from None
        if not 0 < seconds <= MAX_OFFSET_SECONDS:
            raise ValueError(f"{_shown(offset)}: 알림 시점은 1s 이상 30d 이하여야 합니다")
    return list(value)


def _host(value: Any) -> str:
    if not isinstance(value, str) or not value.strip() or any(c.isspace() for c in value):
        raise ValueError('주소 문자열이어야 합니다 (예: "127.0.0.1")')
    return value


def _login_name(value: Any) -> str:
    if not isinstance(value, str) or not value or ":" in value or any(c.isspace() for c in value):
        raise ValueError('빈칸과 콜론(:) 없는 사용자 이름이어야 합니다 (예: "tf")')
    return value


def _digest(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError('요일과 시각 문자열이어야 합니다 (예: "mon 09:00")')
    try:
        parse_digest(value)
    except ValueError:
        raise ValueError('요일(mon~sun)과 00:00~23:59 시각이어야 합니다 (예: "mon 09:00")') from None
    return value


def _time_of_day(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError('시각 문자열이어야 합니다 (예: "09:00")')
    try:
        time.fromisoformat(value)
    except ValueError:
        raise ValueError('00:00~23:59 시각이어야 합니다 (예: "09:00", 초까지: "09:00:30")') from None
    return value


def _nights(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError('"시작-끝" 시각 문자열이어야 합니다 (예: "21:00-08:00", 없으면 "")')
    try:
        parse_nights(value)
    except ValueError:
        raise ValueError('"21:00-08:00"처럼 시작과 끝 시각이어야 합니다 (없으면 "")') from None
    return value


def _flag(value: Any) -> bool:
    if not isinstance(value, bool):
        raise ValueError("true 또는 false여야 합니다")
    return value


@dataclass(frozen=True)
class Key:
    """One key of config.toml: the Config field it sets and the check its value must pass."""

    field: str
    check: Check


SCHEMA: dict[str, dict[str, Key]] = {
    "store": {"path": Key("db_path", _path)},
    "time": {"timezone": Key("timezone", _timezone)},
    "access": {"admins": Key("admins", _admins), "invite_days": Key("invite_days", _integer(1, 365))},
    "progress": {"stale_days": Key("stale_days", _integer(1, 3650)),
                 "undo_minutes": Key("undo_minutes", _integer(0, WEEK_MINUTES)),
                 "confirm_minutes": Key("confirm_minutes", _integer(1, WEEK_MINUTES))},
    "conversation": {"follow_up_minutes": Key("follow_up_minutes", _integer(0, WEEK_MINUTES))},
    "reminders": {"offsets": Key("reminder_offsets", _offsets), "digest": Key("digest", _digest),
                  "window_days": Key("window_days", _integer(1, 366))},
    "deadlines": {"offsets": Key("deadline_offsets", _offsets), "at": Key("deadline_at", _time_of_day),
                  "soon_days": Key("due_soon_days", _integer(1, 365))},
    "quiet": {"nights": Key("quiet_nights", _nights), "weekends": Key("quiet_weekends", _flag),
              "holidays": Key("quiet_holidays", _flag)},
    "telegram": {"concurrent_updates": Key("concurrent_updates", _integer(1, 256))},
    "web": {"host": Key("web_host", _host), "port": Key("web_port", _integer(0, 65535)),
            "user": Key("web_user", _login_name)},
    "logging": {"level": Key("log_level", _choice(LOG_LEVELS, str.upper)),
                "format": Key("log_format", _choice(LOG_FORMATS, str.lower))},
}
REMOVED = {   # settings that no longer exist, and what replaced them
    ("telegram", "group_chat_id"): "TF 그룹은 그룹 채팅에서 /bind로 지정하고 데이터베이스에 저장됩니다. "
                                   "이 줄을 지우세요",
    ("telegram", "http"): "Bot API 전송은 aiohttp 하나뿐입니다 (README의 측정 참고). 이 줄을 지우세요",
}


def _did_you_mean(name: str, options: list[str], kind: str, shown: Callable[[str], str] = str) -> str:
    """A near miss among the options (difflib), or the list of them when none is near."""
    close = difflib.get_close_matches(name, options, n=1)
    return f" (혹시 {shown(close[0])}?)" if close else f" ({kind}: {', '.join(shown(o) for o in options)})"


def _home_of(key: str) -> str | None:
    """The section a key belongs to, when it is a key of some section."""
    return next((section for section, keys in SCHEMA.items() if key in keys), None)


def _apply(data: dict[str, Any], cfg: Config, where: str) -> None:
    """Check every section and key of a parsed config file and set the Config fields they name."""
    for section, table in data.items():
        if section not in SCHEMA:
            if not isinstance(table, dict):   # a key written above every section
                if home := _home_of(section):
                    raise ConfigError(f"{where}: {section} — [{home}] 섹션 아래에 써야 합니다")
                every = [key for keys in SCHEMA.values() for key in keys]
                raise ConfigError(f"{where}: {section} — 알 수 없는 설정입니다"
                                  f"{_did_you_mean(section, every, '키', lambda k: f'[{_home_of(k)}] {k}')}")
            raise ConfigError(f"{where}: [{section}] — 알 수 없는 섹션입니다"
                              f"{_did_you_mean(section, list(SCHEMA), '섹션', lambda s: f'[{s}]')}")
        if not isinstance(table, dict):
            raise ConfigError(f"{where}: {section} = {_shown(table)} — 섹션이어야 합니다 ([{section}] 줄 아래에 "
                              f"씁니다: {', '.join(SCHEMA[section])})")
        keys = SCHEMA[section]
        for key, value in table.items():
            if (section, key) in REMOVED:
                raise ConfigError(f"{where}: [{section}] {key} — 더 이상 쓰지 않는 설정입니다: {REMOVED[section, key]}")
            if key not in keys:
                home = _home_of(key)
                hint = f" ([{home}] 섹션의 키입니다)" if home else _did_you_mean(key, list(keys), "이 섹션의 키")
                raise ConfigError(f"{where}: [{section}] {key} — 알 수 없는 키입니다{hint}")
            try:
                setattr(cfg, keys[key].field, keys[key].check(value))
            except ValueError as exc:
                raise ConfigError(f"{where}: [{section}] {key} = {_shown(value)} — {exc}") from None


def _read(path: Path, named_by: str | None) -> dict[str, Any]:
    """The parsed TOML file; {} when the default file is absent, ConfigError when a named one is."""
    if not path.exists():
        if named_by is None:
            return {}
        raise ConfigError(f"{path}: 설정 파일이 없습니다 ({named_by}로 지정됨)")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: TOML 문법 오류: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: 설정 파일을 읽을 수 없습니다: {exc}") from None


def _ids(text: str) -> set[int]:
    try:
        ids = {int(part) for part in text.replace(" ", "").split(",") if part}
    except ValueError:
        ids = {0}
    if any(i <= 0 for i in ids):
        raise ConfigError(f"TFBOT_ADMINS must be comma-separated positive numeric user ids, got {text!r}")
    return ids


def load_config(path: str | Path | None = None, db: str | Path | None = None,
                env: dict[str, str] | None = None) -> Config:
    """Read and check config.toml (if present), then apply the environment and command-line overrides."""
    env = dict(os.environ) if env is None else env
    named_by = "--config" if path else "TFBOT_CONFIG" if env.get("TFBOT_CONFIG") else None
    file = Path(path or env.get("TFBOT_CONFIG") or DEFAULT_CONFIG)
    cfg = Config()
    _apply(_read(file, named_by), cfg, str(file))
    cfg.admins |= _ids(env.get("TFBOT_ADMINS", ""))
    cfg.db_path = Path(db or env.get("TFBOT_DB") or cfg.db_path)
    cfg.token = env.get("TFBOT_TOKEN") or None
    cfg.api_base_url = env.get("TFBOT_API_BASE_URL") or None
    cfg.web_password = env.get("TFBOT_WEB_PASSWORD") or None
    return cfg
