"""Reminders: offsets, restarts before/during/after a due time, edits, cancellations, digest days."""

import logging
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.scheduler import apply_plan, schedule_digest, sync_reminders
from intents.dates.reminders import Due, Reminders, next_digest, parse_offset
from intents.message import Reply
from store import Store
from tests.conftest import NOW, SEOUL

START = datetime(2026, 12, 3, 14, 0, tzinfo=SEOUL)
GROUP, COORD = -1001, 2


@pytest.fixture
def meeting(store: Store) -> str:
    """A meeting on 2026-12-03 14:00 with the TF group bound and its creator's private chat known."""
    store.set_setting(None, NOW.isoformat(), "group_chat_id", str(GROUP))
    store.set_role(None, COORD, "coordinator", NOW.isoformat(), "김코디")
    store.remember_private_chat(COORD, 555, NOW.isoformat())
    return store.add_meeting(COORD, NOW.isoformat(), "권역별 TF회의", START.isoformat(), None, "세종청사", "영상")


def _reminders(store: Store) -> Reminders:
    return Reminders(store, [parse_offset("1d"), parse_offset("1h")])


def test_offsets_parse() -> None:
    assert [parse_offset(x) for x in ("1d", "1h", "30m", "10s")] == [86400, 3600, 1800, 10]
    with pytest.raises(ValueError):
        parse_offset("soon")


def test_plan_before_both_reminders(store: Store, meeting: str) -> None:
    plan = _reminders(store).plan(START - timedelta(days=2))
    assert [(d.offset_seconds, d.at) for d in plan.future] == [
        (86400, START - timedelta(days=1)), (3600, START - timedelta(hours=1))]
    assert plan.overdue == [] and plan.skipped == []


class Outbox:
    """A channel stand-in: records what it was asked to send; chats in `refuse` fail."""

    def __init__(self, refuse: tuple[int, ...] = ()) -> None:
        self.sent: list[tuple[int, str]] = []
        self.refuse = refuse

    def __call__(self, chat: int, reply: Reply) -> bool:
        if chat in self.refuse:
            return False
        self.sent.append((chat, reply.text))
        return True


def _due(meeting: str, offset: int, start: datetime = START) -> Due:
    return Due(meeting, offset, start - timedelta(seconds=offset), start.isoformat())


def test_each_reminder_goes_once_to_group_and_attendees_across_restarts(store: Store, meeting: str) -> None:
    outbox = Outbox()

    def start_bot(now: datetime) -> None:   # a fresh Reminders each time = a restarted bot
        plan = _reminders(store).plan(now)
        for due in plan.overdue:
            _reminders(store).deliver(due, now, outbox)

    start_bot(START - timedelta(days=2))                       # stopped before any due time
    assert outbox.sent == []
    start_bot(START - timedelta(hours=23))                     # the 1-day reminder fell due while down
    assert sorted(chat for chat, _ in outbox.sent) == [GROUP, 555]
    assert all("1일 전" in text and "권역별 TF회의" in text for _, text in outbox.sent)
    start_bot(START - timedelta(hours=22))                     # restarted again: nothing twice
    assert len(outbox.sent) == 2
    start_bot(START - timedelta(minutes=30))                   # during the 1-hour window
    assert len(outbox.sent) == 4 and sum("1시간 전" in t for _, t in outbox.sent) == 2
    start_bot(START + timedelta(minutes=5))                    # after the start: skipped
    assert len(outbox.sent) == 4
    assert _reminders(store).plan(START + timedelta(minutes=5)).skipped
    assert {r["state"] for r in store.reminder_records()} == {"sent"}


def test_reminder_buttons_answer_attendance(store: Store, meeting: str) -> None:
    [out, *_] = _reminders(store).outgoing(_due(meeting, 3600), START - timedelta(minutes=59))
    assert [b.action for b in out.reply.buttons] == [f"rsvp:{meeting}:y", f"rsvp:{meeting}:n"]


