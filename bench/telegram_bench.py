"""Telegram edge benchmark: the bot in its own process against the fake Bot API server in this one.

1. Throughput, rate limiter off: 2,000 questions over 100 private chats, all queued at once; time from
   the first injected update to the 2,000th answer received by the server.
2. Rate limiter on (the production `run_polling`): 200 questions, 44 of them in two groups; the most
   messages the server received in any one-second window, and to one group in any one-minute window.

Run: .venv/bin/python bench/telegram_bench.py   (about 95 s on 2 cores; --quick for a shorter run,
--ptb-defaults to measure AIORateLimiter's default limits, --http httpx for python-telegram-bot's default
transport, --limiter off to skip phase 2; TFBOT_BENCH_PROFILE=PATH writes a cProfile of the bot process
to PATH.on / PATH.off)
"""

import argparse
import asyncio
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.config import HTTP_CLIENTS, load_config  # noqa: E402
from intents.engine import Engine  # noqa: E402
from intents.writes.access import Policy  # noqa: E402
from store import Store  # noqa: E402
from tests.fake_bot_api import FakeBotApi  # noqa: E402

TOKEN = "123:ABC"
CHATS = 100
FIRST_USER = 50_000
GROUPS = (-100_001, -100_002)
QUESTIONS = [
    "부산 지역사업평가단 전화번호", "국가혁신클러스터 2단계 국비 얼마야?", "그린에너지 캠퍼스 진행상황",
    "지역사업평가단", "에너지", "클러스터", "/help", "대구 국가혁신클러스터 육성분야", "한국전력이 맡은 협업과제",
    "없는 사업 이름",
]
GROUP_QUESTIONS = ["@thisbot 국가혁신클러스터 2단계 국비 얼마야?", "/help@thisbot", "@thisbot 에너지",
                   "@thisbot 그린에너지 캠퍼스 진행상황"]


def prepare_db(path: Path) -> None:
    """A fresh database where every benchmark user is a registered member."""
    store = Store.open(path)
    for i in range(CHATS):
        store.set_role(None, FIRST_USER + i, "member", "2026-11-01T09:00:00+09:00")
    store.close()


def spawn_bot(fake: FakeBotApi, db: Path, rate_limit: bool, ptb_defaults: bool, http: str) -> subprocess.Popen[bytes]:
    """Start the bot process polling the fake server."""
    path = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])
    env = {**os.environ, "TFBOT_TOKEN": TOKEN, "TFBOT_API_BASE_URL": fake.base_url, "PYTHONPATH": path}
    args = [sys.executable, __file__, "--bot", str(db), "--http", http, "--rate-limit", "on" if rate_limit else "off"]
    if ptb_defaults:
        args.append("--ptb-defaults")
    if os.environ.get("TFBOT_BENCH_PROFILE"):
        args[1:1] = ["-m", "cProfile", "-o", f"{os.environ['TFBOT_BENCH_PROFILE']}.{args[-1]}"]
    return subprocess.Popen(args, env=env, cwd=ROOT)


def run_bot(db: str, rate_limit: bool, ptb_defaults: bool, http: str) -> None:
    """The bot process: the real engine and Application; SIGTERM stops it cleanly."""
    import bot.telegram as tg

    logging.basicConfig(level=logging.WARNING)
    if ptb_defaults:
        tg.OVERALL_LIMIT, tg.GROUP_LIMIT = (30, 1.0), (20, 60.0)
    cfg = load_config(os.devnull)   # an empty config file: the defaults, and the environment
    cfg.concurrent_updates = int(os.environ.get("TFBOT_BENCH_CONCURRENCY", cfg.concurrent_updates))
    cfg.http = http
    engine = Engine(Store.open(db), Policy())
    if rate_limit:
        tg.run_polling(cfg, engine)   # exactly what `tfbot run` does
    else:
        app = tg.build_application(engine, cfg, rate_limit=False)
        app.run_polling(drop_pending_updates=False, allowed_updates=list(tg.ALLOWED_UPDATES))


def max_in_window(times: list[float], width: float) -> int:
    """The largest number of events inside any window of `width` seconds."""
    times, best, start = sorted(times), 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= width:
            start += 1
        best = max(best, end - start + 1)
    return best


def bot_cpu(pid: int) -> float:
    """CPU seconds (user + system) a process has used so far, from /proc (Linux)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return float("nan")
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def bot_memory(pid: int) -> str:
    """A process's resident memory now and at its peak (VmRSS, VmHWM from /proc, Linux)."""
    try:
        status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                      if ":" in line)
    except OSError:
        return "unknown"
    mib = {key: int(status[key].split()[0]) / 1024 for key in ("VmRSS", "VmHWM") if key in status}
    return f"{mib.get('VmRSS', float('nan')):.0f} MiB (peak {mib.get('VmHWM', float('nan')):.0f} MiB)"


