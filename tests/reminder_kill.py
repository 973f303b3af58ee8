"""Kill/restart harness for reminders: a real `tfbot run` process against the fake Bot API, SIGKILLed at random
moments around reminder due times and at the instant a reminder's send reaches the server, restarted at once.

Used by tests/test_reminder_kill.py (a few trials in the default run) and bench/reminder_kill.py (many).

A reminder is *lost* when it never reached its chat and was not recorded (database) and logged (stderr) as
skipped. A reminder may arrive twice only if it was in flight at a kill: claimed in the database and not
confirmed when the process died. Reminders go to two private chats per meeting, not to a group: Telegram
allows a group 20 messages a minute, far fewer than the test's reminders a second.
"""

import asyncio
import ctypes
import math
import os
import random
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from store import Store
from tests.fake_bot_api import FakeBotApi, Json

ROOT = Path(__file__).resolve().parent.parent
SEOUL = ZoneInfo("Asia/Seoul")
TOKEN = "123:ABC"
ORGANISER, ATTENDEE = 2001, 2002
CHATS = (ORGANISER, ATTENDEE)
OFFSETS = (3, 1)       # seconds before each meeting
SPACING = 1.0          # seconds between meetings
STARTUP = 2.0          # seconds the first start may take before the first reminder falls due
MODES = ("time", "send-accepted", "send-dropped")
SEND_WAIT = 2.0        # an armed in-send kill falls back to a kill at that moment if no reminder is sent by then
AFTER_START_SLACK = 1.0   # a send decided before the meeting began may take this long to arrive on a busy machine
EXPLAIN_SLACK = 0.5       # a skip is explained by a downtime that began by its due time and lasted until its meeting
# `tfbot run` itself, with log lines on stderr (logging is configured in the process, as `tfbot` will)
BOOT = ("import logging, sys; logging.basicConfig(level=logging.WARNING, format='%(levelname)s %(name)s "
        "%(message)s'); logging.getLogger('bot').setLevel(logging.INFO); from bot.cli import main; "
        "sys.exit(main(sys.argv[1:]))")
_REMINDER = re.compile(r"⏰ 회의 알림 \((\d+)초 전\)\n\[(.+?)\]")
_SKIP = re.compile(r"reminder remind:(\S+):(\d+) \(meeting at \S+\) to chat (-?\d+) skipped")

Key = tuple[str, int, int]   # (meeting title, offset seconds, chat)


