"""The command-line contract: tfbot ask (--json, stdin batch, --user), match, users, audit, run."""

import json
import subprocess
import sys
from pathlib import Path

TFBOT = [sys.executable, "-m", "bot.cli"]
ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, stdin: str | None = None, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([*TFBOT, *args], input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=120,
                          env={**os.environ, **(env or {})})


def test_ask_json_contract(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    out = run("ask", "--json", "울산 지역사업평가단 전화번호", "--db", db)
    answer = json.loads(out.stdout)
    assert set(answer) == {"intent", "text", "entities", "sources"}
    assert "248-5763" in answer["text"] and answer["entities"][0]["kind"] == "organisation"
    none = json.loads(run("ask", "--json", "우주항공 위성 사업 담당자 전화번호", "--db", db).stdout)
    assert none["entities"] == [] and none["text"]


def test_ask_reads_one_question_per_line(tmp_path: Path) -> None:
    questions = "국가혁신클러스터 2020년 국비\n\n세종 클러스터 분야\n"
    out = run("ask", "--json", "--db", str(tmp_path / "c.db"), stdin=questions)
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert len(lines) == 3 and "512억" in lines[0]["text"] and "자율" in lines[2]["text"]


def test_coordinator_logs_and_member_is_refused(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    run("users", "add", "42", "--role", "coordinator", "--name", "김코디", "--db", db)
    run("users", "add", "7", "--role", "member", "--db", db)
    assert "기록했습니다" in run("ask", "--user", "42", "/log 그린에너지 캠퍼스 구축 40% 기본설계", "--db", db).stdout
    assert "40%" in run("ask", "--user", "7", "그린에너지 캠퍼스 구축 진행상황", "--db", db).stdout
    assert "권한이 필요합니다" in run("ask", "--user", "7", "/log 그린에너지 캠퍼스 구축 50% 설계", "--db", db).stdout
    audit = run("audit", "--db", db).stdout
    assert "progress d000-task-daegu" in audit and "role 42" in audit
    assert "42\tcoordinator\t김코디" in run("users", "list", "--db", db).stdout
    assert run("audit", "--since", "어제", "--db", db).returncode == 2


def test_match_and_run_without_token(tmp_path: Path) -> None:
    db = str(tmp_path / "c.db")
    found = json.loads(run("match", "에너지벨리", "--json", "--db", db).stdout)
    assert found[0]["name"] == "에너지밸리 조성"
    out = run("run", "--db", db, env={"TFBOT_TOKEN": ""})
    assert out.returncode == 2 and "TFBOT_TOKEN" in out.stderr and len(out.stderr.strip().splitlines()) == 1


def test_export_ics_writes_upcoming_meetings(tmp_path: Path) -> None:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    from store import Store

    db = tmp_path / "c.db"
    start = (datetime.now(ZoneInfo("Asia/Seoul")) + timedelta(days=3)).replace(microsecond=0)
    Store.open(db).add_meeting(None, start.isoformat(), "권역별 TF회의", start.isoformat(), None, "세종", "대면")
    out = run("export-ics", str(tmp_path / "tf.ics"), "--db", str(db))
    assert "1건" in out.stdout
    text = (tmp_path / "tf.ics").read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in text and "SUMMARY:권역별 TF회의" in text and "LOCATION:세종" in text
