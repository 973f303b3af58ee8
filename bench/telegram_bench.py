"""Telegram edge benchmark: bot processes against the fake Bot API server in this one, side by side.

1. Throughput, rate limiter off: 2,000 questions over 100 private chats, all queued at once, answered by
   tfbot's Application (`build_application(rate_limit=False)`, the aiohttp transport) and by a bare
   python-telegram-bot echo bot (bench/echo_bot.py) with the same concurrency (16 updates at once) over
   aiohttp and over PTB's own HTTPXRequest; updates/s from the first injected update to the 2,000th answer
   the server received, and each process's CPU per update and resident memory after the run.
2. Latency: 25 questions a second for 20 s (one in 25 to one of two groups), answered by `tfbot run` as
   shipped (the CLI with config.toml: the production rate limiter) and by the echo bots; p50/p99/max from
   injecting a question to the server receiving its answer, and the most messages in any 1 s window. Every
   bot first answers one warm-up question, timed apart: the first answer after start-up loads what loads
   lazily (the analyser, the name index) and is not a steady-state figure.
3. Limiter under a backlog, `tfbot run` as shipped: 1,070 questions at once, first 35 in each of two groups
   (16 of each group's answers must wait for its minute: 32, more than the bot's 16 update places), then 1,000
   private ones; the most messages the server received in any 1 s window, to one group in any 60 s window,
   the rate the answers left at while the backlog lasted, and how soon the first private answer came.

Run: .venv/bin/python bench/telegram_bench.py   (about 4 minutes on 2 cores; --quick for a short run,
--phases to choose phases, --echo to choose the echo bots' transports; TFBOT_BENCH_PROFILE=PATH writes a
cProfile of the tfbot-without-limiter and echo processes to PATH.<kind>.<transport>)
"""

import argparse
import asyncio
import logging
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import load_config  # noqa: E402
from bot.limiter import GROUP, OVERALL  # noqa: E402
from store import Store  # noqa: E402
from tests.fake_bot_api import FakeBotApi  # noqa: E402

TRANSPORTS = ("aiohttp", "httpx")   # the echo bot's: tfbot's own (aiohttp), and python-telegram-bot's default
TOKEN = "123:ABC"
CONCURRENCY = 16
FIRST_USER = 50_000
WARM_UP_USER = FIRST_USER - 1   # asks one question before the clock starts: its answer loads what loads lazily
USERS = 1000
GROUPS = (-100_001, -100_002)
QUESTIONS = [
    "부산 지역사업평가단 전화번호", "국가혁신클러스터 2단계 국비 얼마야?", "그린에너지 캠퍼스 진행상황",
    "지역사업평가단", "에너지", "클러스터", "/help", "대구 국가혁신클러스터 육성분야", "한국전력이 맡은 협업과제",
    "없는 사업 이름",
]
GROUP_QUESTIONS = ["@thisbot 국가혁신클러스터 2단계 국비 얼마야?", "/help@thisbot", "@thisbot 에너지",
                   "@thisbot 그린에너지 캠퍼스 진행상황"]


@dataclass(frozen=True)
class Bot:
    """A bot process to measure: `tfbot run` as shipped, tfbot without the limiter, or the echo bot."""

    kind: str   # "tfbot-run" | "tfbot-unlimited" | "echo"
    http: str = "aiohttp"

    @property
    def label(self) -> str:
        """How the report names it."""
        name = {"tfbot-run": "tfbot run (as shipped)", "tfbot-unlimited": "tfbot, limiter off",
                "echo": "bare PTB echo bot"}[self.kind]
        return f"{name} over {self.http}"


# --- the bot processes ------------------------------------------------------------------------------
def run_tfbot_unlimited(db: str) -> None:
    """tfbot's Application without the rate limiter, polling the fake server (SIGTERM stops it)."""
    from bot import telegram as tg
    from intents.engine import Engine
    from intents.writes.access import Policy

    logging.basicConfig(level=logging.WARNING)
    cfg = load_config(os.devnull)   # an empty config file: the defaults, and the environment
    app = tg.build_application(Engine(Store.open(db), Policy()), cfg, rate_limit=False)
    app.run_polling(drop_pending_updates=False, allowed_updates=list(tg.ALLOWED_UPDATES))


