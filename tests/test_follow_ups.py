"""Follow-ups: a short question naming no subject refers to the chat's last answer, for a few minutes."""

from datetime import timedelta
from pathlib import Path

import pytest

from bot.config import ConfigError, load_config
from intents.engine import Engine
from intents.writes.access import Policy
from store import Store
from tests.conftest import NOW, ask

CHAT = 77


def test_a_follow_up_takes_the_last_subject_and_says_so(engine: Engine) -> None:
    ask(engine, "국가혁신클러스터 2020년 국비", chat_id=CHAT)
    local = ask(engine, "그럼 지방비는?", chat_id=CHAT, now=NOW + timedelta(minutes=1))
    assert local.text.splitlines()[1] == "• 2020년 · 1단계 · 지방비: 273억원"
    assert "앞의 질문에 이어 '국가혁신클러스터육성사업'" in local.text
    phase = ask(engine, "2단계는?", chat_id=CHAT, now=NOW + timedelta(minutes=2))
    assert "506억원" in phase.text.splitlines()[1]
    who = ask(engine, "담당자는?", chat_id=CHAT, now=NOW + timedelta(minutes=3))
    assert "정병찬" in who.text.splitlines()[1]


def test_a_follow_up_expires_and_stays_in_its_chat(engine: Engine) -> None:
    ask(engine, "부산 지역사업평가단 전화번호", chat_id=CHAT)
    assert ask(engine, "주소는?", chat_id=CHAT + 1, now=NOW + timedelta(minutes=1)).entities == []
    late = ask(engine, "주소는?", chat_id=CHAT, now=NOW + timedelta(minutes=6))
    assert late.entities == [] and "엄궁로" not in late.text
    soon = ask(engine, "주소는?", chat_id=CHAT, now=NOW + timedelta(minutes=4))
    assert "엄궁로" in soon.text.splitlines()[1]


def test_a_question_that_names_something_is_not_a_follow_up(engine: Engine) -> None:
    ask(engine, "부산 지역사업평가단 전화번호", chat_id=CHAT)
    other = ask(engine, "울산 평가단 주소는?", chat_id=CHAT, now=NOW + timedelta(minutes=1))
    assert "종가로" in other.text and "앞의 질문" not in other.text
    unknown = ask(engine, "우주항공 위성 담당자는?", chat_id=CHAT, now=NOW + timedelta(minutes=2))
    assert unknown.entities == []


def test_follow_ups_can_be_turned_off(store: Store) -> None:
    engine = Engine(store, Policy(follow_up_minutes=0))
    ask(engine, "부산 지역사업평가단 전화번호", chat_id=CHAT)
    assert ask(engine, "주소는?", chat_id=CHAT, now=NOW + timedelta(seconds=30)).entities == []


def test_a_negative_follow_up_window_is_a_config_error(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text("[conversation]\nfollow_up_minutes = -1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="follow_up_minutes"):
        load_config(path, env={})
    path.write_text("[conversation]\nfollow_up_minutes = 3\n", encoding="utf-8")
    assert load_config(path, env={}).follow_up_minutes == 3
