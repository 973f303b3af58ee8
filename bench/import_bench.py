"""Import benchmark: a file of 5,000 new contacts and 20,000 new budget rows, sent as a coordinator through the
conversation core (as Telegram and the console do), previewed, then committed with 확인; then the export of the
grown database imported again (every row found unchanged).

    .venv/bin/python bench/import_bench.py [--contacts 5000] [--budgets 20000] [--runs 2]

Preview = read the xlsx (calamine) + validate and plan every row + the chat summary and the full preview xlsx +
keep the open choice. Commit = the 확인 press: backup of the database, then every row, its origin and its audit
entry in one transaction. Both must stay within 5 s (issue 11).
"""

import argparse
import io
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import xlsxwriter

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.conversation import Conversation, Press
from intents.engine import Engine
from intents.message import IncomingFile, Message
from intents.writes.sheets import preview_reply
from store import Store
from store.sheets.columns import BUDGETS, CONTACTS
from store.sheets.current import snapshot
from store.sheets.exporting import export_bytes
from store.sheets.plan import plan_import
from store.sheets.reading import read_file

SEOUL = ZoneInfo("Asia/Seoul")
COORDINATOR = 2001
LIMIT_SECONDS = 5.0


def build_file(contacts: int, budgets: int, store: Store) -> bytes:
    """An xlsx with `contacts` new contacts (organisations named) and `budgets` new budget rows (programs named)."""
    now = snapshot(store.db)
    orgs = [now.display(i) for i in now.rows["기관"]]
    programs = [now.display(i) for i in now.rows["사업·과제"]]
    out = io.BytesIO()
    book = xlsxwriter.Workbook(out, {"in_memory": True})
    day = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet = book.add_worksheet(CONTACTS.name)
    sheet.write_row(0, 0, [c.header for c in CONTACTS.columns])
    for i in range(1, contacts + 1):
        sheet.write_row(i, 1, [f"벤치담당{i:05d}", "주무관", "담당자", orgs[i % len(orgs)], f"시험{i % 40}과",
                               f"044-{200 + i % 700}-{i % 10000:04d}", "벤치마크 행"])
        sheet.write_datetime(i, 8, date(2026, 12, 1), day)
    sheet = book.add_worksheet(BUDGETS.name)
    sheet.write_row(0, 0, [c.header for c in BUDGETS.columns])
    fundings = ["국비", "지방비", "합계"]
    for i in range(1, budgets + 1):
        sheet.write_row(i, 1, [programs[i % len(programs)], 2000 + i % 40, 1 + i % 3, None, "R&D" if i % 2 else "비R&D",
                               fundings[i % 3], "신규" if i % 5 else "계속", i, "억원", None, f"벤치 {i}", None])
    book.close()
    return out.getvalue()


def stages(store: Store, data: bytes) -> str:
    """Where a preview's time goes, measured once more outside the conversation core."""
    took = []
    start = time.perf_counter()
    raws = read_file("bench.xlsx", data)
    took.append(("read (calamine)", time.perf_counter() - start))
    start = time.perf_counter()
    plan = plan_import("bench.xlsx", raws, snapshot(store.db), SEOUL)
    took.append(("validate and plan", time.perf_counter() - start))
    start = time.perf_counter()
    preview_reply(plan, datetime.now(SEOUL))
    took.append(("chat text, preview xlsx and the plan as JSON", time.perf_counter() - start))
    return ", ".join(f"{what} {seconds:.2f} s" for what, seconds in took)


def run(contacts: int, budgets: int) -> tuple[float, float, float, int, str]:
    """One run on a fresh database: (preview s, commit s, re-import preview s, file bytes, preview stages)."""
    with tempfile.TemporaryDirectory() as folder:
        store = Store.open(Path(folder) / "tf.db")
        store.set_role(None, COORDINATOR, "coordinator", "2026-12-01T09:00:00+09:00", "코디")
        core = Conversation(Engine(store))
        data = build_file(contacts, budgets, store)
        parts = stages(store, data)
        now = datetime.now(SEOUL)

        def sent(name: str, payload: bytes) -> Message:
            return Message(text="", now=now, user_id=COORDINATOR, chat_id=COORDINATOR,
                           file=IncomingFile(name, len(payload), payload))

        start = time.perf_counter()
        preview = core.handle(sent("bench.xlsx", data))
        preview_s = time.perf_counter() - start
        assert preview.options and f"추가 {contacts}" in preview.reply.text, preview.reply.text[:500]
        start = time.perf_counter()
        done = core.handle(Press(preview.options[0].key, Message(text="", now=now, user_id=COORDINATOR,
                                                                  chat_id=COORDINATOR)))
        commit_s = time.perf_counter() - start
        assert f"추가 {contacts + budgets}행" in done.reply.text, done.reply.text
        assert store.count("contacts") >= contacts and store.count("budgets") >= budgets

        exported = export_bytes(store, True, SEOUL)   # the grown database as exported, imported again
        start = time.perf_counter()
        second = core.handle(sent("again.xlsx", exported))
        reimport_s = time.perf_counter() - start
        assert "바뀐 내용이 없습니다" in second.reply.text, second.reply.text[:500]
        store.close()
        return preview_s, commit_s, reimport_s, len(data), parts


def main() -> int:
    """Run the benchmark and print the figures; exit 1 if a figure is over the limit."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--budgets", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    worst = 0.0
    for n in range(1, args.runs + 1):
        preview_s, commit_s, reimport_s, size, parts = run(args.contacts, args.budgets)
        worst = max(worst, preview_s, commit_s)
        print(f"run {n}: {args.contacts:,} contacts + {args.budgets:,} budget rows ({size / 1024 / 1024:.1f} MB xlsx): "
              f"preview {preview_s:.2f} s, commit {commit_s:.2f} s; "
              f"the grown database's export imported again (all unchanged) previewed in {reimport_s:.2f} s",
              flush=True)
        print(f"       preview stages: {parts}", flush=True)
    print(f"limit {LIMIT_SECONDS:.0f} s each: {'ok' if worst <= LIMIT_SECONDS else 'OVER'}")
    return 0 if worst <= LIMIT_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
