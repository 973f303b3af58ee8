"""The fake Bot API server answers and refuses like Telegram, and its test controls work."""

import asyncio
import html
import json
import time
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fake_bot_api import ApiError, FakeBotApi, parse_html, png

TOKEN = "123:ABC"


def serve(test: Callable[[FakeBotApi, httpx.AsyncClient], Awaitable[None]]) -> None:
    """Run one test coroutine against a started fake server and an HTTP client pointed at it."""

    async def main() -> None:
        fake = await FakeBotApi(token=TOKEN).start()
        try:
            async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{fake.port}/bot{TOKEN}/") as client:
                await asyncio.wait_for(test(fake, client), 20)
        finally:
            await fake.stop()

    asyncio.run(main())


async def call(client: httpx.AsyncClient, method: str, **params: Any) -> tuple[int, dict[str, Any]]:
    """POST a method with a JSON body; return the status and the decoded answer."""
    response = await client.post(method, json=params)
    return response.status_code, response.json()


def test_get_me_and_wrong_token() -> None:
    async def check(fake: FakeBotApi, client: httpx.AsyncClient) -> None:
        status, body = await call(client, "getMe")
        assert status == 200 and body["result"]["username"] == "thisbot" and body["result"]["id"] == 123
        wrong = await client.get(f"http://127.0.0.1:{fake.port}/bot999:XYZ/getMe")
        assert wrong.status_code == 401 and wrong.json()["ok"] is False

    serve(check)


def test_get_updates_honours_offset_and_long_poll() -> None:
    async def check(fake: FakeBotApi, client: httpx.AsyncClient) -> None:
        first = fake.send_text("하나")
        second = fake.send_text("둘")
        _, body = await call(client, "getUpdates")
        assert [u["update_id"] for u in body["result"]] == [first, second]
        _, body = await call(client, "getUpdates", offset=second)   # confirms `first`
        assert [u["update_id"] for u in body["result"]] == [second]
        started = time.monotonic()
        _, body = await call(client, "getUpdates", offset=second + 1, timeout=1)
        assert body["result"] == [] and time.monotonic() - started >= 0.9
        polling = asyncio.create_task(call(client, "getUpdates", offset=second + 1, timeout=5))
        await asyncio.sleep(0.2)
        third = fake.send_text("셋")
        _, body = await polling
        assert [u["update_id"] for u in body["result"]] == [third]
        assert fake.deliveries[first] == 1 and fake.deliveries[second] == 2

    serve(check)


def test_send_message_limits_like_telegram() -> None:
    async def check(fake: FakeBotApi, client: httpx.AsyncClient) -> None:
        fake.send_text("안녕", user_id=7)
        status, body = await call(client, "sendMessage", chat_id=7, text="가" * 4097)
        assert status == 400 and body["description"] == "Bad Request: message is too long"
        status, _ = await call(client, "sendMessage", chat_id=7, text="&lt;" * 4096, parse_mode="HTML")
        assert status == 200, "the limit applies to the text after entity parsing"
        for bad in ("1 < 2", "R&D", "<blink>x</blink>", "<b>x</i>", "<b>x", "x</b>"):
            status, body = await call(client, "sendMessage", chat_id=7, text=bad, parse_mode="HTML")
            assert status == 400 and body["description"].startswith("Bad Request: can't parse entities"), bad
        status, body = await call(client, "sendMessage", chat_id=7, text="<b>굵게</b> &amp; 1 &lt; 2",
                                  parse_mode="HTML")
        assert status == 200 and body["result"]["text"] == "굵게 & 1 < 2"
        assert fake.sent[-1].text == "굵게 & 1 < 2" and fake.sent[-1].raw.startswith("<b>")

    serve(check)


def test_callback_data_over_64_bytes_refused() -> None:
    async def check(fake: FakeBotApi, client: httpx.AsyncClient) -> None:
        fake.send_text("안녕", user_id=7)
        for data, ok in (("가" * 21 + "a", True), ("가" * 22, False)):   # 64 and 66 bytes
            markup = {"inline_keyboard": [[{"text": "선택", "callback_data": data}]]}
            status, body = await call(client, "sendMessage", chat_id=7, text="고르세요", reply_markup=markup)
            assert (status == 200) is ok
            if not ok:
                assert body["description"] == "Bad Request: BUTTON_DATA_INVALID"

    serve(check)


def test_form_and_get_bodies_and_multipart_files() -> None:
    async def check(fake: FakeBotApi, client: httpx.AsyncClient) -> None:
        fake.send_text("안녕", user_id=7)
        markup = json.dumps({"inline_keyboard": [[{"text": "네", "callback_data": "k1"}]]})
        response = await client.post("sendMessage", data={"chat_id": "7", "text": "폼", "reply_markup": markup})
        assert response.status_code == 200 and fake.sent[-1].buttons[0]["callback_data"] == "k1"
        response = await client.get("sendMessage", params={"chat_id": "7", "text": "쿼리"})
        assert response.status_code == 200 and fake.sent[-1].text == "쿼리"
        response = await client.post("sendDocument", data={"chat_id": "7"},
                                     files={"document": ("회의.ics", b"BEGIN:VCALENDAR", "text/calendar")})
        assert response.status_code == 200
        assert fake.sent[-1].method == "sendDocument" and fake.sent[-1].file == ("회의.ics", 15)
        response = await client.post("sendPhoto", data={"chat_id": "7", "caption": "<b>표</b>", "parse_mode": "HTML"},
                                     files={"photo": ("chart.png", png(40, 30), "image/png")})
        assert response.status_code == 200 and fake.sent[-1].text == "표" and fake.sent[-1].size == (40, 30)
        assert response.json()["result"]["photo"][0]["width"] == 40


