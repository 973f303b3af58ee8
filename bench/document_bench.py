"""Documents: how long reading each fixture takes, and how long a question answered from passages takes with
many documents stored (trigram MATCH for words of three characters or more, an instr() scan for two).

    .venv/bin/python bench/document_bench.py [--documents N]
"""

import argparse
import hashlib
import statistics
import tempfile
import time
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from intents.documents.extract import extract
from intents.documents.header import read_header
from intents.documents.passages import split_passages
from intents.engine import Engine
from intents.message import Message
from store import Store
from store.documents import NewDocument

FIXTURES = Path(__file__).parent.parent / "tests" / "fixtures"
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=ZoneInfo("Asia/Seoul"))
QUESTIONS = {
    "three characters or more (trigram)": ["이노트랙 전문가그룹은 뭐해?", "14개 시·도 애로사항 청취",
                                           "지역발전계획 반영 독려"],
    "two-syllable words only (instr scan)": ["카드 뉴스", "지역 애로 청취"],
    "no passage answers": ["화성 탐사 계획 알려줘", "울릉도 관광 예산"],
}


def _ms(samples: list[float]) -> str:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"median {statistics.median(ordered) * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms"


def main() -> None:
    """Print extraction times, then question latencies over N stored documents."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--documents", type=int, default=300, help="documents to store (copies of the fixtures)")
    args = parser.parse_args()
    texts = {}
    for name in ("seed002.hwp", "seed004.hwpx", "seed000.pdf"):
        data = (FIXTURES / name).read_bytes()
        times = []
        for _ in range(5):
            start = time.perf_counter()
            doc = extract(name, data)
            times.append(time.perf_counter() - start)
        texts[name] = doc.text
        print(f"read {name} ({len(data):,} bytes, {len(doc.text):,} chars): {_ms(times)}")
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "bench.db")
        orgs = [n for n, _, _ in store.organisation_names()]
        start = time.perf_counter()
        passages = 0
        for n in range(args.documents):
            name, text = list(texts.items())[n % len(texts)]
            text = f"{text}\n(사본 {n})"
            header = read_header(text, orgs)
            parts = tuple(split_passages(text))
            passages += len(parts)
            sha = hashlib.sha256(text.encode()).hexdigest()
            store.add_document(NewDocument(f"{n}-{name}", name.rsplit(".", 1)[1], sha, header.title, header.issuer,
                                           header.date, header.date_note, text, parts), [], None, NOW.isoformat())
        print(f"stored {args.documents} documents ({passages:,} passages) in {time.perf_counter() - start:.1f} s")
        engine = Engine(store)
        for kind, questions in QUESTIONS.items():
            times = []
            for _ in range(10):
                for q in questions:
                    begin = time.perf_counter()
                    reply = engine.answer(Message(text=q, now=NOW, local_operator=True))
                    times.append(time.perf_counter() - begin)
            print(f"{kind}: {_ms(times)} per question (last: {reply.intent})")
        store.close()


if __name__ == "__main__":
    main()
