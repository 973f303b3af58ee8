"""`tfbot run --webhook`: the real command registers its webhook and answers an update POSTed to it."""

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

from store import Store
from tests.fake_bot_api import FakeBotApi
from tests.test_telegram_e2e import e2e

MEMBER = 1001
ROOT = Path(__file__).resolve().parent.parent


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_webhook_mode_answers(tmp_path: Path) -> None:
    db = tmp_path / "tf.db"
    store = Store.open(db)
    store.set_role(None, MEMBER, "member", "2026-11-01T09:00:00+09:00", "이멤버")
    store.close()
    port = _free_port()

    async def check(fake: FakeBotApi) -> None:
        env = {**os.environ, "TFBOT_TOKEN": "123:ABC", "TFBOT_API_BASE_URL": fake.base_url.rsplit("/bot", 1)[0]}
        url = f"http://127.0.0.1:{port}/hook"
        bot = subprocess.Popen([sys.executable, "-m", "bot.cli", "run", "--webhook", url, "--listen",
                                f"127.0.0.1:{port}", "--db", str(db), "--config", os.devnull],
                               cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            await fake.wait_for(lambda: fake.webhook.get("url") == url, timeout=30)
            secret = fake.webhook["secret_token"]
            update = {"update_id": 1, **fake.message_update("부산 지역사업평가단 전화번호", user_id=MEMBER)}
            fake.add_chat(update["message"]["chat"])   # Telegram knows the chat the update came from
            deadline = time.monotonic() + 15
            async with httpx.AsyncClient() as client:
                while True:   # the listener may come up a moment after setWebhook
                    try:
                        answer = await client.post(url, content=json.dumps(update),
                                                   headers={"X-Telegram-Bot-Api-Secret-Token": secret,
                                                            "Content-Type": "application/json"})
                        break
                    except httpx.ConnectError:
                        if time.monotonic() > deadline:
                            raise
                        await asyncio.sleep(0.2)
                assert answer.status_code == 200
                forged = await client.post(url, content=json.dumps(update),
                                           headers={"X-Telegram-Bot-Api-Secret-Token": "wrong"})
                assert forged.status_code == 403
            await fake.wait_for(lambda: any("315-9263" in s.text for s in fake.messages_to(MEMBER)), timeout=15)
        finally:
            bot.terminate()
            bot.communicate(timeout=15)

    e2e(check, timeout=60)