@dataclass
class Tally:
    """What the trials showed, reminder by reminder."""

    trials: int = 0
    reminders: int = 0                 # due reminders: meetings x offsets x chats
    delivered: int = 0                 # reminders that reached their chat (once or more)
    duplicates: int = 0                # extra copies of a reminder that was in flight at a kill (allowed)
    skipped: int = 0                   # never sent, the meeting had begun while the bot was down; recorded, logged
    unexplained_skips: list[str] = field(default_factory=list)   # skipped although the bot was up meanwhile
    lost: list[str] = field(default_factory=list)
    bad_duplicates: list[str] = field(default_factory=list)
    unlogged_skips: list[str] = field(default_factory=list)
    after_start: list[str] = field(default_factory=list)     # delivered after the meeting began
    left_claimed: list[str] = field(default_factory=list)    # still unconfirmed at the end
    in_flight_max: int = 0             # most reminders claimed but unconfirmed at any kill
    modes: Counter[str] = field(default_factory=Counter)

    def add(self, other: "Tally") -> None:
        """Fold another round's tally into this one."""
        for name in ("trials", "reminders", "delivered", "duplicates", "skipped"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("lost", "bad_duplicates", "unlogged_skips", "unexplained_skips", "after_start", "left_claimed"):
            getattr(self, name).extend(getattr(other, name))
        self.in_flight_max = max(self.in_flight_max, other.in_flight_max)
        self.modes.update(other.modes)

    @property
    def problems(self) -> list[str]:
        """Everything that breaks the guarantee, one line each."""
        return ([f"lost: {x}" for x in self.lost] + [f"duplicate: {x}" for x in self.bad_duplicates]
                + [f"skip not logged: {x}" for x in self.unlogged_skips]
                + [f"skipped while the bot was up: {x}" for x in self.unexplained_skips]
                + [f"after the meeting began: {x}" for x in self.after_start]
                + [f"left claimed: {x}" for x in self.left_claimed]
                + ([f"{self.in_flight_max} reminders in flight at one kill"] if self.in_flight_max > 1 else []))

    def summary(self) -> str:
        """One paragraph for people."""
        return (f"{self.trials} kills ({', '.join(f'{m} {n}' for m, n in sorted(self.modes.items()))}); "
                f"{self.reminders} reminders due: {self.delivered} delivered, {len(self.lost)} lost, "
                f"{self.skipped} skipped (meeting began while down; recorded and logged; "
                f"{len(self.unexplained_skips)} of them while the bot was up), "
                f"{self.duplicates} allowed duplicates (in flight at a kill), {len(self.bad_duplicates)} other "
                f"duplicates; at most {self.in_flight_max} in flight at a kill")


class Round:
    """One database, one fake server, one bot process killed and restarted `kills` times."""

    def __init__(self, workdir: Path, rng: random.Random, modes: list[str]) -> None:
        self.workdir, self.rng, self.modes = workdir, rng, modes
        self.db = workdir / "tf.db"
        self.config = workdir / "config.toml"
        self.fake = FakeBotApi(token=TOKEN)
        self.proc: subprocess.Popen[bytes] | None = None
        self.logs: list[Path] = []
        self.allowed: Counter[Key] = Counter()
        self.tally = Tally()
        self.titles: dict[str, str] = {}
        self.starts: dict[str, datetime] = {}
        self._armed: tuple[str, asyncio.Future[str]] | None = None
        self.down: list[tuple[datetime, datetime]] = []   # (killed, polling again)
        self._killed: datetime | None = None
        self._clock = (time.monotonic(), datetime.now(SEOUL))

    # --- set-up ----------------------------------------------------------------------------------
    def prepare(self, meetings: int) -> None:
        """Meetings a second apart, each reminded 3 s and 1 s before to its organiser and one attendee."""
        self.config.write_text('[reminders]\noffsets = [' + ", ".join(f'"{o}s"' for o in OFFSETS) + "]\n",
                               encoding="utf-8")
        now = datetime.now(SEOUL)
        store = Store.open(self.db)
        at = now.isoformat()
        for user in CHATS:
            store.remember_private_chat(user, user, at)
        first = now + timedelta(seconds=STARTUP + max(OFFSETS))
        for i in range(meetings):
            start = (first + timedelta(seconds=i * SPACING)).replace(microsecond=0)
            title = f"점검회의 {i + 1}"
            meeting = store.add_meeting(ORGANISER, at, title, start.isoformat(), None, None, None)
            store.respond(meeting, ATTENDEE, "참석자", "참석", at)
            self.titles[meeting], self.starts[title] = title, start
        store.close()

    # --- the bot process -------------------------------------------------------------------------
    async def spawn(self) -> None:
        """Start `tfbot run` and wait until it polls."""
        log = self.workdir / f"bot-{len(self.logs)}.log"
        self.logs.append(log)
        env = {**os.environ, "TFBOT_TOKEN": TOKEN, "TFBOT_API_BASE_URL": f"http://127.0.0.1:{self.fake.port}"}
        seen = len(self.fake.calls)
        with log.open("wb") as err:
            self.proc = subprocess.Popen([sys.executable, "-c", BOOT, "run", "--db", str(self.db), "--config",
                                          str(self.config)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                         stderr=err, preexec_fn=_die_with_parent)
        await self.fake.wait_for(lambda: any(m == "getUpdates" for m, _ in self.fake.calls[seen:]), timeout=60)
        if self._killed is not None:
            self.down.append((self._killed, datetime.now(SEOUL)))
            self._killed = None

    async def kill(self) -> None:
        """SIGKILL the bot and wait until it is gone."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        self._killed = datetime.now(SEOUL)
        while self.proc.poll() is None:
            await asyncio.sleep(0.002)

    async def stop(self) -> None:
        """Stop the bot as an operator would (SIGTERM)."""
        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()
            deadline = time.monotonic() + 20
            while self.proc.poll() is None and time.monotonic() < deadline:
                await asyncio.sleep(0.05)
            if self.proc.poll() is None:
                await self.kill()

    async def _on_send(self, params: Json) -> bool:
        """At the instant a reminder's send arrives: kill if armed; deliver it unless the kill drops it."""
        if self._armed is None or not _REMINDER.search(str(params.get("text", ""))):
            return True
        mode, done = self._armed
        self._armed = None
        await self.kill()   # before the server answers: the bot can never hear that it was accepted
        done.set_result(mode)
        return mode == "send-accepted"

    # --- one trial -------------------------------------------------------------------------------
    async def trial(self, mode: str) -> None:
        """Wait a random moment, kill (now, or at the next reminder send), note what was in flight, restart."""
        await asyncio.sleep(self.rng.uniform(0.1, 1.0))
        if mode != "time":
            done: asyncio.Future[str] = asyncio.get_running_loop().create_future()
            self._armed = (mode, done)
            try:
                await asyncio.wait_for(asyncio.shield(done), SEND_WAIT)
            except TimeoutError:
                self._armed = None
                mode = "time"   # no reminder was sent meanwhile
        if mode == "time":
            await self.kill()
        self.tally.modes[mode] += 1
        self.tally.trials += 1
        store = Store.open(self.db)
        claimed = store.reminder_records("claimed")
        store.close()
        self.tally.in_flight_max = max(self.tally.in_flight_max, len(claimed))
        for row in claimed:
            self.allowed[(self.titles.get(row["meeting"], row["meeting"]), row["offset_seconds"], row["chat_id"])] += 1
        await self.spawn()

    async def run(self, meetings: int) -> Tally:
        """The whole round: prepare, start, kill and restart per mode, let every meeting begin, judge."""
        await self.fake.start()
        try:
            for user in CHATS:
                self.fake.add_chat({"id": user, "type": "private", "first_name": f"사용자{user}"})
            self.fake.on_send = self._on_send
            self.prepare(meetings)
            await self.spawn()
            for mode in self.modes:
                await self.trial(mode)
            last = max(self.starts.values())
            await asyncio.sleep(max(0.0, (last - datetime.now(SEOUL)).total_seconds()) + 1.5)
            await self.stop()
        finally:
            if self.proc is not None and self.proc.poll() is None:   # interrupted: no bot is left behind
                self.proc.kill()
                self.proc.wait()
            await self.fake.stop()
        self.judge()
        return self.tally

    # --- judging ---------------------------------------------------------------------------------
    def _wall(self, monotonic: float) -> datetime:
        return self._clock[1] + timedelta(seconds=monotonic - self._clock[0])

    def judge(self) -> None:
        """Compare what every chat received with what was due, the database and the logs."""
        delivered: Counter[Key] = Counter()
        for sent in self.fake.sent:
            found = _REMINDER.search(sent.text)
            if found is None:
                continue
            key = (found.group(2), int(found.group(1)), sent.chat_id)
            delivered[key] += 1
            if self._wall(sent.time) > self.starts[key[0]] + timedelta(seconds=AFTER_START_SLACK):
                self.tally.after_start.append(f"{key} at {self._wall(sent.time):%H:%M:%S.%f}")
        store = Store.open(self.db)
        states = {(self.titles[r["meeting"]], r["offset_seconds"], r["chat_id"]): r["state"]
                  for r in store.reminder_records() if r["meeting"] in self.titles}
        store.close()
        logged = {(self.titles.get(m.group(1), m.group(1)), int(m.group(2)), int(m.group(3)))
                  for log in self.logs for m in _SKIP.finditer(log.read_text(encoding="utf-8", errors="replace"))}
        for title in self.starts:
            for offset in OFFSETS:
                for chat in CHATS:
                    self._judge((title, offset, chat), delivered[(title, offset, chat)], states.get((title, offset,
                                                                                                    chat)), logged)

    def _judge(self, key: Key, copies: int, state: str | None, logged: set[Key]) -> None:
        tally = self.tally
        tally.reminders += 1
        if state == "claimed":
            tally.left_claimed.append(str(key))
        if copies == 0:
            if state == "skipped" and key in logged:
                tally.skipped += 1
                if not self._explained(key):
                    tally.unexplained_skips.append(str(key))
            elif state == "skipped":
                tally.unlogged_skips.append(str(key))
            else:
                tally.lost.append(f"{key} (state {state})")
            return
        tally.delivered += 1
        extra = copies - 1
        tally.duplicates += min(extra, self.allowed[key])
        if extra > self.allowed[key]:
            tally.bad_duplicates.append(f"{key} x{copies}")


    def _explained(self, key: Key) -> bool:
        """Whether the bot was down from (about) the reminder's due time until its meeting began."""
        start = self.starts[key[0]]
        due, slack = start - timedelta(seconds=key[1]), timedelta(seconds=EXPLAIN_SLACK)
        return any(killed <= due + slack and back >= start - slack for killed, back in self.down)


def _die_with_parent() -> None:
    """In the child: get SIGKILL when the harness dies, so that an interrupted run leaves no bot behind."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(1, signal.SIGKILL)   # PR_SET_PDEATHSIG


def plan_modes(trials: int, rng: random.Random) -> list[str]:
    """Kill modes for `trials` kills: every mode at least once when there are enough, the rest at random."""
    modes = list(MODES[:trials]) + [rng.choice(MODES) for _ in range(max(0, trials - len(MODES)))]
    rng.shuffle(modes)
    return modes


def meetings_for(kills: int) -> int:
    """Enough meetings that reminders keep falling due while the round kills (about 1.6 s a kill)."""
    return math.ceil(kills * 1.6) + 2


async def run_trials(trials: int, workdir: Path, seed: int, kills_per_round: int = 8) -> Tally:
    """Run `trials` kills in rounds of `kills_per_round`; the tally of them all."""
    rng = random.Random(seed)
    total = Tally()
    done = 0
    while done < trials:
        kills = min(kills_per_round, trials - done)
        folder = workdir / f"round-{done // kills_per_round:03d}"
        folder.mkdir(parents=True)
        total.add(await Round(folder, rng, plan_modes(kills, rng)).run(meetings_for(kills)))
        done += kills
    return total
