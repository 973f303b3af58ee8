"""Task status: current percent, status, latest note, who updated it and when."""

from intents.answers.common import Ask, finish, nothing
from intents.answers.program import header
from intents.answers.render import person_name, progress_summary, when
from intents.message import Reply
from store.store import Row, Store


def current(store: Store, task_id: str) -> Row | None:
    """The task's current state: its latest progress entry that has not been reversed."""
    return store.latest_progress(task_id)


def progress_line(row: Row) -> str:
    """One progress entry as `40% · 진행 — 메모 (이름, 일시)`."""
    who = person_name(row["user_id"], row["user_name"])
    return f"{progress_summary(row['percent'], row['status'], row['note'])} ({who}, {when(row['at'])})"


def answer_status(ask: Ask) -> Reply:
    """진행상황·이력 — 과제의 현재 진행률과 메모, 기록한 사람과 시각 (예: 그린에너지 캠퍼스 구축 진행상황)."""
    store, subject = ask.store, ask.subject
    if subject is None or subject.kind not in ("task", "program"):
        return nothing(ask, "status", "진행상황을 물으신 과제를")
    table = "tasks" if subject.kind == "task" else "programs"   # progress is logged on tasks only
    row = store.task(subject.id) if table == "tasks" else store.program(subject.id)
    if row is None:
        return nothing(ask, "status", "해당 과제를")
    card = header(store, row, table)
    state = current(store, subject.id)
    children = [(c, current(store, str(c["id"]))) for c in store.children("tasks", subject.id)]
    logged = [(c, p) for c, p in children if p]
    lines: list[str] = []
    if ask.query.has("이력", "히스토리", "기록"):
        history = store.progress_history(subject.id)
        lines.append(f"진행 이력 {len(history)}건:" if history else "기록된 진행 이력이 없습니다.")
        lines.extend(f"• {progress_line(h)}" + (" [되돌림]" if h["reverses"] else "") for h in history)
    elif state:
        lines.append(f"현재 진행상황: {progress_line(state)}")
    elif logged:
        lines.append("과제 자체의 진행 기록은 없고, 대표 프로젝트의 기록이 있습니다.")
    else:   # what was asked is not in the data: said so, the task only described, no entity answered
        lines.append("기록된 진행상황이 없습니다 (원문 자료에는 진행률이 없습니다).")
        reply = finish(ask, "status", [*card[:1], *lines, "", *card[1:]], [row["source"]])
        reply.entities, reply.missed = [], True
        return reply
    # a 협업과제's status shows its 대표프로젝트' progress: a /log on a project is part of the task
    lines.extend(f"• {c['name']}: {progress_line(p)}" for c, p in logged)
    lines = [*card[:1], *lines, "", *card[1:]]
    return finish(ask, "status", lines, [row["source"]])


def any_logged(store: Store, rows: list[Row]) -> bool:
    """Whether progress was logged on any of these tasks or programs, or on a task under one of them."""
    return any(current(store, str(r["id"])) or any(current(store, str(c["id"]))
                                                   for c in store.children("tasks", str(r["id"]))) for r in rows)
