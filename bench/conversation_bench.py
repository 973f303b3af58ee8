"""What the conversation core adds to the engine: per message, per kept choice, per answered choice.

For each question of a mix (questions, clarifying questions, a /log and a /meeting to confirm), in one process
on a fresh database: the engine's answer alone, the core's handle (the engine, the @botname, the error boundary
and, when the answer asks a choice, keeping it in the database), and the core answering a kept choice (read,
check, take and write in one transaction). Medians and 95th percentiles over ROUNDS rounds.

Run: .venv/bin/python bench/conversation_bench.py   (about 3 s)
"""

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.conversation import Conversation, Press  # noqa: E402
from intents.engine import Engine  # noqa: E402
from intents.message import Message  # noqa: E402
from intents.writes.access import Policy  # noqa: E402
from store import Store  # noqa: E402

ROUNDS = 100
PLAIN = ["부산 지역사업평가단 전화번호", "국가혁신클러스터 2단계 국비 얼마야?", "대구 국가혁신클러스터 육성분야",
         "한국전력이 맡은 협업과제", "없는 사업 이름", "/help"]
ASKING = ["지역사업평가단", "그린에너지 캠퍼스 진행상황", "/log 그린에너지 캠퍼스 40% 기본설계",
          "/meeting 12월 3일 오후 2시 권역별 TF회의"]
NOW = datetime(2026, 11, 23, 10, 0, tzinfo=ZoneInfo("Asia/Seoul"))


def timed(work: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    started = time.perf_counter()
    work()
    return (time.perf_counter() - started) * 1000


def line(name: str, samples: list[float]) -> str:
    """`name: median x ms, p95 y ms (n)`."""
    p95 = statistics.quantiles(samples, n=20)[-1] if len(samples) >= 20 else max(samples)
    return f"{name:<42} median {statistics.median(samples):6.2f} ms   p95 {p95:6.2f} ms   ({len(samples)} calls)"


def main() -> None:
    """Run the mix and print the figures."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "bench.db")
        engine = Engine(store, Policy(confirm_minutes=60))
        core = Conversation(engine)

        def message(text: str) -> Message:
            return Message(text, NOW, local_operator=True)

        engine.answer(message(PLAIN[0]))   # builds the name index
        plain_engine, plain_core, ask_engine, ask_core, answered = [], [], [], [], []
        for _ in range(ROUNDS):
            for text in PLAIN:
                plain_engine.append(timed(lambda t=text: engine.answer(message(t))))
                plain_core.append(timed(lambda t=text: core.handle(message(t))))
            for text in ASKING:
                ask_engine.append(timed(lambda t=text: engine.answer(message(t))))
                shown: list[str] = []
                ask_core.append(timed(lambda t=text, s=shown: s.extend(o.key for o in core.handle(message(t)).options)))
                key = shown[-1]   # 취소 of a write, the last option of a name: answering writes nothing for good
                answered.append(timed(lambda k=key: core.handle(Press(k, message("")))))
        store.close()
    print(line("question, engine alone", plain_engine))
    print(line("question, through the core", plain_core))
    print(line("asks a choice, engine alone", ask_engine))
    print(line("asks a choice, through the core (kept)", ask_core))
    print(line("a kept choice answered through the core", answered))


if __name__ == "__main__":
    main()
