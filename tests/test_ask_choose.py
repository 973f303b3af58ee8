"""`tfbot ask` prints an open choice with its keys (and `"choices"` with --json); `tfbot ask --choose KEY` finishes
it from another process, reading the choice from the database."""

import json
import re
import sqlite3
from pathlib import Path

import pytest

from bot import cli as tfbot
from bot.conversation import APOLOGY, EXPIRED, NOT_YOURS
from intents.engine import Engine
from intents.message import Message, Pick, Reply
from tests.conftest import Cli
from tests.test_cli import run

AMBIGUOUS_LOG = "/log 그린에너지 캠퍼스 40% 기본설계"
MEETING = "/meeting 12월 3일 오후 2시 권역별 TF회의 @ 세종청사"


def counts(db: Path) -> dict[str, int]:
    """Rows a choice could change, read straight from the file."""
    conn = sqlite3.connect(db)
    try:
        return {t: conn.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0]
                for t in ("choices", "progress", "meetings", "audit", "meeting_responses")}
    finally:
        conn.close()


def keys(out: str) -> dict[str, str]:
    """Label → key of the options `tfbot ask` printed."""
    return {label: key for key, label in re.findall(r"^  \[([0-9a-f]{8}\.\d+)\] (.+)$", out, re.M)}


def test_ask_completes_an_ambiguous_log_from_another_process(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    asked = run("ask", AMBIGUOUS_LOG, "--db", db)
    assert asked.returncode == 0 and "어느 과제에 기록할까요?" in asked.stdout
    options = keys(asked.stdout)
    assert list(options) == ["그린에너지 캠퍼스", "그린에너지 캠퍼스 구축", "취소"]
    assert asked.stdout.count("그린에너지 캠퍼스 구축") == 1, "each option is printed once, with its key"
    assert f"tfbot ask --choose {options['그린에너지 캠퍼스']}" in asked.stdout
    done = run("ask", "--choose", options["그린에너지 캠퍼스 구축"], "--db", db)
    assert done.returncode == 0 and "기록했습니다: [그린에너지 캠퍼스 구축] 40%" in done.stdout
    assert "40%" in run("ask", "그린에너지 캠퍼스 구축 진행상황", "--db", db).stdout
    again = run("ask", "--choose", options["그린에너지 캠퍼스"], "--db", db)
    assert again.returncode == 1 and again.stdout.strip() == EXPIRED
    assert counts(Path(db))["progress"] == 1


def test_ask_completes_a_meeting_with_json_choices(tmp_path: Path, cli: Cli) -> None:
    db = str(tmp_path / "c.db")
    status, out, _ = cli("ask", "--json", MEETING, "--db", db)
    asked = json.loads(out)
    assert status == 0 and asked["intent"] == "meeting_confirm"
    assert [c["label"] for c in asked["choices"]] == ["확인", "취소"]
    assert all(isinstance(c["key"], str) for c in asked["choices"])
    status, out, _ = cli("ask", "--json", "--choose", asked["choices"][0]["key"], "--db", db)
    saved = json.loads(out)
    assert status == 0 and saved["intent"] == "meeting_saved" and "choices" not in saved
    assert saved["entities"][0]["kind"] == "meeting" and "권역별 TF회의" in saved["text"]
    status, out, _ = cli("ask", "다음 TF 회의 언제야?", "--db", db)
    assert "권역별 TF회의" in out


def test_a_choice_is_only_for_whoever_was_asked(tmp_path: Path, cli: Cli) -> None:
    db = tmp_path / "c.db"
    cli("users", "add", "42", "--role", "coordinator", "--db", str(db))
    cli("users", "add", "7", "--role", "coordinator", "--db", str(db))
    _, out, _ = cli("ask", "--user", "42", AMBIGUOUS_LOG, "--db", str(db))
    key = keys(out)["그린에너지 캠퍼스 구축"]
    assert "--user 42" in out
    before = counts(db)
    for who in (["--user", "7"], []):   # another user, or the local operator
        status, out, _ = cli("ask", "--choose", key, *who, "--db", str(db))
        assert status == tfbot.FAILED and out.strip() == NOT_YOURS
    assert counts(db) == before
    status, out, _ = cli("ask", "--choose", key, "--user", "42", "--db", str(db))
    assert status == 0 and "기록했습니다" in out


def test_choose_with_an_unknown_key_or_a_question_changes_nothing(tmp_path: Path, cli: Cli) -> None:
    db = tmp_path / "c.db"
    cli("ask", MEETING, "--db", str(db))
    before = counts(db)
    status, out, err = cli("ask", "--choose", "deadbeef.1", "--db", str(db))
    assert status == tfbot.FAILED and out.strip() == EXPIRED and err == ""
    status, out, err = cli("ask", "--choose", "deadbeef.1", "질문", "--db", str(db))
    assert status == tfbot.FAULT and out == "" and err.startswith("tfbot: --choose") and len(err.splitlines()) == 1
    assert counts(db) == before


def test_a_failing_choice_is_the_apology_and_rolls_back(tmp_path: Path, cli: Cli,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "c.db"
    _, out, _ = cli("ask", AMBIGUOUS_LOG, "--db", str(db))
    real = Engine.answer

    def answer(self: Engine, message: Message, pick: Pick | None = None) -> Reply:
        if pick is not None:
            self.store.add_progress("d000-task-daegu", 0, None, "2026-11-23T10:00:00+09:00", 1, "진행", "반쯤")
            raise RuntimeError("boom")
        return real(self, message, pick)

    monkeypatch.setattr(Engine, "answer", answer)
    before = counts(db)
    status, out, err = cli("ask", "--choose", keys(out)["취소"], "--db", str(db))
    found = re.fullmatch(re.escape(APOLOGY) + r" \(오류 번호: ([0-9a-f]{8})\)\n", out)
    assert status == tfbot.FAILED and found is not None
    assert f"ERROR bot.conversation: incident {found.group(1)}:" in err and "RuntimeError: boom" in err
    assert counts(db) == before
