"""The console channel: options numbered once and answered by number or label, reminders between the typist's
lines (answerable, the prompt drawn again), the same apology as every channel."""

import io
import logging
import os
import re
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Config, load_config
from bot.console import PROMPT, Console, ConsoleReminders
from bot.conversation import APOLOGY, Conversation
from bot.files import saved
from intents.dates.reminders import Due
from intents.engine import Engine
from intents.message import Attachment, Message, Reply
from intents.writes.access import Policy
from store import Store

TITLE = "권역별 점검회의"


@pytest.fixture
def cfg() -> Config:
    """Reminders a day and an hour before."""
    cfg = load_config(os.devnull, env={})
    cfg.reminder_offsets = ["1d", "1h"]
    return cfg


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    """An engine over a fresh database."""
    return Engine(Store.open(tmp_path / "tf.db"), Policy())


def console_for(engine: Engine, cfg: Config, **kwargs: object) -> tuple[Console, io.StringIO]:
    """A console of the local operator writing to a string."""
    out = io.StringIO()
    return Console(Conversation(engine), cfg, None, out=out, **kwargs), out  # type: ignore[arg-type]


def typed(console: Console, out: io.StringIO, text: str) -> str:
    """What the console printed for one typed line."""
    out.seek(0)
    out.truncate()
    console.line(text)
    return out.getvalue()


def remind(console: Console, engine: Engine, cfg: Config, meeting: str, offset: int) -> None:
    """Fire one reminder of a meeting through the console's reminders, as the scheduler would."""
    row = engine.store.meeting(meeting) or {}
    start = str(row["start"])
    ConsoleReminders(engine, cfg, console).fire(
        Due(meeting, offset, datetime.fromisoformat(start) - timedelta(seconds=offset), start))


def a_meeting(engine: Engine, cfg: Config) -> str:
    """A meeting two days from now (reminders are sent only before it begins)."""
    start = (datetime.now(cfg.tz) + timedelta(days=2)).replace(second=0, microsecond=0)
    return engine.store.add_meeting(None, datetime.now(cfg.tz).isoformat(), TITLE, start.isoformat(), None,
                                    "세종청사", None)


def test_a_reminder_is_answered_by_number_and_by_word_and_shows_in_the_attendees(engine: Engine,
                                                                                 cfg: Config) -> None:
    console, out = console_for(engine, cfg)
    meeting = a_meeting(engine, cfg)
    remind(console, engine, cfg, meeting, 86400)
    printed = out.getvalue()
    assert "⏰ 회의 알림 (1일 전)" in printed and "  [1] 참석\n  [2] 불참\n번호나 이름으로 고르세요." in printed
    assert "참석으로 기록했습니다" in typed(console, out, "1")
    assert "참석 1명: 로컬 운영자" in typed(console, out, f"{TITLE} 참석자")
    remind(console, engine, cfg, meeting, 3600)
    assert "불참으로 기록했습니다" in typed(console, out, "불참")
    attendees = typed(console, out, f"{TITLE} 참석자")
    assert "불참 1명: 로컬 운영자" in attendees and "참석 0명" in attendees
    assert [r["response"] for r in engine.store.responses(meeting)] == ["불참"]
    assert "찾지 못했습니다" not in out.getvalue()


def test_choices_print_once_and_each_number_means_one_option(engine: Engine, cfg: Config) -> None:
    console, out = console_for(engine, cfg)
    shown = typed(console, out, "/log 그린에너지 캠퍼스 40% 기본설계")
    assert shown.count("그린에너지 캠퍼스 구축") == 1 and "  [1] 그린에너지 캠퍼스\n" in shown and "  [3] 취소" in shown
    meeting = a_meeting(engine, cfg)
    remind(console, engine, cfg, meeting, 86400)   # printed while the choice is open: numbered after it
    assert "  [4] 참석\n  [5] 불참" in out.getvalue()
    assert "기록했습니다: [그린에너지 캠퍼스 구축] 40%" in typed(console, out, "2")
    assert engine.store.responses(meeting) == [] and engine.store.count("progress") == 1
    assert "참석으로 기록했습니다" in typed(console, out, "4")
    again = typed(console, out, "2")   # answered: 2 is no longer an option, so it is a question
    assert "기록했습니다" not in again and engine.store.count("progress") == 1


def test_a_clarifying_choice_is_answered_by_its_name_without_the_kind(engine: Engine, cfg: Config) -> None:
    console, out = console_for(engine, cfg)
    shown = typed(console, out, "그린에너지 캠퍼스")
    labels = re.findall(r"  \[\d+\] (.+)", shown)
    assert len(labels) >= 2 and all(shown.count(label) == 1 for label in labels)
    name = labels[1].rsplit(" (", 1)[0]
    answer = typed(console, out, name)
    assert "어느 것" not in answer and name in answer and "[1]" not in answer


def test_a_new_question_closes_the_options_shown_before(engine: Engine, cfg: Config) -> None:
    console, out = console_for(engine, cfg)
    typed(console, out, "/log 그린에너지 캠퍼스 40% 기본설계")
    typed(console, out, "부산 지역사업평가단 전화번호")
    assert "기록했습니다" not in typed(console, out, "1") and engine.store.count("progress") == 0


def test_a_reminder_while_typing_draws_the_prompt_again(engine: Engine, cfg: Config) -> None:
    console, out = console_for(engine, cfg, prompt=True, line_buffer=lambda: "부산 지역")
    console.reading = True   # at the prompt, "부산 지역" typed so far
    console.notify(0, Reply(text="⏰ 회의 알림 (1시간 전)", intent="reminder"))
    printed = out.getvalue()
    assert printed.startswith("\r\x1b[K⏰ 회의 알림") and printed.endswith(f"\n\n{PROMPT}부산 지역")
    console.reading = False
    out.seek(0)
    out.truncate()
    console.notify(0, Reply(text="⏰ 회의 알림 (10분 전)", intent="reminder"))
    assert not out.getvalue().endswith(PROMPT), "no prompt is drawn while the console is not reading"


def test_an_exception_is_the_apology_with_an_incident_id_and_the_console_goes_on(
        engine: Engine, cfg: Config, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    real = Engine.answer

    def answer(self: Engine, message: Message, pick: object = None) -> Reply:
        if "폭발" in message.text:
            raise KeyError("percent")
        return real(self, message)

    monkeypatch.setattr(Engine, "answer", answer)
    console, out = console_for(engine, cfg)
    with caplog.at_level(logging.ERROR, logger="bot.conversation"):
        failed = typed(console, out, "폭발")
    found = re.search(re.escape(APOLOGY) + r" \(오류 번호: ([0-9a-f]{8})\)", failed)
    assert found is not None and "Traceback" not in failed and "percent" not in failed
    assert found.group(1) in caplog.records[0].getMessage() and caplog.records[0].exc_info is not None
    assert "315-9263" in typed(console, out, "부산 지역사업평가단 전화번호")


def test_an_attachment_is_saved_beside_never_over_a_file(tmp_path: Path) -> None:
    # the console has no chat to send a file to: it writes it into the working folder and says where
    file = Attachment("tfbot-export-20261202.xlsx", b"PK-1", "application/octet-stream")
    first = saved(file, tmp_path)
    second = saved(Attachment(file.filename, b"PK-2", file.mime), tmp_path)
    assert first == str(tmp_path / "tfbot-export-20261202.xlsx")
    assert second == str(tmp_path / "tfbot-export-20261202-2.xlsx")
    assert (tmp_path / "tfbot-export-20261202.xlsx").read_bytes() == b"PK-1"
