"""Action items from meetings: /action (or a reply to the bot's meeting message) confirmed first and only for
coordinators; 지난 회의 후속조치 and 내 할 일; the 완료 button records who and when, for the owner or a
coordinator only; open items are in the next meeting's reminder."""

from datetime import datetime, timedelta

import pytest

from bot.conversation import Conversation, Press
from intents.dates.reminders import Due, Reminders
from intents.engine import Engine
from intents.message import Message, Reply
from intents.writes.access import Policy
from store import Store
from tests.conftest import NOW, SEOUL, ask, choose

COORD, MEMBER, OWNER, ADMIN = 2, 3, 4, 1
MEETING = "d000-meet-regional"   # 권역별 TF회의 (no date in the document)


@pytest.fixture
def team(store: Store) -> Engine:
    """A coordinator, a member, and an owner linked (confirmed) to 정병찬 of 산업통상자원부."""
    for uid, role, name in ((ADMIN, "admin", "관리자"), (COORD, "coordinator", "김코디"), (MEMBER, "member", "이멤버"),
                            (OWNER, "member", "정병찬")):
        store.set_role(None, uid, role, NOW.isoformat(), name)
    store.request_link(OWNER, NOW.isoformat(), contact="d002-ct-jeongbyeongchan")
    store.confirm_link(ADMIN, OWNER, NOW.isoformat())
    return Engine(store, Policy())


def _record(team: Engine, text: str, who: int = COORD) -> Reply:
    offered = ask(team, text, who)
    assert offered.intent == "action_confirm", offered.text
    return choose(team, offered, "action:ok", who)


def test_action_is_shown_as_understood_and_saved_only_on_confirm(team: Engine) -> None:
    offered = ask(team, "/action 권역별 TF회의 정병찬 사무관 예산 협의 결과 공유 12월 4일까지", COORD)
    assert offered.intent == "action_confirm"
    for said in ("회의: 권역별 TF회의", "담당: 정병찬 사무관(산업통상자원부)", "할 일: 예산 협의 결과 공유",
                 "기한: 2026년 12월 4일(금)"):
        assert said in offered.text, offered.text
    assert team.store.count("action_items") == 0
    assert "아무것도" in choose(team, offered, "action:no", COORD).text
    assert team.store.count("action_items") == 0
    saved = _record(team, "/action 권역별 TF회의 정병찬 사무관 예산 협의 결과 공유 12월 4일까지")
    assert saved.intent == "action_saved"
    [item] = team.store.actions_of_meeting(MEETING)
    assert (item["owner_kind"], item["owner_id"], item["what"], item["due"], item["created_by"]) == (
        "contact", "d002-ct-jeongbyeongchan", "예산 협의 결과 공유", "2026-12-04", COORD)


def test_an_organisation_or_a_user_can_own_an_item(team: Engine) -> None:
    _record(team, "/action 권역별 TF회의 가스공사 캠퍼스 부지 검토")
    _record(team, "/action 권역별 TF회의 이멤버 회의록 정리 내일")
    owners = {(i["owner_kind"], i["owner_id"], i["due"]) for i in team.store.actions_of_meeting(MEETING)}
    assert owners == {("organisation", "d000-org-kogas", None), ("user", str(MEMBER), "2026-11-24")}


@pytest.mark.parametrize(("text", "says"), [
    ("/action", "사용법"),
    ("/action 없는회의이름 정병찬 자료 제출", "회의명을 찾지 못했습니다"),
    ("/action 권역별 TF회의 아무개씨 자료 제출", "담당자를 찾지 못했습니다"),
    ("/action 권역별 TF회의 정병찬", "할 일을 적어"),
    ("/action 권역별 TF회의 정병찬 자료 제출 2월 30일", "없는 날짜"),
])
def test_bad_action_commands_get_a_clear_reply_and_save_nothing(team: Engine, text: str, says: str) -> None:
    reply = ask(team, text, COORD)
    assert says in reply.text and not reply.buttons, reply.text
    assert team.store.count("action_items") == 0


def test_a_member_cannot_add_an_item(team: Engine) -> None:
    before = team.store.count("choices"), len(team.store.audit_log())
    reply = ask(team, "/action 권역별 TF회의 정병찬 자료 제출", MEMBER)
    assert reply.intent == "denied" and "코디네이터" in reply.text
    assert (team.store.count("choices"), len(team.store.audit_log())) == before
    assert team.store.count("action_items") == 0


def test_last_meetings_items_and_my_items(team: Engine) -> None:
    team.store.update_meeting(COORD, NOW.isoformat(), MEETING, start="2026-11-20T14:00:00+09:00")
    _record(team, "/action 권역별 TF회의 정병찬 예산 협의 결과 공유 12월 4일까지")
    _record(team, "/action 권역별 TF회의 가스공사 캠퍼스 부지 검토")
    last = ask(team, "지난 회의 후속조치", MEMBER)
    assert last.intent == "actions" and "[권역별 TF회의]" in last.text and "2건" in last.text
    assert "예산 협의 결과 공유 — 담당: 정병찬 사무관(산업통상자원부) — 기한 2026년 12월 4일(금) (D-11)" in last.text
    mine = ask(team, "내 할 일", OWNER)
    assert "내 할 일 1건" in mine.text and "예산 협의 결과 공유" in mine.text and "부지 검토" not in mine.text
    assert [b.label for b in mine.buttons] == ["완료: 예산 협의 결과 공유"]
    nobody = ask(team, "내 할 일", MEMBER)
    assert "0건" in nobody.text and "연결이 확인되지 않아" in nobody.text


