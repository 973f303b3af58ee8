"""config.toml and the environment: defaults, overrides and one clear line for every malformed value."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import Config, ConfigError, load_config

ROOT = Path(__file__).resolve().parent.parent


def write(tmp_path: Path, text: str) -> Path:
    """A config.toml with the given text."""
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(tmp_path: Path, text: str) -> str:
    """The ConfigError message for a config file with the given text (which must be refused)."""
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    message = str(caught.value)
    assert message.startswith(f"{path}: ") and "\n" not in message, "one line, naming the file first"
    return message


def test_the_shipped_config_loads() -> None:
    cfg = load_config(ROOT / "config.toml", env={})
    assert cfg.concurrent_updates == 16 and cfg.token is None
    assert (cfg.log_level, cfg.log_format) == ("INFO", "text")


def test_every_key_of_the_shipped_config_is_read(tmp_path: Path) -> None:
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    for old, new in (("stale_days = 14", "stale_days = 21"), ('offsets = ["1d", "1h"]', 'offsets = ["2h"]'),
                     ('digest = "mon 09:00"', 'digest = "friday 17:30"'), ("admins = []", "admins = [77]"),
                     ('level = "INFO"', 'level = "debug"'), ('format = "text"', 'format = "json"'),
                     ("follow_up_minutes = 5", "follow_up_minutes = 0"), ('path = "tfbot.db"', 'path = "x.db"'),
                     ('host = "127.0.0.1"', 'host = "::1"'), ("port = 8001", "port = 8002"),
                     ('user = "tf"', 'user = "tf-office"')):
        assert old in text
        text = text.replace(old, new)
    cfg = load_config(write(tmp_path, text), env={"TFBOT_ADMINS": "78"})
    assert (cfg.stale_days, cfg.reminder_offsets, cfg.digest, cfg.admins) == (21, ["2h"], "friday 17:30", {77, 78})
    assert (cfg.log_level, cfg.log_format, cfg.follow_up_minutes, cfg.db_path) == ("DEBUG", "json", 0, Path("x.db"))
    assert (cfg.web_host, cfg.web_port, cfg.web_user, cfg.web_password) == ("::1", 8002, "tf-office", None)


def test_the_web_settings_are_checked(tmp_path: Path) -> None:
    assert "[web] port = 80001 — 0 이상 65535 이하" in refusal(tmp_path, "[web]\nport = 80001\n")
    assert "콜론(:) 없는 사용자 이름" in refusal(tmp_path, '[web]\nuser = "tf:x"\n')
    assert "[web] hots — 알 수 없는 키입니다 (혹시 host?)" in refusal(tmp_path, '[web]\nhots = "0.0.0.0"\n')
    cfg = load_config(write(tmp_path, ""), env={"TFBOT_WEB_PASSWORD": "tf-secret-1"})
    assert cfg.web_password == "tf-secret-1"


def test_no_config_file_in_the_working_directory_means_the_defaults(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert load_config(env={}) == Config()


def test_the_removed_transport_setting_is_refused_with_what_to_do(tmp_path: Path) -> None:
    message = refusal(tmp_path, '[telegram]\nhttp = "httpx"\n')
    assert "[telegram] http — 더 이상 쓰지 않는 설정입니다" in message and "aiohttp 하나뿐" in message


def test_malformed_admin_ids_are_refused() -> None:
    for bad in ("12,abc", "12,-5", "0"):
        with pytest.raises(ConfigError, match="TFBOT_ADMINS"):
            load_config(os.devnull, env={"TFBOT_ADMINS": bad})


@pytest.mark.parametrize(("text", "expected"), [
    ("[reminders]\noffsets = 5\n", '[reminders] offsets = 5 — 문자열 목록이어야 합니다'),
    ('[progress]\nstale_days = "x"\n', '[progress] stale_days = "x" — 정수여야 합니다'),
    ("[progress]\nstale_days = true\n", "[progress] stale_days = true — 정수여야 합니다"),
    ('[access]\nadmins = ["x"]\n', '[access] admins = ["x"] — 텔레그램 사용자 ID(양의 정수)의 목록'),
    ("[access]\nadmins = [-5]\n", "[access] admins = [-5] — 텔레그램 사용자 ID(양의 정수)의 목록"),
    ("time = 3\n", "time = 3 — 섹션이어야 합니다 ([time] 줄 아래에"),
    ("[time]\ntimezone = 9\n", "[time] timezone = 9 — 시간대 이름 문자열이어야"),
    ('[time]\ntimezone = "Seoul/Mars"\n', '[time] timezone = "Seoul/Mars" — 알 수 없는 시간대'),
    ("[store]\npath = 3\n", "[store] path = 3 — 파일 경로 문자열"),
    ('[logging]\nlevel = "LOUD"\n', '[logging] level = "LOUD" — "DEBUG", "INFO", "WARNING", "ERROR" 중 하나'),
    ('[logging]\nformat = "xml"\n', '[logging] format = "xml" — "text", "json" 중 하나'),
])
def test_a_value_of_the_wrong_type_is_refused_with_its_section_and_key(tmp_path: Path, text: str,
                                                                      expected: str) -> None:
    assert expected in refusal(tmp_path, text)


@pytest.mark.parametrize(("text", "expected"), [
    ("[progress]\nstale_days = -3\n", "[progress] stale_days = -3 — 1 이상 3650 이하"),
    ("[progress]\nstale_days = 0\n", "[progress] stale_days = 0 — 1 이상 3650 이하"),
    ("[progress]\nundo_minutes = -1\n", "[progress] undo_minutes = -1 — 0 이상 10080 이하"),
    ("[progress]\nconfirm_minutes = 0\n", "[progress] confirm_minutes = 0 — 1 이상 10080 이하"),
    ("[conversation]\nfollow_up_minutes = -5\n", "[conversation] follow_up_minutes = -5 — 0 이상"),
    ("[telegram]\nconcurrent_updates = 0\n", "[telegram] concurrent_updates = 0 — 1 이상 256 이하"),
    ("[telegram]\nconcurrent_updates = 100000\n", "[telegram] concurrent_updates = 100000 — 1 이상 256 이하"),
])
def test_a_value_out_of_range_is_refused_with_the_range(tmp_path: Path, text: str, expected: str) -> None:
    assert expected in refusal(tmp_path, text)


@pytest.mark.parametrize(("offsets", "expected"), [
    ('["2x"]', '"2x"는 알림 시점이 아닙니다: 1d, 1h, 30m, 10s처럼'),
    ('["1h", "soon"]', '"soon"는 알림 시점이 아닙니다'),
    ('["0m"]', '"0m": 알림 시점은 1s 이상 30d 이하'),
    ('["400d"]', '"400d": 알림 시점은 1s 이상 30d 이하'),
    ("[1, 2]", "문자열 목록이어야 합니다"),
])
def test_a_bad_reminder_offset_is_refused_at_load(tmp_path: Path, offsets: str, expected: str) -> None:
    message = refusal(tmp_path, f"[reminders]\noffsets = {offsets}\n")
    assert f"[reminders] offsets = {offsets} — " in message and expected in message


@pytest.mark.parametrize("spec", ["funday 25:00", "mon 25:00", "mon 09:60", "monkey 09:00", "09:00", "mon"])
def test_a_bad_digest_is_refused_at_load(tmp_path: Path, spec: str) -> None:
    message = refusal(tmp_path, f'[reminders]\ndigest = "{spec}"\n')
    assert f'[reminders] digest = "{spec}" — 요일(mon~sun)과 00:00~23:59 시각이어야 합니다' in message


def test_good_offsets_and_digests_load(tmp_path: Path) -> None:
    cfg = load_config(write(tmp_path, '[reminders]\noffsets = ["30d", "90m", "1s"]\ndigest = "Sun 23:59"\n'), env={})
    assert cfg.reminder_offsets == ["30d", "90m", "1s"] and cfg.digest == "Sun 23:59"


def test_a_misspelt_key_is_refused_with_the_near_miss(tmp_path: Path) -> None:
    message = refusal(tmp_path, "[progress]\nstale_dayz = 3\n")
    assert "[progress] stale_dayz — 알 수 없는 키입니다 (혹시 stale_days?)" in message


def test_an_unknown_key_with_no_near_miss_lists_the_section_keys(tmp_path: Path) -> None:
    message = refusal(tmp_path, "[progress]\ncolour = 3\n")
    assert "[progress] colour — 알 수 없는 키입니다 (이 섹션의 키: stale_days, undo_minutes, confirm_minutes)" \
        in message


def test_a_key_in_the_wrong_section_names_its_section(tmp_path: Path) -> None:
    assert "[telegram] stale_days — 알 수 없는 키입니다 ([progress] 섹션의 키입니다)" in refusal(
        tmp_path, "[telegram]\nstale_days = 3\n")
    assert "stale_days — [progress] 섹션 아래에 써야 합니다" in refusal(tmp_path, "stale_days = 3\n")
    assert "stale_dayz — 알 수 없는 설정입니다 (혹시 [progress] stale_days?)" in refusal(tmp_path, "stale_dayz = 3\n")


def test_an_unknown_section_is_refused_with_the_near_miss(tmp_path: Path) -> None:
    assert "[progres] — 알 수 없는 섹션입니다 (혹시 [progress]?)" in refusal(tmp_path, "[progres]\nstale_days = 3\n")
    assert "[colours] — 알 수 없는 섹션입니다 (섹션: [store], [time]," in refusal(tmp_path, "[colours]\nred = 1\n")


def test_the_removed_group_chat_id_says_the_group_is_bound_with_bind(tmp_path: Path) -> None:
    message = refusal(tmp_path, "[telegram]\ngroup_chat_id = -100123\n")
    assert "[telegram] group_chat_id — 더 이상 쓰지 않는 설정입니다" in message and "/bind" in message
    assert not hasattr(Config(), "group_chat_id")


def test_a_toml_syntax_error_is_one_line(tmp_path: Path) -> None:
    assert "TOML 문법 오류" in refusal(tmp_path, "[progress]\nstale_days = = 3\n")


def test_a_named_config_file_that_does_not_exist_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "missing.toml"
    with pytest.raises(ConfigError, match=r"missing\.toml: 설정 파일이 없습니다 \(--config로 지정됨\)"):
        load_config(missing, env={})
    with pytest.raises(ConfigError, match=r"missing\.toml: 설정 파일이 없습니다 \(TFBOT_CONFIG로 지정됨\)"):
        load_config(env={"TFBOT_CONFIG": str(missing)})


def test_a_config_path_that_is_a_folder_is_one_line(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="설정 파일을 읽을 수 없습니다"):
        load_config(tmp_path, env={})


def run_tfbot(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The tfbot command line in a subprocess."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("TFBOT_")}
    return subprocess.run([sys.executable, "-m", "bot.cli", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120, env={**env, "PYTHONPATH": str(ROOT)})


def test_the_cli_prints_a_missing_config_as_one_line_and_exits_2(tmp_path: Path) -> None:
    out = run_tfbot("ask", "x", "--config", "missing.toml", "--db", str(tmp_path / "t.db"), cwd=tmp_path)
    assert out.returncode == 2 and out.stdout == ""
    assert out.stderr == "tfbot: missing.toml: 설정 파일이 없습니다 (--config로 지정됨)\n"
    assert not (tmp_path / "t.db").exists(), "nothing was created"


def test_the_cli_prints_a_config_error_as_one_line_and_exits_2(tmp_path: Path) -> None:
    write(tmp_path, "[progress]\nstale_dayz = 3\n")
    out = run_tfbot("ask", "x", "--db", str(tmp_path / "t.db"), cwd=tmp_path)   # ./config.toml, found by default
    assert out.returncode == 2 and "Traceback" not in out.stderr and len(out.stderr.splitlines()) == 1
    assert out.stderr.startswith("tfbot: config.toml: [progress] stale_dayz") and "stale_days?" in out.stderr