def spawn(bot: Bot, fake: FakeBotApi, db: Path, log: Path) -> subprocess.Popen[bytes]:
    """Start a bot process polling the fake server; its standard error goes to `log`."""
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "TFBOT_TOKEN": TOKEN, "TFBOT_API_BASE_URL": fake.base_url, "PYTHONPATH": path}
    for name in ("TFBOT_DB", "TFBOT_CONFIG", "TFBOT_ADMINS"):
        env.pop(name, None)
    if bot.kind == "tfbot-run":   # the shipped config.toml; --db names this run's database
        args = [sys.executable, "-m", "bot.cli", "run", "--db", str(db), "--config", str(ROOT / "config.toml")]
    else:
        args = ([sys.executable, str(ROOT / "bench" / "echo_bot.py"), bot.http] if bot.kind == "echo"
                else [sys.executable, __file__, "--bot", bot.kind, "--db", str(db)])
        if os.environ.get("TFBOT_BENCH_PROFILE"):
            args[1:1] = ["-m", "cProfile", "-o", f"{os.environ['TFBOT_BENCH_PROFILE']}.{bot.kind}.{bot.http}"]
    with log.open("wb") as err:
        return subprocess.Popen(args, env=env, cwd=ROOT, stderr=err, stdout=subprocess.DEVNULL)


def prepare_db(path: Path) -> None:
    """A fresh database where every benchmark user is a registered member."""
    store = Store.open(path)
    for user in [WARM_UP_USER, *range(FIRST_USER, FIRST_USER + USERS)]:
        store.set_role(None, user, "member", "2026-11-01T09:00:00+09:00")
    store.close()


# --- measures ---------------------------------------------------------------------------------------
def max_in_window(times: Sequence[float], width: float) -> int:
    """The largest number of events inside any half-open window [t, t + width)."""
    times, best, start = sorted(times), 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= width:
            start += 1
        best = max(best, end - start + 1)
    return best


