"""Joining and leaving, who is who, away: invites, /iam and an admin's 확인, /revoke, /away — through the engine and
the conversation core, on a throwaway database, asserting what a user would see."""

from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from bot.conversation import EXPIRED, Conversation, Outgoing, Press
from intents.dates.reminders import Due, Reminders, digest, nudges
from intents.dates.when import DateError, read_day
from intents.engine import Engine
from intents.message import Message, Reply
from intents.registry import REGISTRY
from intents.writes.access import Policy
from store import Store
from tests.conftest import NOW, SEOUL, Cli, ask

ADMIN, COORD, MEMBER, NEWCOMER, OTHER = 3001, 2001, 1001, 5001, 5002
TOKEN_LINK = "https://t.me/<봇 사용자명>?start="


@pytest.fixture
def team(store: Store) -> Engine:
    """An engine whose store knows an admin, a coordinator and a member."""
    for uid, role, name in ((ADMIN, "admin", "관리자"), (COORD, "coordinator", "김코디"), (MEMBER, "member", "이멤버")):
        store.set_role(None, uid, role, NOW.isoformat(), name)
    return Engine(store, Policy(invite_days=7, confirm_minutes=5))


@pytest.fixture
def core(team: Engine) -> Conversation:
    """The conversation core over that engine."""
    return Conversation(team)


def said(core: Conversation, text: str, user: int | None, now: datetime = NOW, name: str | None = None) -> Outgoing:
    """A message in the user's private chat (None: the console's local operator)."""
    return core.handle(Message(text, now, user_id=user, chat_id=user, user_name=name,
                               local_operator=user is None))


def pressed(core: Conversation, key: str, user: int, now: datetime = NOW) -> Outgoing:
    """A button pressed by a user in their private chat."""
    return core.handle(Press(key, Message("", now, user_id=user, chat_id=user)))


def token_of(reply: Reply) -> str:
    """The invite token an /invite answer printed (the console has no bot name: the link form and the token)."""
    line = next(line for line in reply.text.splitlines() if line.startswith("토큰: "))
    return line.removeprefix("토큰: ")


def key_of(out: Outgoing, label: str) -> str:
    """The key of the option with this label."""
    return next(o.key for o in out.options if o.label == label)


# --- invites ---------------------------------------------------------------------------------------
def test_an_invite_registers_once_and_a_second_use_is_refused(team: Engine) -> None:
    made = ask(team, "/invite member", ADMIN)
    token = token_of(made)
    assert f"{TOKEN_LINK}{token}" in made.text and "구성원" in made.text and "2026년 11월 30일" in made.text
    assert team.store.invite_of(token)["token_hash"] != token   # only its hash is kept
    assert token not in str(team.store.audit_log())
    joined = ask(team, f"/start {token}", NEWCOMER, now=NOW + timedelta(days=1))
    assert "구성원(으)로 등록되었습니다" in joined.text
    assert team.store.user(NEWCOMER)["role"] == "member"
    assert ask(team, "부산 지역사업평가단 전화번호", NEWCOMER).intent == "contact"   # access at once
    before = team.store.count("users")
    again = ask(team, f"/start {token}", OTHER, now=NOW + timedelta(days=1))
    assert "이미 사용된 초대 링크" in again.text and "아무것도 바꾸지 않았습니다" in again.text
    assert team.store.user(OTHER) is None and team.store.count("users") == before
    assert ask(team, "부산 지역사업평가단 전화번호", OTHER).intent == "denied"
    used = team.store.invite_of(token)
    assert used["used_by"] == NEWCOMER and used["used_at"].startswith("2026-11-24")


def test_an_invite_expires(team: Engine) -> None:
    token = token_of(ask(team, "/invite coordinator", ADMIN))
    late = ask(team, f"/start {token}", NEWCOMER, now=NOW + timedelta(days=7, minutes=1))
    assert "만료된 초대 링크" in late.text and "2026년 11월 30일(월) 10:00에 만료" in late.text
    assert team.store.user(NEWCOMER) is None and team.store.invite_of(token)["used_by"] is None
    assert "코디네이터(으)로 등록" in ask(team, f"/start {token}", OTHER, now=NOW + timedelta(days=6)).text


def test_unknown_and_malformed_tokens_change_nothing(team: Engine) -> None:
    before = {t: team.store.count(t) for t in ("users", "invites", "audit")}
    for text in ("/start AAAAAAAAAAAAAAAAAAAAAA", "/start <script>", "/start " + "x" * 80):
        reply = ask(team, text, NEWCOMER)
        assert "알 수 없는 초대 링크" in reply.text and str(NEWCOMER) in reply.text
    assert {t: team.store.count(t) for t in before} == before


