"""Away: a person marks themselves away until a day (/away 12월 24일까지) and back (/away 해제); while away they
get no nudges or reminders in their private chat, and the weekly digest says they are away."""

import re
from datetime import date, timedelta

from intents.answers.render import when
from intents.dates.when import DateError, read_day
from intents.message import Message, Reply
from store.store import Store

BACK_WORDS = frozenset({"해제", "복귀", "끝", "종료", "취소", "돌아옴", "돌아왔어", "back"})
MAX_DAYS = 366   # further ahead is a typo, not a leave
USAGE = "예: /away 12월 24일까지 · /away 다음 주 금요일까지 · /away 2026-12-24 · 돌아오면 /away 해제"
_RANGE = re.compile(r"부터|~|∼")


def away(store: Store, message: Message) -> Reply:
    """/away <날짜>까지: mark yourself away up to and including that day; /away 해제 (복귀): back; /away: as it
    stands."""
    if message.local_operator or message.user_id is None:
        return Reply(text="/away 는 텔레그램 사용자가 자신의 부재를 표시할 때 씁니다. 콘솔의 로컬 운영자는 표시할 수 "
                          "없습니다 (시험: tfbot ask --user ID \"/away 12월 24일까지\").", intent="away")
    user, today = message.user_id, message.now.date()
    _, _, body = message.text.partition(" ")
    body = body.strip()
    row = store.user(user)
    until = date.fromisoformat(str(row["away_until"])) if row and row.get("away_until") else None
    if until is not None and until < today:
        until = None   # a leave that has ended is no leave
    if not body:
        if until is None:
            return Reply(text=f"부재로 표시되어 있지 않습니다. {USAGE}", intent="away")
        return Reply(text=f"{when(until.isoformat())}까지 부재로 표시되어 있습니다. 돌아오면 /away 해제", intent="away")
    if body.lower() in BACK_WORDS:
        if until is None:
            return Reply(text="부재로 표시되어 있지 않습니다. 바꾼 것이 없습니다.", intent="away")
        store.set_away(user, None, message.now.isoformat())
        return Reply(text="복귀로 표시했습니다. 알림을 다시 받습니다.", intent="away")
    try:
        read = read_day(body, message.now)
    except DateError:
        return Reply(text=f"'{body[:40]}'에서 날짜를 알아보지 못했습니다. {USAGE}. 아무것도 바꾸지 않았습니다.",
                     intent="away")
    day = read.day
    if day < today:
        return Reply(text=f"{when(day.isoformat())}은(는) 이미 지난 날짜입니다. 아무것도 바꾸지 않았습니다. {USAGE}",
                     intent="away")
    if day > today + timedelta(days=MAX_DAYS):
        return Reply(text=f"{when(day.isoformat())}: 부재는 1년 안의 날짜까지만 표시할 수 있습니다. "
                          "아무것도 바꾸지 않았습니다.", intent="away")
    if _RANGE.search(body) and read.first > today:
        return Reply(text=f"부재 시작일은 따로 기록하지 않습니다: {when(read.first.isoformat())}에 "
                          f"'/away {day.month}월 {day.day}일까지'를 보내 주세요. 아무것도 바꾸지 않았습니다.",
                     intent="away")
    store.set_away(user, day, message.now.isoformat())
    lines = [f"{when(day.isoformat())}까지 부재로 표시했습니다. 그동안 과제 독촉과 회의 알림을 개인 대화로 보내지 "
             "않고, 주간 요약에 부재로 나옵니다. 일찍 돌아오면 /away 해제", *read.notes]
    return Reply(text="\n".join(lines), intent="away")