def test_a_failed_send_is_released_and_retried(store: Store, meeting: str) -> None:
    reminders = _reminders(store)
    due = _due(meeting, 3600)
    assert reminders.deliver(due, START - timedelta(minutes=50), Outbox(refuse=(GROUP,))) == [555]
    assert {r["chat_id"]: r["state"] for r in store.reminder_records()} == {555: "sent"}   # the group's is released
    again = Outbox()
    assert reminders.deliver(due, START - timedelta(minutes=49), again) == [GROUP]
    assert [chat for chat, _ in again.sent] == [GROUP]


def test_a_reminder_counts_as_sent_only_once_confirmed(store: Store, meeting: str) -> None:
    reminders = _reminders(store)
    now = START - timedelta(minutes=50)
    first, second = reminders.outgoing(_due(meeting, 3600), now)
    assert reminders.claim(first, now) == 1
    # the process dies here: the group's reminder was claimed, the organiser's not even that
    assert store.reminder_records("claimed")[0]["chat_id"] == first.chat
    restarted = Outbox()
    assert sorted(_reminders(store).deliver(_due(meeting, 3600), now + timedelta(minutes=1), restarted)) == \
        sorted([GROUP, 555])
    assert {r["state"] for r in store.reminder_records()} == {"sent"}
    assert [r["attempts"] for r in store.reminder_records() if r["chat_id"] == first.chat] == [2]
    assert _reminders(store).outgoing(_due(meeting, 3600), now + timedelta(minutes=2)) == []   # nothing twice
    assert reminders.claim(second, now) is None


def test_an_unconfirmed_claim_of_a_meeting_that_began_is_skipped_and_logged_once(
        store: Store, meeting: str, caplog: pytest.LogCaptureFixture) -> None:
    reminders = _reminders(store)
    before = START - timedelta(minutes=50)
    out = reminders.outgoing(_due(meeting, 3600), before)[0]
    reminders.claim(out, before)   # and the process dies; it comes back after the meeting began
    scheduler = BackgroundScheduler(timezone=SEOUL)
    scheduler.start(paused=True)
    try:
        with caplog.at_level(logging.WARNING, logger="bot.scheduler"):
            sync_reminders(scheduler, _reminders(store), START + timedelta(minutes=1), lambda due: None)
            sync_reminders(scheduler, _reminders(store), START + timedelta(minutes=2), lambda due: None)
    finally:
        scheduler.shutdown(wait=False)
    skipped = [r.getMessage() for r in caplog.records if "skipped" in r.getMessage()]
    assert len(skipped) == 4   # 1-day and 1-hour reminders, group and organiser, each once
    assert sum(f"remind:{meeting}:3600" in m and f"chat {GROUP}" in m for m in skipped) == 1
    assert {(r["offset_seconds"], r["chat_id"], r["state"]) for r in store.reminder_records()} == {
        (86400, GROUP, "skipped"), (86400, 555, "skipped"), (3600, GROUP, "skipped"), (3600, 555, "skipped")}


def test_a_moved_meeting_is_reminded_again_at_its_new_time(store: Store, meeting: str) -> None:
    reminders = _reminders(store)
    assert len(reminders.deliver(_due(meeting, 3600), START - timedelta(minutes=50), Outbox())) == 2
    later = START + timedelta(hours=3)
    store.update_meeting(COORD, NOW.isoformat(), meeting, start=later.isoformat())   # while the bot is down
    plan = _reminders(store).plan(later - timedelta(minutes=30))
    assert plan.overdue == [_due(meeting, 86400, later), _due(meeting, 3600, later)]
    outbox = Outbox()
    for due in plan.overdue:
        _reminders(store).deliver(due, later - timedelta(minutes=30), outbox)
    assert sorted(chat for chat, text in outbox.sent if "1시간 전" in text) == sorted([GROUP, 555])
    stale = _due(meeting, 3600)   # a job planned before the move sends nothing
    assert _reminders(store).deliver(stale, START - timedelta(minutes=49), Outbox()) == []