def test_a_registered_user_is_not_downgraded_and_leaves_the_invite_open(team: Engine) -> None:
    token = token_of(ask(team, "/invite member", ADMIN))
    kept = ask(team, f"/start {token}", COORD)
    assert "이미 코디네이터(으)로 등록되어 있습니다" in kept.text and "바꾸지 않았습니다" in kept.text
    assert team.store.user(COORD)["role"] == "coordinator" and team.store.invite_of(token)["used_by"] is None
    promoted = ask(team, f"/start {token_of(ask(team, '/invite coordinator', ADMIN))}", MEMBER)
    assert "코디네이터(으)로 바뀌었습니다 (이전: 구성원)" in promoted.text
    assert team.store.user(MEMBER)["role"] == "coordinator"


def test_invites_are_made_by_admins_only_in_a_private_chat_and_never_for_admin(team: Engine) -> None:
    before = team.store.count("invites")
    for who in (MEMBER, COORD):
        assert ask(team, "/invite member", who).intent == "denied"
    assert "관리자는 초대 링크로 만들 수 없습니다" in ask(team, "/invite admin", ADMIN).text
    assert "사용법" in ask(team, "/invite everyone", ADMIN).text
    group = team.answer(Message("/invite member", NOW, user_id=ADMIN, chat_id=-100123, chat_kind="group"))
    assert "개인 대화에서" in group.text
    assert team.store.count("invites") == before
    ask(team, "/invite member", ADMIN)
    listed = ask(team, "/invite", ADMIN).text
    assert "아직 쓰지 않은 초대 1건" in listed and "구성원" in listed


def test_the_deep_link_comes_from_the_channel(team: Engine) -> None:
    from functools import partial

    from telegram.helpers import create_deep_linked_url

    reply = team.answer(Message("/invite member", NOW, user_id=ADMIN, chat_id=ADMIN,
                                start_link=partial(create_deep_linked_url, "thisbot")))
    [link] = [line for line in reply.text.splitlines() if line.startswith("https://")]
    assert link.startswith("https://t.me/thisbot?start=") and "토큰:" not in reply.text
    assert team.store.invite_of(link.split("start=")[1]) is not None


def test_an_invite_in_a_group_or_from_a_shared_sender_is_not_used(team: Engine) -> None:
    token = token_of(ask(team, "/invite member", ADMIN))
    group = team.answer(Message(f"/start {token}", NOW, user_id=NEWCOMER, chat_id=-100123, chat_kind="group"))
    assert "개인 대화에서 열어" in group.text
    anonymous = team.answer(Message(f"/start {token}", NOW, user_id=1087968824, chat_id=-100123,
                                    chat_kind="group", on_behalf_of_chat=True))
    assert anonymous.intent == "denied"
    assert team.store.invite_of(token)["used_by"] is None


# --- revoke ----------------------------------------------------------------------------------------
def test_members_and_coordinators_cannot_revoke(team: Engine) -> None:
    for who in (MEMBER, COORD):
        assert ask(team, f"/revoke {COORD if who == MEMBER else MEMBER}", who).intent == "denied"
    assert team.store.user(MEMBER) and team.store.user(COORD)


def test_revoke_by_name_ends_access_and_an_ambiguous_name_asks_for_the_id(team: Engine) -> None:
    team.store.set_role(None, OTHER, "member", NOW.isoformat(), "이멤버")   # a second 이멤버
    two = ask(team, "/revoke 이멤버", ADMIN)
    assert "2명" in two.text and f"/revoke {MEMBER}" in two.text and f"/revoke {OTHER}" in two.text
    assert team.store.user(MEMBER) and team.store.user(OTHER)
    assert "찾지 못했습니다" in ask(team, "/revoke 홍길동", ADMIN).text
    done = ask(team, "/revoke 김코디", ADMIN)
    assert f"김코디({COORD})의 코디네이터 역할을 회수했습니다" in done.text
    assert ask(team, "/log 에너지밸리 조성 40% 착수", COORD).intent == "denied"


