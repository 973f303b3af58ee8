"""Kill/restart harness for deadline reminders: a real `tfbot run` against the fake Bot API, SIGKILLed at the
instant a deadline reminder's send reaches the server (accepted there, or dropped) or at a random moment, and
restarted at once, until every reminder is out.

Tasks due tomorrow are reminded one day before (today, at `[deadlines] at`, a few seconds after the start) and
action items due yesterday get their overdue nudge at the same moment, each to two owners' private chats. A
reminder is *lost* when it never reached its chat; it may arrive twice only if it was the one claimed and not
confirmed when the bot was killed. Used by tests/test_deadline_kill.py.
"""

import asyncio
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

from store import Store
from tests.fake_bot_api import FakeBotApi, Json
from tests.reminder_kill import BOOT, ROOT, SEOUL, TOKEN, _die_with_parent

OWNERS = (2101, 2102)
LEAD = 5.0          # seconds from preparing to the reminders' time of day (the first start takes ~2 s)
SEND_WAIT = 8.0     # an armed kill gives up (and kills at once) when no reminder is sent by then
MODES = ("send-accepted", "send-dropped", "time")
_REMINDER = re.compile(r"(?:⏰|🔔) (과제|후속조치) 기한 (?:알림 \((\d+)일 전\)|지남 \(\d+일 지남\))\n\[(.+?)\](.*)")

Key = tuple[str, int]   # (what the reminder names, user)


@dataclass
class Outcome:
    """What the round showed."""

    kills: Counter[str] = field(default_factory=Counter)
    due: int = 0
    delivered: int = 0
    duplicates: int = 0
    lost: list[str] = field(default_factory=list)
    bad_duplicates: list[str] = field(default_factory=list)
    left_claimed: list[str] = field(default_factory=list)
    most_in_flight: int = 0

    @property
    def problems(self) -> list[str]:
        """Everything that breaks the guarantee, one line each."""
        return ([f"lost: {x}" for x in self.lost] + [f"duplicate: {x}" for x in self.bad_duplicates]
                + [f"left claimed: {x}" for x in self.left_claimed]
                + ([f"{self.most_in_flight} in flight at one kill"] if self.most_in_flight > 1 else []))

    def summary(self) -> str:
        """One line for people."""
        return (f"{sum(self.kills.values())} kills ({dict(self.kills)}); {self.due} reminders due: {self.delivered} "
                f"delivered, {len(self.lost)} lost, {self.duplicates} allowed duplicates, "
                f"{len(self.bad_duplicates)} other duplicates")