def percentile(values: Sequence[float], share: float) -> float:
    """The value below which `share` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def cpu_seconds(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from /proc (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def resident_memory(pid: int) -> str:
    """A process's resident memory now and at its peak (VmRSS, VmHWM from /proc, Linux)."""
    try:
        status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                      if ":" in line)
    except OSError:
        return "unknown"
    mib = {key: int(status[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM") if key in status}
    return f"{mib.get('VmRSS', float('nan')):.0f} MiB (peak {mib.get('VmHWM', float('nan')):.0f} MiB)"


@dataclass
class Run:
    """What one bot process did: the server's record, when questions went in, the bot's CPU and log."""

    fake: FakeBotApi
    asked: dict[int, list[float]]   # chat → injection times, in order
    started: float
    first: float    # seconds to answer the warm-up question, the first after start-up (not in the figures)
    cpu: float
    memory: str
    log: str
    exit_code: int | None

    def answers(self) -> dict[int, list[float]]:
        """chat → times the server received the bot's messages, in order."""
        got: dict[int, list[float]] = defaultdict(list)
        for sent in self.fake.sent:
            got[sent.chat_id].append(sent.time)
        return got

    def latencies(self) -> list[float]:
        """Seconds from each question to its answer (the n-th answer in a chat answers its n-th question)."""
        got = self.answers()
        return [answer - asked for chat, times in self.asked.items()
                for asked, answer in zip(times, got[chat], strict=False)]

    def peaks(self) -> str:
        """The most messages in any 1 s window and to one group in any 60 s window."""
        times = [s.time for s in self.fake.sent]
        group = max((max_in_window([s.time for s in self.fake.messages_to(g)], 60.0) for g in GROUPS), default=0)
        return (f"most in any 1 s: {max_in_window(times, 1.0)} (limit {OVERALL.count}, Telegram 30); "
                f"most to one group in any 60 s: {group} (limit {GROUP.count}, Telegram 20)")


async def measure(bot: Bot, questions: list[tuple[int, str, str]], rate: float | None, timeout: float) -> Run:
    """Start `bot` against a fresh fake server, offer the questions (all at once, or `rate` a second),
    and wait until every one is answered."""
    fake = await FakeBotApi(token=TOKEN, username="thisbot").start()
    asked: dict[int, list[float]] = defaultdict(list)
    with tempfile.TemporaryDirectory() as tmp:
        db, log = Path(tmp) / "tf.db", Path(tmp) / "bot.log"
        prepare_db(db)
        proc = spawn(bot, fake, db, log)
        try:
            await fake.wait_for(lambda: any(m == "getUpdates" for m, _ in fake.calls), 60)
            await asyncio.sleep(0.5)   # let start-up calls (setMyCommands, the reminder plan) settle
            asked_at = time.monotonic()
            fake.send_text(QUESTIONS[1], user_id=WARM_UP_USER)
            [warm_up] = await fake.wait_for_messages(1, 60)
            first = warm_up.time - asked_at
            fake.sent.clear()
            before, started = cpu_seconds(proc.pid), time.monotonic()
            for i, (chat, kind, text) in enumerate(questions):
                if rate is not None:
                    await asyncio.sleep(max(0.0, started + i / rate - time.monotonic()))
                asked[chat].append(time.monotonic())
                if kind == "private":
                    fake.send_text(text, user_id=chat)
                else:
                    fake.send_text(text, chat_id=chat, chat_type="supergroup", user_id=FIRST_USER + i % USERS)
            await fake.wait_for_messages(len(questions), timeout)
            cpu, memory = cpu_seconds(proc.pid) - before, resident_memory(proc.pid)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:   # keep serving while the bot shuts down: it confirms the last updates on the way out
                await asyncio.to_thread(proc.wait, 20)
            except subprocess.TimeoutExpired:
                proc.kill()
            await fake.stop()
        text = log.read_text(encoding="utf-8", errors="replace")
    return Run(fake, dict(asked), started, first, cpu, memory, text, proc.returncode)


def remarks(run: Run, expected: int) -> str:
    """Anything unexpected about a run: extra messages, a failed exit, warnings in the bot's log."""
    notes = []
    if len(run.fake.sent) != expected:
        notes.append(f"{len(run.fake.sent) - expected:+d} messages beyond one answer a question")
    if run.exit_code not in (0, None):
        notes.append(f"exit code {run.exit_code}")
    warnings = [line for line in run.log.splitlines() if " WARNING " in line or " ERROR " in line]
    if warnings:
        notes.append(f"{len(warnings)} warnings/errors logged, first: {warnings[0][:160]}")
    return f" [{'; '.join(notes)}]" if notes else ""


# --- phases -----------------------------------------------------------------------------------------
def private_questions(n: int) -> list[tuple[int, str, str]]:
    """`n` private questions, each user asked at most once per 100 questions."""
    return [(FIRST_USER + i % 100, "private", QUESTIONS[i % len(QUESTIONS)]) for i in range(n)]


async def throughput(echo: list[str], quick: bool) -> None:
    """Phase 1: updates/s with the limiter off, tfbot against the echo bots."""
    total = 500 if quick else 2000
    print(f"1. throughput, rate limiter off: {total} questions over 100 private chats, all queued at once, "
          f"{CONCURRENCY} updates at once")
    for bot in [Bot("tfbot-unlimited")] + [Bot("echo", http) for http in echo]:
        run = await measure(bot, private_questions(total), None, 300)
        last = max(s.time for s in run.fake.sent)
        print(f"   {bot.label:34} {total / (last - run.started):6.0f} updates/s "
              f"({last - run.started:.2f} s; bot CPU {1000 * run.cpu / total:.2f} ms an update; resident "
              f"{run.memory})"
              f"{remarks(run, total)}")


def paced_questions(rate: float, seconds: float) -> list[tuple[int, str, str]]:
    """`rate` questions a second for `seconds`: one in 25 to a group (each group every 2 s), the rest from
    distinct private users."""
    questions: list[tuple[int, str, str]] = []
    for i in range(round(rate * seconds)):
        if i % 25 == 12:
            group = GROUPS[(i // 25) % len(GROUPS)]
            questions.append((group, "group", GROUP_QUESTIONS[i % len(GROUP_QUESTIONS)]))
        else:
            questions.append((FIRST_USER + i % USERS, "private", QUESTIONS[i % len(QUESTIONS)]))
    return questions


async def latency(echo: list[str], quick: bool) -> None:
    """Phase 2: answer latency at 25 questions a second, tfbot run as shipped against the echo bot."""
    seconds = 5.0 if quick else 20.0
    questions = paced_questions(25.0, seconds)
    print(f"2. latency: 25 questions/s for {seconds:.0f} s ({len(questions)}, "
          f"{sum(k == 'group' for _, k, _ in questions)} of them in {len(GROUPS)} groups)")
    for bot in [Bot("tfbot-run")] + [Bot("echo", http) for http in echo]:
        run = await measure(bot, questions, 25.0, 120)
        waits = run.latencies()
        print(f"   {bot.label:34} p50 {1000 * statistics.median(waits):5.0f} ms, "
              f"p99 {1000 * percentile(waits, 0.99):5.0f} ms, max {1000 * max(waits):5.0f} ms "
              f"(target p99 <= 100 ms); {run.peaks()}; bot CPU {run.cpu:.1f} s; first answer after start-up "
              f"(not counted) {1000 * run.first:.0f} ms{remarks(run, len(questions))}")


async def backlog(echo: list[str], quick: bool) -> None:
    """Phase 3: the production limiter's peaks and rate under a burst that also overfills two groups' minute."""
    private, per_group = (150, 6) if quick else (1000, 35)
    questions = [(GROUPS[i % 2], "group", GROUP_QUESTIONS[i % len(GROUP_QUESTIONS)]) for i in range(2 * per_group)]
    questions += [(FIRST_USER + i % USERS, "private", QUESTIONS[i % len(QUESTIONS)]) for i in range(private)]
    print(f"3. limiter under a backlog: {len(questions)} questions at once, {per_group} of them in each of "
          f"{len(GROUPS)} groups (asked first)")
    bot = Bot("tfbot-run")
    run = await measure(bot, questions, None, 150)
    times = sorted(s.time for s in run.fake.sent)
    busy = [t for t in times if t <= max(s.time for s in run.fake.sent if s.chat_id > 0)]
    # answers leave in waves of 28 about a second apart; the rate is taken over whole waves: 28 k answers
    # from the first until the first of the k-th next wave (the last, partial wave is left out)
    waves = (len(busy) - 1) // OVERALL.count
    rate = waves * OVERALL.count / (busy[waves * OVERALL.count] - busy[0])
    first_private = min(s.time for s in run.fake.sent if s.chat_id > 0) - run.started
    print(f"   {bot.label:34} all answered in {times[-1] - run.started:.1f} s; {run.peaks()}; "
          f"{len(busy)} answers left at {rate:.1f}/s while the backlog lasted (target >= 27); first private "
          f"answer after {first_private:.2f} s{remarks(run, len(questions))}")


PHASES = {"throughput": throughput, "latency": latency, "backlog": backlog}


async def bench(phases: list[str], echo: list[str], quick: bool) -> None:
    """The chosen phases, in order."""
    for name in phases:
        await PHASES[name](echo, quick)


def main() -> None:
    """Parse arguments: the benchmark itself, or (internally) one bot process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 questions, 5 s of latency, a 162-question burst")
    parser.add_argument("--phases", nargs="+", choices=list(PHASES), default=list(PHASES), help="which phases")
    parser.add_argument("--echo", nargs="*", choices=TRANSPORTS, default=list(TRANSPORTS), metavar="TRANSPORT",
                        help="the echo bots' transports: aiohttp, httpx (default both; none: no echo bot)")
    parser.add_argument("--bot", choices=["tfbot-unlimited"], help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bot:
        run_tfbot_unlimited(args.db)
    else:
        asyncio.run(bench(args.phases, args.echo, args.quick))


if __name__ == "__main__":
    main()