def test_a_revoked_users_old_button_does_nothing(core: Conversation) -> None:
    store = core.store
    log = said(core, "/log 그린에너지 캠퍼스 40% 기본설계", COORD)   # two tasks share the name: buttons
    store.request_link(COORD, NOW.isoformat(), contact="d002-ct-jeongbyeongchan")
    store.remember_private_chat(COORD, COORD, NOW.isoformat())
    revoked = said(core, f"/revoke {COORD}", ADMIN)
    assert "연결을 끊었습니다" in revoked.reply.text and "선택지 1개를 닫았습니다" in revoked.reply.text
    progress = store.count("progress")
    late = pressed(core, key_of(log, "그린에너지 캠퍼스 구축"), COORD, NOW + timedelta(minutes=1))
    assert late.reply.text == EXPIRED and store.count("progress") == progress
    assert store.link_of(COORD) is None and store.private_chat(COORD) is None
    assert store.rows("SELECT * FROM choices WHERE user_id = ?", [COORD]) == []


def test_a_revoked_user_pressing_an_rsvp_anyone_may_answer_is_refused(core: Conversation) -> None:
    store = core.store
    meeting = store.add_meeting(COORD, NOW.isoformat(), "권역별 TF회의", "2026-12-03T14:00:00+09:00", None, None, None)
    reminders = Reminders(store, [3600])
    due = Due(meeting, 3600, datetime(2026, 12, 3, 13, tzinfo=SEOUL), "2026-12-03T14:00:00+09:00")
    offered = core.offer(MEMBER, reminders.compose(store.meeting(meeting) or {}, due), NOW)
    said(core, f"/revoke {MEMBER}", ADMIN)
    refused = pressed(core, offered.options[0].key, MEMBER)
    assert refused.refused and store.responses(meeting) == []


def test_users_remove_on_the_command_line_ends_the_same_access(tmp_path: Path, cli: Cli) -> None:
    db = str(tmp_path / "c.db")
    store = Store.open(db)
    store.set_role(None, 4001, "coordinator", NOW.isoformat(), "홍길동")
    store.request_link(4001, NOW.isoformat(), organisation="org-molit")
    store.open_choice("log", 4001, 4001, datetime.now(SEOUL), datetime.now(SEOUL) + timedelta(minutes=5), {})
    store.close()
    status, out, _ = cli("users", "remove", "4001", "--db", db)
    assert status == 0 and out.strip() == "사용자 ID 4001: 삭제했습니다 (이전: coordinator; 연결 해제, 선택지 1개 닫음)"
    store = Store.open(db)
    assert store.user(4001) is None and store.link_of(4001) is None and store.count("choices") == 0


def test_a_revoked_admins_unused_invites_no_longer_register_anyone(team: Engine) -> None:
    token = token_of(ask(team, "/invite member", ADMIN))
    assert "초대 1개를 무효로 했습니다" in ask(team, f"/revoke {ADMIN}").text   # the console's operator
    assert "만료된 초대 링크" in ask(team, f"/start {token}", NEWCOMER, now=NOW + timedelta(minutes=1)).text


# --- /iam ------------------------------------------------------------------------------------------
def test_iam_then_an_admins_confirmation_links_and_tells_the_user(core: Conversation) -> None:
    store = core.store
    store.remember_private_chat(ADMIN, 777, NOW.isoformat())
    asked = said(core, "/iam 정병찬", MEMBER)
    assert "연결을 요청했습니다: 나 = 정병찬" in asked.reply.text
    assert store.link_of(MEMBER)["state"] == "requested" and store.users_for("contact", "d002-ct-jeongbyeongchan") == []
    again = said(core, "/iam 정병찬", MEMBER)
    assert again.reply.text.startswith("이미 요청했습니다") and not again.notices
    [notice] = asked.notices
    assert notice.chat == 777 and "🔗 연결 요청" in notice.reply.text and "이멤버" in notice.reply.text
    assert [o.label for o in notice.options] == ["확인", "거절"]
    assert pressed(core, notice.options[0].key, MEMBER).reply.intent == "denied"   # not an admin
    assert store.link_of(MEMBER)["state"] == "requested"
    done = pressed(core, notice.options[0].key, ADMIN, NOW + timedelta(hours=2))
    assert done.reply.text.startswith("확인했습니다: 이멤버 = 정병찬")
    assert store.link_of(MEMBER)["state"] == "confirmed"
    assert store.users_for("contact", "d002-ct-jeongbyeongchan") == [MEMBER]
    [told] = done.notices
    assert told.chat == MEMBER and "관리자가 연결을 확인했습니다" in told.reply.text
    assert pressed(core, notice.options[1].key, ADMIN).reply.text == EXPIRED   # answered once
    assert said(core, "/iam 정병찬", MEMBER).reply.text.startswith("이미 연결되어 있습니다")
    shown = said(core, "/iam", MEMBER).reply.text
    assert shown.startswith("연결: 나 = 정병찬") and "(확인: 관리자, 2026년 11월 23일(월) 12:00)" in shown


