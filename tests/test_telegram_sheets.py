"""Spreadsheets over Telegram (the real Application against the fake Bot API): a file sent in a private chat is
fetched with getFile and previewed with 확인/취소; one over 10 MB is refused before any download; /export
sends a document."""

import os
from pathlib import Path

import pytest

from bot.config import Config, load_config
from intents.engine import Engine
from intents.writes.access import Policy
from store import Store
from store.sheets.reading import MAX_FILE_BYTES
from tests.fake_bot_api import FakeBotApi
from tests.sheetfiles import COORDINATOR, MEMBER, fingerprint, read_xlsx, with_coordinator, xlsx
from tests.test_telegram_e2e import e2e, running

SHEET = {"담당자·연락처": [["ID", "전화"], ["d002-ct-jeongbyeongchan", "044-203-9999"]]}


@pytest.fixture
def cfg() -> Config:
    """A configuration with the test token and an empty config file."""
    return load_config(os.devnull, env={"TFBOT_TOKEN": "123:ABC"})


@pytest.fixture
def engine(tmp_path: Path) -> Engine:
    """The real engine on a throwaway database with a coordinator and a member."""
    return Engine(with_coordinator(Store.open(tmp_path / "tf.db")), Policy())


def test_a_coordinator_imports_a_file_sent_in_a_private_chat(engine: Engine, cfg: Config) -> None:
    store = engine.store

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg, background=[]):
            before = fingerprint(store)
            fake.send_document("명단.xlsx", xlsx(SHEET), user_id=COORDINATOR)
            [preview] = await fake.wait_for_messages(1)
            assert [m for m, _ in fake.calls if m.lower() == "getfile"] and len(fake.downloads) == 1
            assert "전화: 044-203-4418 → 044-203-9999" in preview.text
            assert [b["text"] for b in preview.buttons] == ["확인", "취소"]
            assert fingerprint(store) == before
            fake.press(preview, 0, user_id=COORDINATOR)
            await fake.wait_for(lambda: bool(fake.edits) or len(fake.sent) > 1)
            done = (fake.edits or fake.sent[1:])[-1]
            assert "가져왔습니다: 추가 0행, 변경 1행" in done.text
            assert store.phones("contact", "d002-ct-jeongbyeongchan") == ["044-203-9999"]

    e2e(check)


def test_a_member_file_and_a_large_file_are_refused(engine: Engine, cfg: Config) -> None:
    store = engine.store

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg, background=[]):
            before = fingerprint(store)
            fake.send_document("명단.xlsx", xlsx(SHEET), user_id=MEMBER)
            [refused] = await fake.wait_for_messages(1)
            assert refused.text == "이 작업은 코디네이터 권한이 필요합니다. (현재 역할: 구성원)"
            fake.send_document("큰.xlsx", b"PK", size=MAX_FILE_BYTES + 1024 * 1024, user_id=COORDINATOR)
            [_, large] = await fake.wait_for_messages(2)
            assert "'큰.xlsx' 파일이 너무 큽니다(11.0MB). 10.0MB 이하만 받습니다" in large.text
            assert "아무것도 바꾸지 않았습니다" in large.text
            fake.send_document("메모.docx", b"PK", user_id=COORDINATOR)
            [*_, other] = await fake.wait_for_messages(3)
            assert "받을 수 있는 파일이 아닙니다" in other.text
            assert fake.downloads == []   # neither the member's file, nor the large file, nor the .docx
            assert not [m for m, _ in fake.calls if m.lower() == "getfile"]
            assert fingerprint(store) == before

    e2e(check)


def test_export_sends_a_document(engine: Engine, cfg: Config) -> None:
    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg, background=[]):
            fake.send_text("/export", user_id=MEMBER)
            await fake.wait_for(lambda: any(s.method == "sendDocument" for s in fake.sent))
            [document] = [s for s in fake.sent if s.method == "sendDocument"]
            assert document.file is not None and document.file[0].startswith("tfbot-export-")
            sheets = read_xlsx(document.data)
            assert "담당자·연락처" in sheets and "감사 기록" not in sheets

    e2e(check)
