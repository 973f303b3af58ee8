"""Learning from misses: questions the data could not answer are kept (without user ids) for admins."""

import json
from pathlib import Path

from intents.engine import Engine
from tests.conftest import NOW, ask, choose
from tests.test_cli import run


def test_a_question_the_data_cannot_answer_is_kept_without_who_asked(engine: Engine) -> None:
    engine.store.set_role(None, 4242, "member", NOW.isoformat(), "이멤버")
    ask(engine, "우주항공 위성 사업 담당자 전화번호", 4242)
    ask(engine, "울산 지역사업평가단 전화번호", 4242)   # answered: not kept
    rows = engine.store.misses()
    assert [r["text"] for r in rows] == ["우주항공 위성 사업 담당자 전화번호"]
    assert rows[0]["kind"] == "notfound" and "4242" not in json.dumps(rows, ensure_ascii=False, default=str)
    assert json.loads(str(rows[0]["understood"]))["aspects"] == ["phone"]
    columns = {r[1] for r in engine.store.db.execute("PRAGMA table_info(unanswered)").fetchall()}
    assert not {"user_id", "chat_id"} & columns


def test_a_choice_nobody_picked_is_kept_and_a_picked_one_is_not(engine: Engine) -> None:
    offered = ask(engine, "스마트물류 과제")
    assert offered.intent == "clarify" and offered.buttons
    assert [r["kind"] for r in engine.store.misses()] == ["clarify"]
    choose(engine, offered, offered.buttons[0].action, text="스마트물류 과제")
    assert engine.store.misses() == []


def test_a_missing_aspect_is_a_miss_too(engine: Engine) -> None:
    reply = ask(engine, "울산 평가단 이메일 주소 알려줄 수 있어?")
    assert "자료에 없습니다" in reply.text and reply.entities == []
    assert engine.store.misses(NOW.date().isoformat())[0]["text"].startswith("울산 평가단 이메일")


def test_tfbot_unanswered_lists_them(tmp_path: Path) -> None:
    db = str(tmp_path / "u.db")
    assert run("unanswered", "--db", db).stdout.strip() == "답하지 못한 질문이 없습니다."
    run("ask", "우주항공 위성 사업 담당자 전화번호", "--db", db)
    listed = run("unanswered", "--since", "2020-01-01", "--db", db)
    assert listed.returncode == 0 and "찾지 못함" in listed.stdout
    assert "우주항공 위성 사업 담당자 전화번호" in listed.stdout
    bad = run("unanswered", "--since", "어제", "--db", db)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr and not bad.stdout