def test_a_cancelled_meetings_unconfirmed_claims_are_not_resent(store: Store, meeting: str) -> None:
    reminders = _reminders(store)
    now = START - timedelta(minutes=50)
    out = reminders.outgoing(_due(meeting, 3600), now)[0]
    reminders.claim(out, now)   # the process dies; the meeting is cancelled while it is down
    store.cancel_meeting(COORD, now.isoformat(), meeting)
    plan = _reminders(store).plan(now + timedelta(minutes=1))
    assert plan.future == plan.overdue == [] and plan.upcoming == set()
    assert reminders.outgoing(_due(meeting, 3600), now) == [] and reminders.claim(out, now) is None


def test_reminders_recorded_before_the_claims_migration_count_as_sent(tmp_path: Path) -> None:
    from store.schema import MIGRATIONS
    from store.store import connect

    path = tmp_path / "old.db"
    Store.open(path).close()
    db = connect(path)   # take the file back to before 006: the old table, one reminder recorded as sent
    db.execute("DROP TABLE reminders_sent")
    db.execute("CREATE TABLE reminders_sent (meeting TEXT NOT NULL, offset_seconds INTEGER NOT NULL, "
               "chat_id INTEGER NOT NULL, at TEXT NOT NULL, PRIMARY KEY (meeting, offset_seconds, chat_id))")
    db.execute("DELETE FROM _migrations WHERE name = ?", [MIGRATIONS[5][0]])
    db.execute("INSERT INTO meetings (id, title, kind, start, status, created_by) VALUES "
               "('m-old', '권역별 TF회의', '회의', ?, '예정', ?)", [START.isoformat(), COORD])
    db.execute("INSERT INTO reminders_sent VALUES ('m-old', 3600, ?, ?)", [GROUP, NOW.isoformat()])
    db.close()
    store = Store.open(path)
    try:
        store.set_setting(None, NOW.isoformat(), "group_chat_id", str(GROUP))
        assert store.reminder_states("m-old", START.isoformat(), 3600) == {GROUP: "sent"}
        assert _reminders(store).outgoing(_due("m-old", 3600), START - timedelta(minutes=30)) == []
    finally:
        store.close()


def test_the_console_claims_only_its_own_chat(store: Store, meeting: str) -> None:
    console = Reminders(store, [3600], console_chat=0)
    assert console.deliver(_due(meeting, 3600), START - timedelta(minutes=50), Outbox()) == [0]
    assert [out.chat for out in _reminders(store).outgoing(_due(meeting, 3600), START - timedelta(minutes=50))] \
        == [GROUP, 555]   # the group and the organiser still get theirs from the bot


def test_moving_a_meeting_moves_its_jobs_and_cancelling_removes_them(store: Store, meeting: str) -> None:
    scheduler = BackgroundScheduler(timezone=SEOUL)
    scheduler.start(paused=True)
    try:
        now = START - timedelta(days=3)
        fired: list[Due] = []
        assert sync_reminders(scheduler, _reminders(store), now, fired.append) == (2, 0, 0)
        later = START + timedelta(days=7)
        store.update_meeting(COORD, now.isoformat(), meeting, start=later.isoformat())
        sync_reminders(scheduler, _reminders(store), now, fired.append)
        job = scheduler.get_job(f"remind:{meeting}:3600")
        assert job.next_run_time == later - timedelta(hours=1)
        store.cancel_meeting(COORD, now.isoformat(), meeting)
        sync_reminders(scheduler, _reminders(store), now, fired.append)
        assert [j for j in scheduler.get_jobs() if j.id.startswith("remind:")] == []
    finally:
        scheduler.shutdown(wait=False)


def test_an_unchanged_plan_leaves_the_jobs_alone(store: Store, meeting: str) -> None:
    scheduler = BackgroundScheduler(timezone=SEOUL)
    scheduler.start(paused=True)
    try:
        now = START - timedelta(days=3)
        plan = _reminders(store).plan(now)
        assert apply_plan(scheduler, plan, lambda due: None) == 2
        assert apply_plan(scheduler, _reminders(store).plan(now + timedelta(minutes=1)), lambda due: None) == 0
    finally:
        scheduler.shutdown(wait=False)