async def phase(total: int, group_share: int, rate_limit: bool, ptb_defaults: bool, http: str,
                timeout: float) -> tuple[FakeBotApi, float, str]:
    """Run one bot process against a fresh fake server, inject `total` questions, wait for the answers."""
    fake = await FakeBotApi(token=TOKEN).start()
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "tf.db"
        prepare_db(db)
        proc = spawn_bot(fake, db, rate_limit, ptb_defaults, http)
        try:
            await fake.wait_for(lambda: any(m == "getUpdates" for m, _ in fake.calls), 60)
            started, cpu = time.monotonic(), (bot_cpu(proc.pid), time.process_time())
            for i in range(total - group_share):
                user = FIRST_USER + i % CHATS
                fake.send_text(QUESTIONS[i % len(QUESTIONS)], user_id=user)
            for i in range(group_share):
                fake.send_text(GROUP_QUESTIONS[i % len(GROUP_QUESTIONS)], chat_id=GROUPS[i % len(GROUPS)],
                               chat_type="supergroup", user_id=FIRST_USER + i % CHATS)
            await fake.wait_for_messages(total, timeout)
            usage = (f"CPU during the run: bot process {bot_cpu(proc.pid) - cpu[0]:.1f} s, "
                     f"fake server {time.process_time() - cpu[1]:.1f} s; bot resident memory after the mix "
                     f"{bot_memory(proc.pid)}")
        finally:
            proc.send_signal(signal.SIGTERM)
            try:   # keep serving while the bot shuts down: it confirms the last updates on the way out
                await asyncio.to_thread(proc.wait, 20)
            except subprocess.TimeoutExpired:
                proc.kill()
            await fake.stop()
    extra = len(fake.sent) - total
    if proc.returncode != 0 or extra:
        usage += f"; bot exit code {proc.returncode}, {extra} unexpected extra messages"
    return fake, started, usage


async def bench(quick: bool, ptb_defaults: bool, http: str, limiter: str) -> None:
    """Both phases, then the report."""
    total = 500 if quick else 2000
    fake, started, usage = await phase(total, 0, rate_limit=False, ptb_defaults=False, http=http, timeout=150)
    last = sorted(s.time for s in fake.sent)[total - 1]
    print(f"rate limiter off ({http}): {total} questions over {CHATS} private chats answered in {last - started:.2f} s "
          f"= {total / (last - started):.0f} updates/s end to end "
          f"(first answer after {min(s.time for s in fake.sent) - started:.3f} s; {usage})")
    if limiter == "off":
        return

    per_group = 6 if quick else 22
    total = 60 if quick else 200
    fake, started, usage = await phase(total, per_group * len(GROUPS), rate_limit=True,
                                       ptb_defaults=ptb_defaults, http=http, timeout=150)
    times = [s.time for s in fake.sent]
    group_peak = max(max_in_window([s.time for s in fake.messages_to(g)], 60.0) for g in GROUPS)
    label = "PTB default limits" if ptb_defaults else "tfbot limits"
    print(f"rate limiter on ({label}): {total} questions ({per_group} in each of {len(GROUPS)} groups) answered "
          f"in {max(times) - started:.1f} s; most messages in any 1 s window: {max_in_window(times, 1.0)} "
          f"(Telegram: 30); most to one group in any 60 s window: {group_peak} (Telegram: 20); {usage}")


def main() -> None:
    """Parse arguments: the benchmark itself, or (internally) the bot process."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="500 + 60 questions instead of 2,000 + 200")
    parser.add_argument("--ptb-defaults", action="store_true",
                        help="measure AIORateLimiter's default limits (30/s, 20/min per group) instead of tfbot's")
    parser.add_argument("--http", choices=HTTP_CLIENTS, default="aiohttp", help="the Bot API transport")
    parser.add_argument("--limiter", choices=["on", "off"], default="on",
                        help="off: only the throughput phase (rate limiter off)")
    parser.add_argument("--bot", metavar="DB", help=argparse.SUPPRESS)
    parser.add_argument("--rate-limit", choices=["on", "off"], default="on", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bot:
        run_bot(args.bot, args.rate_limit == "on", args.ptb_defaults, args.http)
    else:
        asyncio.run(bench(args.quick, args.ptb_defaults, args.http, args.limiter))


if __name__ == "__main__":
    main()