def test_iam_asks_which_when_several_fit_and_an_admin_may_refuse(core: Conversation) -> None:
    store = core.store
    asked = said(core, "/iam 지역사업평가단", MEMBER)
    assert asked.reply.intent == "iam_choose" and len(asked.options) == 9   # 8 of 14, and 취소
    assert store.link_of(MEMBER) is None and not asked.notices
    chosen = pressed(core, key_of(asked, "부산지역사업평가단 (기관)"), MEMBER)
    assert store.link_of(MEMBER)["organisation"] == "d004-org-eval-busan"
    [notice] = chosen.notices
    assert notice.chat == ADMIN   # no private chat recorded: a user's private chat id is their id
    refused = pressed(core, key_of(notice, "거절"), ADMIN)
    assert "거절했습니다" in refused.reply.text and store.link_of(MEMBER) is None
    assert "받아들이지 않았습니다" in refused.notices[0].reply.text


def test_iam_mistakes_change_nothing(core: Conversation) -> None:
    store = core.store
    assert "찾지 못했습니다" in said(core, "/iam 김철수", MEMBER).reply.text
    assert "연결되어 있지 않습니다" in said(core, "/iam", MEMBER).reply.text
    assert "콘솔" in said(core, "/iam 정병찬", None).reply.text
    assert said(core, "/iam 정병찬", NEWCOMER).reply.intent == "denied"
    assert store.count("user_links") == 0 and store.count("choices") == 0


def test_an_admin_lists_pending_links_and_a_stale_button_changes_nothing(core: Conversation) -> None:
    store = core.store
    said(core, "/iam 정병찬", MEMBER)
    said(core, "/iam 국토교통부", COORD)
    listed = said(core, "/links", ADMIN)
    assert "연결 요청 2건" in listed.reply.text and len(listed.options) == 4
    assert said(core, "/links", MEMBER).reply.intent == "denied"
    said(core, "/iam 산업부", COORD, NOW + timedelta(minutes=1))   # the request changed meanwhile
    stale = pressed(core, key_of(listed, "확인: 김코디 → 국토교통부 (기관)"), ADMIN)
    assert "이미 처리되었거나 바뀌었습니다" in stale.reply.text and store.link_of(COORD)["state"] == "requested"
    assert store.link_of(COORD)["organisation"] == "org-motie"


# --- away ------------------------------------------------------------------------------------------
AWAY_PHRASES = [   # at NOW, Monday 2026-11-23 10:00
    ("12월 24일까지", date(2026, 12, 24)),
    ("12월24일까지", date(2026, 12, 24)),
    ("12.24까지", date(2026, 12, 24)),
    ("12/24", date(2026, 12, 24)),
    ("2026-12-24", date(2026, 12, 24)),
    ("2026년 12월 24일까지", date(2026, 12, 24)),
    ("내일까지", date(2026, 11, 24)),
    ("모레까지", date(2026, 11, 25)),
    ("금요일까지", date(2026, 11, 27)),
    ("이번 주 금요일까지", date(2026, 11, 27)),
    ("다음 주 수요일까지", date(2026, 12, 2)),
    ("다음 주까지", date(2026, 12, 6)),
    ("이번 달 말까지", date(2026, 11, 30)),
    ("연말까지", date(2026, 12, 31)),
    ("1월 5일까지", date(2027, 1, 5)),
    ("휴가 12월 24일 오후 3시까지", date(2026, 12, 24)),
    ("2주 뒤까지", date(2026, 12, 7)),
]


@pytest.mark.parametrize(("phrase", "day"), AWAY_PHRASES)
def test_away_dates_are_read_at_a_fixed_time(team: Engine, phrase: str, day: date) -> None:
    assert read_day(phrase, NOW).day == day
    reply = ask(team, f"/away {phrase}", MEMBER)
    assert f"{day.year}년 {day.month}월 {day.day}일" in reply.text and "부재로 표시했습니다" in reply.text
    assert team.store.user(MEMBER)["away_until"] == day.isoformat()


@pytest.mark.parametrize(("phrase", "said"), [
    ("언젠가", "날짜를 알아보지 못했습니다"), ("ㅁㄴㅇㄹ", "날짜를 알아보지 못했습니다"),
    ("일주일", "날짜를 알아보지 못했습니다"), ("2026-11-20", "이미 지난 날짜"), ("2028-01-01", "1년 안의"),
    ("12월 20일부터 24일까지", "부재 시작일은 따로 기록하지 않습니다"),
])
def test_unreadable_or_impossible_away_dates_are_answered_and_change_nothing(team: Engine, phrase: str,
                                                                            said: str) -> None:
    reply = ask(team, f"/away {phrase}", MEMBER)
    assert said in reply.text and "아무것도 바꾸지 않았습니다" in reply.text
    assert team.store.user(MEMBER)["away_until"] is None


