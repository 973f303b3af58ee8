"""Small texts that were wrong: /undo of an entry without a percent, a status said twice, the audit's local
operator and undo rows, and short Latin aliases found inside other words."""

import json
from datetime import timedelta
from pathlib import Path

import pytest

from intents.engine import Engine
from intents.writes.access import Policy
from store import Store
from tests.conftest import NOW, Cli, ask

COORD = 2001
ENERGY = "에너지밸리 조성"


@pytest.fixture
def team(store: Store) -> Engine:
    """An engine with one coordinator."""
    store.set_role(None, COORD, "coordinator", NOW.isoformat(), "김코디")
    return Engine(store, Policy(undo_minutes=10))


def test_undo_of_an_entry_without_a_percent_shows_it_as_it_was_logged(team: Engine) -> None:
    logged = ask(team, "/log 에너지밸리 조성 지연 - 부지 협의 중", COORD)
    assert logged.text.startswith(f"기록했습니다: [{ENERGY}] 진행률 미기재 · 지연 — 부지 협의 중\n"), logged.text
    undone = ask(team, "/undo", COORD, now=NOW + timedelta(minutes=1))
    assert undone.text.startswith(f"되돌렸습니다: [{ENERGY}] 진행률 미기재 · 지연 — 부지 협의 중 ("), undone.text
    assert "None" not in undone.text


def test_a_status_alone_is_not_repeated_as_the_memo(team: Engine) -> None:
    before = team.store.count("progress")
    reply = ask(team, "/log 에너지밸리 완료", COORD)
    assert f"[{ENERGY}] 진행률 미기재 · 완료\n" in reply.text + "\n" and "완료 — 완료" not in reply.text
    assert team.store.count("progress") == before + 1
    latest = team.store.latest_progress(str(reply.entities[0].id))
    assert latest is not None and (latest["status"], latest["note"]) == ("완료", "")
    status = ask(team, "에너지밸리 조성 진행상황", COORD).text
    assert "진행률 미기재 · 완료 (김코디" in status


@pytest.mark.parametrize(("said", "note"), [("에너지밸리 진행 중 부지 협의", "부지 협의"),
                                            ("/log 에너지밸리 0% 계획", ""),
                                            ("/log 에너지밸리 40% 기본설계 완료", "기본설계 완료"),
                                            ("/log 에너지밸리 지연됨 부지 문제", "지연됨 부지 문제")])
def test_the_memo_is_what_follows_the_status(said: str, note: str) -> None:
    from intents.writes.progress import parse

    parsed = parse(said)
    assert isinstance(parsed, tuple) and parsed[3] == note


def test_the_audit_names_the_local_operator_and_what_an_undo_took_back(team: Engine) -> None:
    ask(team, "/log 에너지밸리 조성 40% 기본설계", COORD)
    entry = team.store.latest_progress("d000-task-naju")
    assert entry is not None
    ask(team, "/undo", COORD, now=NOW + timedelta(minutes=1))
    ask(team, "/grant 4001 member")   # the console: the local operator
    audit = ask(team, "/audit").text
    assert f"사용자 {COORD} undo d000-task-naju: 기록 #{entry['id']} 40% · 진행 — 기본설계 → 되돌림" in audit
    assert f"사용자 {COORD} progress d000-task-naju: - → 40% · 진행 — 기본설계" in audit
    assert "로컬 운영자 role 4001: - → member" in audit
    assert '{"entry"' not in audit and "사용자 0" not in audit


def test_the_cli_operator_is_shown_as_the_local_operator(tmp_path: Path, cli: Cli) -> None:
    db = str(tmp_path / "c.db")

    def tfbot(*args: str) -> str:
        return cli(*args, "--db", db)[1]

    assert tfbot("users", "add", "4001", "--role", "member").strip() == "사용자 ID 4001: member"
    assert "기록했습니다" in tfbot("ask", "/log 에너지밸리 조성 40% 기본설계")
    assert "40% · 진행 — 기본설계 (로컬 운영자," in tfbot("ask", "에너지밸리 조성 진행상황")
    audit = tfbot("audit")
    assert "로컬 운영자 role 4001" in audit and "로컬 운영자 progress" in audit and "사용자 0" not in audit
    assert tfbot("users", "remove", "4001").strip() == "사용자 ID 4001: 삭제했습니다 (이전: member)"


@pytest.mark.parametrize("text", ["xxLHyy", "WTF", "wtf 뭐야", "LHyy 연락처", "xxLH"])
def test_short_latin_aliases_do_not_match_inside_other_words(ro_engine: Engine, text: str) -> None:
    assert not [c for c in ro_engine.match(text) if c.id in ("d000-org-lh", "d000-prog-tf")]


@pytest.mark.parametrize(("text", "entity"), [("LH 담당자", "d000-org-lh"), ("LH공사 연락처", "d000-org-lh"),
                                              ("lh", "d000-org-lh"), ("TF회의", "d000-prog-tf"),
                                              ("kepko", "d000-org-kepco")])
def test_latin_aliases_still_match_on_word_boundaries(ro_engine: Engine, text: str, entity: str) -> None:
    assert ro_engine.match(text)[0].id == entity


def test_json_of_an_undo_is_still_kept_in_the_audit_row(team: Engine) -> None:
    ask(team, "/log 에너지밸리 조성 40% 기본설계", COORD)
    ask(team, "/undo", COORD, now=NOW + timedelta(minutes=1))
    row = team.store.audit_log()[-1]
    assert row["action"] == "undo" and "entry" in json.loads(row["old"])
