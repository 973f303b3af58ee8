"""Reminders: offsets, restarts before/during/after a due time, edits, cancellations, digest days."""

from datetime import datetime, timedelta

import pytest
from apscheduler.schedulers.background import BackgroundScheduler

from bot.scheduler import schedule_digest, sync_reminders
from intents.dates.reminders import Due, Reminders, next_digest, parse_offset
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


def test_each_reminder_goes_once_to_group_and_attendees_across_restarts(store: Store, meeting: str) -> None:
    sent: list[tuple[int, str]] = []

    def start_bot(now: datetime) -> None:   # a fresh Reminders each time = a restarted bot
        plan = _reminders(store).plan(now)
        for due in plan.overdue:
            sent.extend((chat, reply.text) for chat, reply in _reminders(store).deliver(due, now))

    start_bot(START - timedelta(days=2))                       # stopped before any due time
    assert sent == []
    start_bot(START - timedelta(hours=23))                     # the 1-day reminder fell due while down
    assert sorted(chat for chat, _ in sent) == [GROUP, 555]
    assert all("1일 전" in text and "권역별 TF회의" in text for _, text in sent)
    start_bot(START - timedelta(hours=22))                     # restarted again: nothing twice
    assert len(sent) == 2
    start_bot(START - timedelta(minutes=30))                   # during the 1-hour window
    assert len(sent) == 4 and sum("1시간 전" in t for _, t in sent) == 2
    start_bot(START + timedelta(minutes=5))                    # after the start: skipped
    assert len(sent) == 4
    assert _reminders(store).plan(START + timedelta(minutes=5)).skipped


def test_reminder_buttons_answer_attendance(store: Store, meeting: str) -> None:
    due = Due(meeting, 3600, START - timedelta(hours=1))
    [(_, reply), *_] = _reminders(store).deliver(due, START - timedelta(minutes=59))
    assert [b.action for b in reply.buttons] == [f"rsvp:{meeting}:y", f"rsvp:{meeting}:n"]


def test_a_failed_send_is_released_and_retried(store: Store, meeting: str) -> None:
    reminders = _reminders(store)
    due = Due(meeting, 3600, START - timedelta(hours=1))
    first = reminders.deliver(due, START - timedelta(minutes=50))
    reminders.release(due, GROUP)
    again = reminders.deliver(due, START - timedelta(minutes=49))
    assert len(first) == 2 and [chat for chat, _ in again] == [GROUP]


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
        stale = Due(meeting, 3600, START - timedelta(hours=1))   # a job planned before the move
        assert _reminders(store).deliver(stale, START - timedelta(minutes=59)) == []
        store.cancel_meeting(COORD, now.isoformat(), meeting)
        sync_reminders(scheduler, _reminders(store), now, fired.append)
        assert [j for j in scheduler.get_jobs() if j.id.startswith("remind:")] == []
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