def test_digest_skips_holidays_and_weekends() -> None:
    assert next_digest(datetime(2026, 11, 23, 10, tzinfo=SEOUL), "mon 09:00") == datetime(2026, 11, 30, 9,
                                                                                         tzinfo=SEOUL)
    monday_holiday = datetime(2027, 2, 8, 9, tzinfo=SEOUL)   # 설날 다음날; Tue 2/9 is the substitute holiday
    assert next_digest(monday_holiday - timedelta(days=1), "mon 09:00") == datetime(2027, 2, 10, 9, tzinfo=SEOUL)


def test_digest_job_is_scheduled_once() -> None:
    scheduler = BackgroundScheduler(timezone=SEOUL)
    scheduler.start(paused=True)
    try:
        at = schedule_digest(scheduler, NOW, "mon 09:00", lambda: None)
        schedule_digest(scheduler, NOW, "mon 09:00", lambda: None)
        assert [j.id for j in scheduler.get_jobs()] == ["digest"] and at.weekday() == 0
    finally:
        scheduler.shutdown(wait=False)


def test_the_console_prints_a_reminder_when_it_falls_due(store: Store, capsys: pytest.CaptureFixture[str]) -> None:
    import time

    from bot.config import load_config
    from bot.console import ConsoleReminders
    from intents.engine import Engine

    cfg = load_config(env={})
    cfg.reminder_offsets = ["2s"]
    start = (datetime.now(SEOUL) + timedelta(seconds=3)).replace(microsecond=0)
    store.add_meeting(None, NOW.isoformat(), "콘솔 점검회의", start.isoformat(), None, None, None)
    console = ConsoleReminders(Engine(store), cfg)
    console.start()
    try:
        printed = ""
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and "콘솔 점검회의" not in printed:
            time.sleep(0.2)
            printed += capsys.readouterr().out
    finally:
        console.stop()
    assert "⏰ 회의 알림 (2초 전)" in printed and "콘솔 점검회의" in printed
    assert store.count("reminders_sent") == 1


def test_weekly_digest_and_nudges(store: Store, meeting: str) -> None:
    from intents.dates.reminders import digest, nudges
    from intents.writes.access import Policy

    policy = Policy(stale_days=14)
    store.add_progress("d000-task-daegu", COORD, "김코디", (NOW - timedelta(days=3)).isoformat(), 40, "진행", "설계")
    store.add_progress("d000-task-naju", COORD, "김코디", (NOW - timedelta(days=30)).isoformat(), 10, "진행", "착수")
    text = digest(store, policy, NOW).text
    assert "권역별 TF회의" in text   # 2026-12-03 is within two weeks of 2026-11-23
    assert "그린에너지 캠퍼스 구축" in text.split("지난주 업데이트된 과제:")[1].split("점검이")[0]
    assert "에너지밸리 조성" in text.split("점검이 필요한 과제")[1]
    assert [(chat, "에너지밸리 조성" in r.text) for chat, r in nudges(store, policy, NOW)] == [(555, True)]


def test_a_job_that_fell_due_a_moment_ago_is_kept_until_it_runs(store: Store, meeting: str) -> None:
    scheduler = BackgroundScheduler(timezone=SEOUL)
    scheduler.start(paused=True)
    try:
        before = START - timedelta(hours=1, seconds=1)
        apply_plan(scheduler, _reminders(store).plan(before), lambda due: None)
        # re-planned a moment after the 1-hour reminder fell due, before the scheduler ran its job
        apply_plan(scheduler, _reminders(store).plan(START - timedelta(minutes=59, seconds=59)), lambda due: None)
        assert [j.args[0] for j in scheduler.get_jobs()] == [_due(meeting, 3600)]
        store.cancel_meeting(COORD, NOW.isoformat(), meeting)   # gone from the plan altogether: dropped
        apply_plan(scheduler, _reminders(store).plan(START - timedelta(minutes=59)), lambda due: None)
        assert scheduler.get_jobs() == []
    finally:
        scheduler.shutdown(wait=False)