class DeadlineRound:
    """One database, one fake server, one bot process killed and restarted for each mode."""

    def __init__(self, workdir: Path, rng: random.Random, modes: list[str], items: int = 4) -> None:
        self.workdir, self.rng, self.modes, self.items = workdir, rng, modes, items
        self.db, self.config = workdir / "tf.db", workdir / "config.toml"
        self.fake = FakeBotApi(token=TOKEN)
        self.proc: subprocess.Popen[bytes] | None = None
        self.logs: list[Path] = []
        self.names: dict[str, str] = {}    # item → what its reminder names
        self.allowed: Counter[Key] = Counter()
        self.outcome = Outcome()
        self._armed: tuple[str, asyncio.Future[str]] | None = None
        self._started = ""   # when the running bot was started (ISO, Seoul)

    def prepare(self) -> None:
        """Tasks due tomorrow and action items due yesterday, owned by two users with private chats."""
        now = datetime.now(SEOUL)
        at = (now + timedelta(seconds=LEAD)).time().replace(microsecond=0)
        self.config.write_text(f'[deadlines]\noffsets = ["1d"]\nat = "{at.isoformat()}"\n'
                               '[quiet]\nnights = ""\nweekends = false\nholidays = false\n', encoding="utf-8")
        store = Store.open(self.db)
        stamp = now.isoformat()
        for user in OWNERS:
            store.set_role(None, user, "member", stamp, f"담당{user}")
            store.remember_private_chat(user, user, stamp)
        meeting = store.add_meeting(None, stamp, "점검회의", stamp, None, None, None)
        tasks = [str(r["id"]) for r in store.of_kind("tasks", "협업과제")][: self.items]
        for task in tasks:
            store.set_due(None, task, (now.date() + timedelta(days=1)).isoformat(), stamp)
            for user in OWNERS:
                store.add_task_owner(None, task, "user", str(user), stamp)
            self.names[f"task:{task}"] = str((store.task(task) or {})["name"])
        for i in range(self.items):
            for user in OWNERS:
                what = f"자료 제출 {i + 1}-{user}"
                item = store.add_action(None, stamp, meeting, "user", str(user), what,
                                        (now.date() - timedelta(days=1)).isoformat())
                self.names[f"action:{item}"] = what
        store.close()

    def spawn(self) -> None:
        """Start `tfbot run` (it sends what fell due while it was down as it starts, before it polls)."""
        log = self.workdir / f"bot-{len(self.logs)}.log"
        self.logs.append(log)
        self._started = datetime.now(SEOUL).isoformat()
        env = {**os.environ, "TFBOT_TOKEN": TOKEN, "TFBOT_API_BASE_URL": f"http://127.0.0.1:{self.fake.port}"}
        with log.open("wb") as err:
            self.proc = subprocess.Popen([sys.executable, "-c", BOOT, "run", "--db", str(self.db), "--config",
                                          str(self.config)], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                                         stderr=err, preexec_fn=_die_with_parent)

    async def kill(self) -> None:
        """SIGKILL the bot and wait until it is gone."""
        assert self.proc is not None
        self.proc.send_signal(signal.SIGKILL)
        while self.proc.poll() is None:
            await asyncio.sleep(0.002)

    async def _on_send(self, params: Json) -> bool:
        if self._armed is None or not _REMINDER.search(str(params.get("text", ""))):
            return True
        mode, done = self._armed
        self._armed = None
        await self.kill()   # before the server answers: the bot can never hear that it was accepted
        done.set_result(mode)
        return mode == "send-accepted"

    async def trial(self, mode: str) -> None:
        """Start the bot; kill it at its next reminder send (armed before it starts: it sends what fell due as
        it starts) or after a random moment; note what was in flight."""
        if mode == "time":
            self.spawn()
            await asyncio.sleep(self.rng.uniform(0.5, 3.0))
            await self.kill()
        else:
            done: asyncio.Future[str] = asyncio.get_running_loop().create_future()
            self._armed = (mode, done)
            self.spawn()
            try:
                await asyncio.wait_for(asyncio.shield(done), SEND_WAIT)
            except TimeoutError:
                self._armed = None
                mode = "time"
                await self.kill()
        self.outcome.kills[mode] += 1
        store = Store.open(self.db)
        claimed = store.deadline_reminder_records("claimed")
        store.close()
        # claims the killed bot made and did not confirm (a claim left by an earlier kill may still wait)
        mine = [r for r in claimed if str(r["claimed_at"]) >= self._started]
        self.outcome.most_in_flight = max(self.outcome.most_in_flight, len(mine))
        for row in mine:
            self.allowed[(self.names[str(row["item"])], int(row["user_id"]))] += 1

    async def run(self) -> Outcome:
        """Prepare, start, kill and restart per mode, let every reminder go out, judge."""
        await self.fake.start()
        try:
            for user in OWNERS:
                self.fake.add_chat({"id": user, "type": "private", "first_name": f"담당{user}"})
            self.fake.on_send = self._on_send
            self.prepare()
            for mode in self.modes:
                await self.trial(mode)
            self.spawn()
            expected = self.expected()
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline and not set(expected) <= set(self.delivered()):
                await asyncio.sleep(0.2)
            await asyncio.sleep(0.5)
            if self.proc is not None:
                self.proc.terminate()
                self.proc.wait(timeout=20)
        finally:
            if self.proc is not None and self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            await self.fake.stop()
        self.judge()
        return self.outcome

    def expected(self) -> list[Key]:
        """Every reminder due: each task to both owners, each action item to its owner."""
        keys = [(name, user) for item, name in self.names.items() if item.startswith("task:") for user in OWNERS]
        keys += [(name, int(name.rsplit("-", 1)[1])) for item, name in self.names.items() if item.startswith("action:")]
        return keys

    def delivered(self) -> Counter[Key]:
        """What reached each chat, by what it names."""
        got: Counter[Key] = Counter()
        for sent in self.fake.sent:
            found = _REMINDER.search(sent.text)
            if found is not None:
                name = found.group(3) if found.group(1) == "과제" else found.group(4).strip()
                got[(name, sent.chat_id)] += 1
        return got

    def judge(self) -> None:
        """Compare what every chat received with what was due and the database."""
        got = self.delivered()
        store = Store.open(self.db)
        claimed = store.deadline_reminder_records("claimed")
        store.close()
        self.outcome.left_claimed = [f"{r['item']} → {r['user_id']}" for r in claimed]
        for key in self.expected():
            self.outcome.due += 1
            copies = got[key]
            if copies == 0:
                self.outcome.lost.append(str(key))
                continue
            self.outcome.delivered += 1
            extra = copies - 1
            self.outcome.duplicates += min(extra, self.allowed[key])
            if extra > self.allowed[key]:
                self.outcome.bad_duplicates.append(f"{key} x{copies}")


async def run_round(workdir: Path, seed: int, kills: int = 4) -> Outcome:
    """One round of `kills` kills, every mode at least once when there are enough."""
    rng = random.Random(seed)
    modes = list(MODES[:kills]) + [rng.choice(MODES) for _ in range(max(0, kills - len(MODES)))]
    rng.shuffle(modes)
    return await DeadlineRound(workdir, rng, modes).run()