@pytest.mark.parametrize(("photo", "caption", "error"), [
    (b"\x89PNG", "", "IMAGE_PROCESS_FAILED"),                 # not an image Telegram can decode
    (png(10, 201), "", "PHOTO_INVALID_DIMENSIONS"),         # more than 20 times taller than wide
    (png(40, 30), "가" * 1025, "message caption is too long"),
])
def test_send_photo_refuses_what_telegram_refuses(photo: bytes, caption: str, error: str) -> None:
    async def check(fake: FakeBotApi, client: httpx.AsyncClient) -> None:
        fake.send_text("안녕", user_id=7)
        response = await client.post("sendPhoto", data={"chat_id": "7", "caption": caption},
                                     files={"photo": ("chart.png", photo, "image/png")})
        assert response.status_code == 400 and error in response.json()["description"]
        assert [s.method for s in fake.sent] == []

    serve(check)

    serve(check)


def test_fail_next_returns_429_once_then_succeeds() -> None:
    async def check(fake: FakeBotApi, client: httpx.AsyncClient) -> None:
        fake.send_text("안녕", user_id=7)
        fake.fail_next("sendMessage", 429, retry_after=3)
        status, body = await call(client, "sendMessage", chat_id=7, text="첫")
        assert status == 429 and body["parameters"] == {"retry_after": 3}
        status, _ = await call(client, "sendMessage", chat_id=7, text="둘")
        assert status == 200 and [s.text for s in fake.sent] == ["둘"]

    serve(check)


def test_chats_the_bot_may_not_write_to() -> None:
    async def check(fake: FakeBotApi, client: httpx.AsyncClient) -> None:
        status, body = await call(client, "sendMessage", chat_id=42, text="처음")
        assert status == 403 and "can't initiate" in body["description"]
        fake.send_text("안녕", user_id=42)
        fake.block(42)
        status, body = await call(client, "sendMessage", chat_id=42, text="차단")
        assert status == 403 and "blocked" in body["description"]
        fake.send_text("/start", chat_id=-100, chat_type="group")
        fake.migrate_chat(-100, -1001)
        status, body = await call(client, "sendMessage", chat_id=-100, text="이전")
        assert status == 400 and body["parameters"] == {"migrate_to_chat_id": -1001}

    serve(check)


def test_edit_and_callback_answer() -> None:
    async def check(fake: FakeBotApi, client: httpx.AsyncClient) -> None:
        fake.send_text("안녕", user_id=7)
        markup = {"inline_keyboard": [[{"text": "네", "callback_data": "k1"}]]}
        _, body = await call(client, "sendMessage", chat_id=7, text="고르세요", reply_markup=markup)
        message_id = body["result"]["message_id"]
        fake.press(fake.sent[-1], user_id=7)
        _, body = await call(client, "getUpdates")
        query = body["result"][-1]["callback_query"]
        assert query["data"] == "k1" and query["message"]["message_id"] == message_id
        status, _ = await call(client, "answerCallbackQuery", callback_query_id=query["id"])
        assert status == 200
        status, _ = await call(client, "answerCallbackQuery", callback_query_id=query["id"])
        assert status == 400, "a query is answered once"
        status, body = await call(client, "editMessageText", chat_id=7, message_id=message_id, text="골랐습니다")
        assert status == 200 and fake.edits[-1].text == "골랐습니다"
        status, body = await call(client, "editMessageText", chat_id=7, message_id=message_id, text="골랐습니다")
        assert status == 400 and "not modified" in body["description"]

    serve(check)


def test_unknown_method_is_ok_and_logged() -> None:
    async def check(fake: FakeBotApi, client: httpx.AsyncClient) -> None:
        status, body = await call(client, "setChatMenuButton")
        assert status == 200 and body == {"ok": True, "result": True}

    serve(check)


def test_wait_for_messages_times_out() -> None:
    async def check(fake: FakeBotApi, client: httpx.AsyncClient) -> None:
        with pytest.raises(TimeoutError):
            await fake.wait_for_messages(1, timeout=0.2)

    serve(check)


def test_message_update_entities_count_utf16_units() -> None:
    fake = FakeBotApi()
    update = fake.message_update("😀 @thisbot 부산", chat_type="group", chat_id=-5)
    assert update["message"]["entities"] == [{"type": "mention", "offset": 3, "length": 8}]
    update = fake.message_update("/start@thisbot 안녕")
    assert update["message"]["entities"] == [{"type": "bot_command", "offset": 0, "length": 14}]


@given(st.text())
def test_escaped_text_always_parses_back(text: str) -> None:
    assert parse_html(html.escape(text, quote=False)) == text


def test_parse_html_errors_are_api_errors() -> None:
    with pytest.raises(ApiError) as caught:
        parse_html("<unknown>")
    assert caught.value.status == 400


def test_every_send_is_counted_as_it_arrives_and_can_be_dropped_unanswered() -> None:
    async def check(fake: FakeBotApi, client: httpx.AsyncClient) -> None:
        fake.add_chat({"id": 7, "type": "private", "first_name": "갑"})
        seen: list[str] = []

        async def drop_the_second(params: dict[str, Any]) -> bool:
            seen.append(str(params["text"]))
            return len(seen) != 2

        fake.on_send = drop_the_second
        status, _ = await call(client, "sendMessage", chat_id=7, text="하나")
        assert status == 200
        with pytest.raises(httpx.HTTPError):   # dropped: the connection closes without an answer
            await call(client, "sendMessage", chat_id=7, text="둘")
        fake.block(7)
        status, _ = await call(client, "sendMessage", chat_id=7, text="셋")
        assert status == 403
        assert [p["text"] for _, p in fake.received] == ["하나", "둘", "셋"] == seen
        assert [s.text for s in fake.sent] == ["하나"]

    serve(check)