def test_the_done_button_records_who_and_when_for_the_owner_only(team: Engine) -> None:
    _record(team, "/action 권역별 TF회의 정병찬 예산 협의 결과 공유 12월 4일까지")
    [item] = team.store.open_actions()
    listing = ask(team, "권역별 TF회의 후속조치", MEMBER)
    core = Conversation(team)
    shown = core.offer(MEMBER, listing, NOW)   # kept as a choice anyone shown may press
    key = shown.options[0].key
    refused = core.handle(Press(key, Message("", NOW, user_id=MEMBER, chat_id=MEMBER)))
    assert refused.refused and "담당자나 코디네이터만" in refused.reply.text
    assert team.store.action(item["id"])["done_at"] is None
    later = NOW + timedelta(hours=3)
    done = core.handle(Press(key, Message("", later, user_id=OWNER, chat_id=OWNER, user_name="정병찬")))
    assert "완료로 기록했습니다" in done.reply.text and "정병찬" in done.reply.text
    row = team.store.action(item["id"])
    assert (row["done_by"], row["done_by_name"], row["done_at"]) == (OWNER, "정병찬", later.isoformat())
    again = core.handle(Press(key, Message("", later, user_id=COORD, chat_id=COORD)))
    assert "이미 완료로 기록되어 있습니다" in again.reply.text
    assert team.store.action(item["id"])["done_by"] == OWNER
    assert "[완료] 예산 협의 결과 공유" in ask(team, "권역별 TF회의 후속조치", MEMBER).text


def test_an_owners_items_are_listed_by_its_name(team: Engine) -> None:
    _record(team, "/action 권역별 TF회의 가스공사 캠퍼스 부지 검토")
    _record(team, "/action 권역별 TF회의 정병찬 예산 협의 결과 공유")
    listed = ask(team, "가스공사 후속조치", MEMBER)
    assert "가스공사 담당 후속조치 1건" in listed.text and "캠퍼스 부지 검토" in listed.text
    assert "예산 협의" not in listed.text


def test_a_coordinator_may_mark_anyones_item_done(team: Engine) -> None:
    _record(team, "/action 권역별 TF회의 가스공사 캠퍼스 부지 검토")
    listing = ask(team, "후속조치", COORD)
    choose(team, listing, listing.buttons[0].action, COORD)
    assert team.store.open_actions() == []


def test_open_items_are_in_the_next_meetings_reminder(team: Engine) -> None:
    store = team.store
    store.update_meeting(COORD, NOW.isoformat(), MEETING, start="2026-11-20T14:00:00+09:00")
    _record(team, "/action 권역별 TF회의 정병찬 예산 협의 결과 공유 12월 4일까지")
    _record(team, "/action 권역별 TF회의 가스공사 캠퍼스 부지 검토")
    listing = ask(team, "권역별 TF회의 후속조치", COORD)
    choose(team, listing, listing.buttons[1].action, COORD)   # 캠퍼스 부지 검토: done
    start = datetime(2026, 12, 1, 14, tzinfo=SEOUL)
    nxt = store.add_meeting(COORD, NOW.isoformat(), "제2차 권역별 TF회의", start.isoformat(), None, None, None)
    store.remember_private_chat(COORD, 555, NOW.isoformat())
    [out] = Reminders(store, [3600]).outgoing(Due(nxt, 3600, start - timedelta(hours=1), start.isoformat()),
                                               start - timedelta(hours=1))
    text = out.reply.text
    assert "미완료 후속조치 1건" in text and "예산 협의 결과 공유" in text and "캠퍼스 부지 검토" not in text
    assert text.endswith("참석 여부를 눌러 주세요.")


def test_a_reply_to_the_bots_meeting_message_hands_out_an_item(team: Engine) -> None:
    store, group = team.store, -100777
    store.remember_meeting_message(group, 42, MEETING, NOW.isoformat())
    said = Message("정병찬 사무관 예산 협의 결과 공유 금요일까지", NOW, user_id=COORD, chat_id=group, chat_kind="group",
                   reply_to=42)
    offered = team.answer(said)
    assert offered.intent == "action_confirm" and "회의: 권역별 TF회의" in offered.text
    assert "2026년 11월 27일(금)" in offered.text
    command = team.answer(Message("/action 가스공사 부지 검토", NOW, user_id=COORD, chat_id=group, chat_kind="group",
                                  reply_to=42))
    assert command.intent == "action_confirm" and "담당: 가스공사" in command.text
    # a question in reply is answered; a member cannot hand out items; the same words not in reply are a question
    question = team.answer(Message("부산 지역사업평가단 전화번호", NOW, user_id=COORD, chat_id=group, chat_kind="group",
                                   reply_to=42))
    assert question.intent == "contact" and "315-9263" in question.text
    member = team.answer(Message(said.text, NOW, user_id=MEMBER, chat_id=group, chat_kind="group", reply_to=42))
    assert member.intent == "denied"
    elsewhere = team.answer(Message(said.text, NOW, user_id=COORD, chat_id=group, chat_kind="group", reply_to=43))
    assert elsewhere.intent != "action_confirm"
    assert store.count("action_items") == 0
