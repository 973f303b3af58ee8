"""What every meeting write shares: how a meeting is described, the title left once its time is read, and the
확인/취소 offer shown before anything is saved."""

import re
from datetime import datetime
from typing import Any

from intents.answers.render import when as when_text
from intents.message import Button, Offer, Reply

MAX_TITLE = 100
_MODE = re.compile(r"\(?\s*(영상|대면|온라인)\s*(회의)?\s*\)?")
CONFIRM, CANCEL = "meeting:ok", "meeting:no"


def confirming(payload: dict[str, Any], text: str, ok: str) -> Reply:
    """A meeting write shown as understood, with an offer to confirm (`ok`) or cancel it; nothing is saved yet."""
    return Reply(text=text, intent="meeting_confirm", offer=Offer("meeting", payload),
                 buttons=[Button(ok, CONFIRM), Button("취소", CANCEL)])


def describe(start: datetime, place: str | None, mode: str | None) -> str:
    """`2026년 12월 3일(목) 14:00 @ 장소 (영상)`."""
    where = f" @ {place}" if place else ""
    how = f" ({mode})" if mode else ""
    return f"{when_text(start.isoformat())}{where}{how}"


def title_place_mode(rest: str) -> tuple[str, str | None, str | None] | Reply:
    """What is left of a /meeting once its time is taken out: the title, `@ 장소` and `(영상)`; or why not."""
    rest = rest.strip(" ,").removeprefix("에 ")
    place = None
    if "@" in rest:
        rest, place = (part.strip() for part in rest.split("@", 1))
    mode_match = _MODE.search(rest)
    mode = mode_match.group(1) if mode_match else None
    title = _MODE.sub("", rest).strip(" ,") if mode_match else rest
    if not title:
        return Reply(text="회의 제목을 적어 주세요. 예: /meeting 12월 3일 오후 2시 권역별 TF회의", intent="meeting")
    if len(title) > MAX_TITLE or (place and len(place) > MAX_TITLE):
        return Reply(text=f"제목과 장소는 {MAX_TITLE}자 이내로 적어 주세요. 아무것도 저장하지 않았습니다.",
                     intent="meeting")
    return title, place, mode
