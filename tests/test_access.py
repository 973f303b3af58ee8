"""No implicit admin: the local operator is an explicit flag; no user id, or a message sent on behalf of a chat,
gets no data; Telegram's shared sender ids can never be given a role."""

import pytest

from intents.engine import Engine
from intents.message import Message, Pick
from intents.writes.access import Policy
from store import InvalidValue, Store
from store.people import SHARED_SENDERS
from tests.conftest import NOW

ADMIN, MEMBER = 3001, 1001
ANONYMOUS_ADMIN, CHANNEL, SERVICE = 1087968824, 136817688, 777000
BUSAN = "부산 지역사업평가단 전화번호"
BUSAN_PHONE = "315-9263"
LOG = "/log 에너지밸리 조성 40% 부지 협의"


@pytest.fixture
def team(store: Store) -> Engine:
    """An engine with a configured admin (also, wrongly, the anonymous-admin id) and a registered member."""
    store.set_role(None, MEMBER, "member", NOW.isoformat(), "이멤버")
    return Engine(store, Policy(admins=frozenset({ADMIN, ANONYMOUS_ADMIN})))


def written(store: Store) -> dict[str, int]:
    """Row counts of every table a message could write."""
    return {t: store.count(t) for t in ("progress", "audit", "users", "choices", "meetings", "private_chats")}


def test_no_user_id_gets_no_data_and_writes_nothing(team: Engine) -> None:
    before = written(team.store)
    for text in (BUSAN, LOG, "/grant 5 admin", "/help"):
        reply = team.answer(Message(text, NOW))
        assert reply.intent == "denied" and BUSAN_PHONE not in reply.text and reply.entities == []
        assert "보낸 사람을 알 수 없는" in reply.text and "등록" not in reply.text
    assert written(team.store) == before


def test_the_local_operator_is_an_admin_only_by_its_flag(team: Engine) -> None:
    assert BUSAN_PHONE in team.answer(Message(BUSAN, NOW, local_operator=True)).text
    granted = team.answer(Message("/grant 4001 coordinator", NOW, local_operator=True))
    assert "부여했습니다" in granted.text
    assert team.store.audit_log()[-1]["user_id"] == 0
    assert "로컬 운영자 role 4001" in team.answer(Message("/audit", NOW, local_operator=True)).text


@pytest.mark.parametrize("sender", [ANONYMOUS_ADMIN, CHANNEL, SERVICE])
def test_a_message_on_behalf_of_a_chat_gets_no_data_and_no_invitation(team: Engine, sender: int) -> None:
    before = written(team.store)
    for text in (BUSAN, LOG, "/start"):
        reply = team.answer(Message(text, NOW, user_id=sender, chat_id=-100123, chat_kind="group",
                                    on_behalf_of_chat=True))
        assert reply.intent == "denied" and BUSAN_PHONE not in reply.text
        assert "본인 계정으로" in reply.text and str(sender) not in reply.text and "사용자 ID" not in reply.text
    assert written(team.store) == before


def test_a_shared_sender_id_is_refused_even_without_the_adapters_flag(team: Engine) -> None:
    reply = team.answer(Message(BUSAN, NOW, user_id=ANONYMOUS_ADMIN, chat_id=-100123, chat_kind="group"))
    assert reply.intent == "denied" and BUSAN_PHONE not in reply.text and "본인 계정으로" in reply.text


def test_a_registered_person_posting_as_the_group_is_refused_too(team: Engine) -> None:
    reply = team.answer(Message(BUSAN, NOW, user_id=MEMBER, chat_id=-100123, chat_kind="group",
                                on_behalf_of_chat=True))
    assert reply.intent == "denied" and BUSAN_PHONE not in reply.text


def test_an_unregistered_person_is_told_their_id_without_a_particle_after_it(team: Engine) -> None:
    reply = team.answer(Message(BUSAN, NOW, user_id=4001, chat_id=4001))
    assert reply.intent == "denied" and BUSAN_PHONE not in reply.text
    assert reply.text.splitlines()[-1] == "사용자 ID: 4001"
    assert "4001 를" not in reply.text and "4001를" not in reply.text


@pytest.mark.parametrize("shared", sorted(SHARED_SENDERS))
def test_no_role_for_telegrams_shared_ids(team: Engine, shared: int) -> None:
    before = written(team.store)
    reply = team.answer(Message(f"/grant {shared} admin", NOW, user_id=ADMIN, chat_id=-100123, chat_kind="group"))
    assert "역할을 줄 수 없습니다" in reply.text and "본인 계정" in reply.text and "부여했습니다" not in reply.text
    with pytest.raises(InvalidValue):
        team.store.set_role(None, shared, "member", NOW.isoformat())
    assert written(team.store) == before


def test_ids_must_be_positive(team: Engine) -> None:
    before = written(team.store)
    grant = Message("/grant -5 member", NOW, user_id=ADMIN, chat_id=-100123, chat_kind="group")
    assert "양의 정수" in team.answer(grant).text
    assert written(team.store) == before


def test_a_reminder_button_is_pressed_by_a_person_whose_own_role_counts(team: Engine) -> None:
    meeting = team.store.add_meeting(None, NOW.isoformat(), "권역별 TF회의", "2026-12-03T14:00:00+09:00", None,
                                     "세종", "대면")
    choice = Pick("rsvp", f"rsvp:{meeting}:y", {"meeting": meeting})
    stranger = team.answer(Message("", NOW, user_id=4001, chat_id=-100123, chat_kind="group"), choice)
    assert stranger.intent == "denied" and team.store.responses(meeting) == []
    member = team.answer(Message("", NOW, user_id=MEMBER, chat_id=-100123, chat_kind="group",
                                 user_name="이멤버"), choice)
    assert "참석으로 기록했습니다" in member.text
    assert [(r["user_id"], r["response"]) for r in team.store.responses(meeting)] == [(MEMBER, "참석")]