def test_read_day_refuses_text_without_a_date() -> None:
    with pytest.raises(DateError):
        read_day("휴가", NOW)


def test_away_then_back(team: Engine) -> None:
    assert "부재로 표시되어 있지 않습니다" in ask(team, "/away", MEMBER).text
    ask(team, "/away 12월 24일까지", MEMBER)
    assert "2026년 12월 24일(목)까지 부재로 표시되어 있습니다" in ask(team, "/away", MEMBER).text
    assert "복귀로 표시했습니다" in ask(team, "/away 해제", MEMBER).text
    assert team.store.user(MEMBER)["away_until"] is None
    assert "바꾼 것이 없습니다" in ask(team, "/away 복귀", MEMBER).text
    assert "콘솔" in ask(team, "/away 12월 24일까지").text
    assert ask(team, "/away 12월 24일까지", NEWCOMER).intent == "denied"


def test_an_away_person_gets_no_nudge_or_reminder_and_the_digest_says_so(team: Engine) -> None:
    store = team.store
    store.set_setting(None, NOW.isoformat(), "group_chat_id", "-1001")
    store.remember_private_chat(COORD, COORD, NOW.isoformat())
    store.add_progress("d000-task-naju", COORD, "김코디", (NOW - timedelta(days=30)).isoformat(), 10, "진행", "착수")
    meeting = store.add_meeting(COORD, NOW.isoformat(), "권역별 TF회의", "2026-12-03T14:00:00+09:00", None, None, None)
    due = Due(meeting, 3600, datetime(2026, 12, 3, 13, tzinfo=SEOUL), "2026-12-03T14:00:00+09:00")
    policy = Policy(stale_days=14)
    assert [chat for chat, _ in nudges(store, policy, NOW)] == [COORD]
    assert "부재 중" not in digest(store, policy, NOW).text
    assert [o.chat for o in Reminders(store, [3600]).outgoing(due, due.at)] == [-1001, COORD]
    ask(team, "/away 12월 3일까지", COORD)
    assert nudges(store, policy, NOW) == []
    assert [o.chat for o in Reminders(store, [3600]).outgoing(due, due.at)] == [-1001]   # the group only
    text = digest(store, policy, NOW).text
    assert "부재 중 (알림을 보내지 않음):\n• 김코디 — 2026년 12월 3일(목)까지" in text
    assert store.recipients([MEMBER, COORD, MEMBER], date(2026, 12, 3)) == [MEMBER]
    assert store.recipients([COORD], date(2026, 12, 4)) == [COORD]   # back the day after
    assert [chat for chat, _ in nudges(store, policy, NOW + timedelta(days=11))] == [COORD]


# --- registry --------------------------------------------------------------------------------------
def test_help_and_the_menu_list_the_new_commands(team: Engine) -> None:
    help_text = ask(team, "/help", MEMBER).text
    for command in ("/iam", "/away", "/invite", "/revoke", "/links"):
        assert command in help_text
    menu = dict(REGISTRY.menu())
    assert "iam" in menu and "away" in menu
    assert {REGISTRY.role_for(a) for a in ("invite", "revoke", "links")} == {"admin"}
    assert {REGISTRY.role_for(a) for a in ("iam", "away")} == {"member"}


def test_migration_013_keeps_open_choices_and_accepts_the_new_kinds(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from store import schema

    before_013 = [m for m in schema.MIGRATIONS if m[0] < "013"]
    with monkeypatch.context() as patched:
        patched.setattr(schema, "MIGRATIONS", before_013)
        old = Store.open(tmp_path / "old.db")
        kept = old.open_choice("log", COORD, COORD, NOW, NOW + timedelta(minutes=5), {"percent": 40})
        old.close()
    store = Store.open(tmp_path / "old.db")   # migrated forward
    assert store.choice(kept) is not None and store.choice(kept).payload == {"percent": 40}
    assert store.choice(store.open_choice("iam", COORD, COORD, NOW, NOW + timedelta(minutes=5), {})) is not None
    with pytest.raises(ValueError):
        store.open_choice("nonsense", COORD, COORD, NOW, NOW + timedelta(minutes=5), {})
    assert store.count("invites") == 0
