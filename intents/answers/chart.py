"""Charts asked in words ("국가혁신클러스터 예산 그래프", "협업과제 진행 현황 그래프") or with /chart: a program's
budget as stacked bars, tasks' progress as horizontal bars. The text answer always comes with the picture (screen
readers, search); a chart of nothing is said in text, with no picture."""

import importlib
import re
from datetime import datetime, timedelta
from types import ModuleType

from intents.answers.budget import answer_budget
from intents.answers.common import Ask, budgets_of
from intents.answers.render import name_of, progress_summary, source_files, source_line, when
from intents.charts import ChartUnavailable
from intents.charts.budget import budget_chart, plain
from intents.charts.progress import PER_PICTURE, ProgressChart, progress_chart
from intents.message import Attachment, Reply
from intents.reading.normalize import compact
from intents.reading.understand import region_of
from intents.reading.vocab import KIND_WORDS
from store.store import Row, Store

PNG = "image/png"
MAX_CAPTION = 1024   # Telegram's limit for a photo's caption
NOTE_CHARS = 30      # a progress note in the text answer, shortened past this
USAGE = ("그래프로 볼 것을 알려 주세요:\n"
         "• 예산: /chart <사업명> 또는 '국가혁신클러스터 예산 그래프' — 연도·단계별 국비·지방비 누적 막대\n"
         "• 진행 현황: /chart 진행 [지역·과제명] 또는 '협업과제 진행 현황 그래프' — 과제별 최근 진행률")


def _draw() -> ModuleType:
    """The drawing module, loaded when a chart is drawn: matplotlib is not needed to answer a text question."""
    try:
        return importlib.import_module("intents.charts.draw")
    except ImportError as exc:
        raise ChartUnavailable(f"그래프를 그리는 matplotlib을 불러오지 못했습니다 ({exc.name}). "
                               "pip install -e . 로 다시 설치해 주세요.") from exc


def answer_chart(ask: Ask, stale_days: int) -> Reply:
    """그래프 — 사업 예산이나 과제 진행 현황을 그림으로 (예: 국가혁신클러스터 예산 그래프, 협업과제 진행 현황 그래프).

    The first line is the /help line. A budget is drawn as stacked bars by year or phase, progress as one bar a
    task; the reply's text states every figure drawn."""
    kind = chart_kind(ask)
    if kind == "budget":
        return _budget(ask)
    if kind == "progress":
        return _progress(ask, stale_days)
    return Reply(text=USAGE, intent="chart")


def chart_kind(ask: Ask) -> str | None:
    """'budget' or 'progress': what the question asks to see (its words, else what its subject holds); None when
    it names nothing a chart could show."""
    q, subject = ask.query, ask.subject
    if q.stale_asked or q.intent == "status":
        return "progress"
    if q.intent == "budget":
        return "budget"
    if subject is None:
        return "progress" if q.regions or q.cities or any(t == "tasks" for t, _ in q.kind_words) else None
    if subject.kind == "program" and budgets_of(ask.store, subject.id):
        return "budget"
    return "progress" if subject.kind in ("program", "task", "organisation") else None


# --- budget ------------------------------------------------------------------------------------------------
def _budget(ask: Ask) -> Reply:
    """A program's budget chart with its figures in text, or why there is none (and the budget answer)."""
    subject = ask.subject
    if subject is None or subject.kind not in ("program", "task"):
        return Reply(text="어느 사업의 예산을 그릴지 사업 이름을 넣어 주세요 (예: '국가혁신클러스터 예산 그래프', "
                          "/chart 국가혁신클러스터).", intent="chart")
    chart = budget_chart(ask)
    if isinstance(chart, str):
        return _nothing(ask, chart, answer_budget(ask))
    store = ask.store
    cite = source_line(store, chart.sources)
    lines = [f"[{subject.name}] 예산 그래프 (단위 억원, {'·'.join(chart.parts)})"]
    for bar in chart.bars:
        cells = zip(chart.parts, bar.cells, bar.amounts, strict=True)
        said = [(_spelt(part, row, chart.split), a) for part, row, a in cells if row is not None and a is not None]
        where = bar.position.label + (f" ({bar.position.note})" if bar.position.note else "")
        figures = " + ".join(f"{part} {plain(a)}" for part, a in said)
        lines.append(f"• {where}: {figures} = {plain(bar.total)}억원" if len(said) > 1 else f"• {where}: {figures}억원")
    lines.extend(f"※ {note}" for note in chart.notes)
    caption = f"{subject.name} 예산 ({'·'.join(chart.parts)}, 단위 억원)\n{cite}"
    try:
        picture = _draw().budget_picture(chart, cite)
    except ChartUnavailable as exc:
        return _unavailable(ask, "\n".join(lines) + "\n\n" + cite, chart.sources, str(exc))
    attachment = Attachment(f"budget-{_slug(subject.id)}.png", picture.png, PNG, "photo", fit_caption(caption))
    return Reply(text="\n".join(lines) + "\n\n" + cite, intent="chart", entities=[subject],
                 sources=source_files(store, chart.sources), attachments=[attachment])


def _spelt(part: str, row: Row | None, split: str) -> str:
    """A part as its cell spells it (지방비등, 정부): the text keeps the document's word."""
    return str(row["funding"]) if split == "funding" and row is not None and row["funding"] else part


# --- progress ----------------------------------------------------------------------------------------------
def _progress(ask: Ask, stale_days: int) -> Reply:
    """The progress chart of the tasks asked for, with each one's state in text; or why there is none."""
    now = ask.message.now
    tasks, title = tasks_asked(ask, now, stale_days)
    if not tasks:
        return _nothing(ask, f"'{title}'에 해당하는 과제가 없어 그래프를 그리지 않았습니다.", None)
    chart = progress_chart(ask.store, tasks, title, now, stale_days)
    text = progress_text(chart)
    if not chart.logged:
        return _nothing(ask, f"'{title}' {len(tasks)}건 모두 진행 기록이 없어 그래프를 그리지 않았습니다. "
                             "기록은 /log <과제명> <N>% <메모> 로 남깁니다.", None, text)
    try:
        attachments = progress_attachments(chart)
    except ChartUnavailable as exc:
        return _unavailable(ask, text, [], str(exc))
    return Reply(text=text, intent="chart", entities=[ask.subject] if ask.subject else [], attachments=attachments)


def tasks_asked(ask: Ask, now: datetime, stale_days: int) -> tuple[list[Row], str]:
    """The tasks a progress chart is asked of, and what to call them: the stale ones, a task and its projects,
    a program's tasks, an organisation's, a kind's or a region's, else every task the TF follows."""
    store, q, subject = ask.store, ask.query, ask.subject
    if q.stale_asked:
        return store.stale_tasks((now - timedelta(days=stale_days)).isoformat()), "점검이 필요한 과제"
    if subject is not None and subject.kind == "task":
        task = store.task(subject.id)
        return [*([task] if task else []), *store.children("tasks", subject.id)], subject.name
    if subject is not None and subject.kind == "program":
        under = store.children("tasks", subject.id)
        if not under:   # not linked in the data: the tasks of the kind its name says (10대 협업과제 → 협업과제)
            kinds = [kind for word, (table, kind) in KIND_WORDS.items() if table == "tasks" and word in
                     compact(subject.name)]
            under = store.of_kind("tasks", kinds[0]) if kinds else []
        return _in_regions(under, q.regions), subject.name
    if subject is not None and subject.kind == "organisation":
        return _in_regions(store.led_by("tasks", subject.id), q.regions), f"{name_of(store, subject.id)} 과제"
    if q.unknown_places and not (q.regions or q.cities):   # "울릉도 진행 그래프": a place the data does not have
        return [], " ".join(q.unknown_places)
    if q.unexplained and subject is None:   # "바이오 과제 진행 그래프": a word no task, kind or place explains
        return [], " ".join(q.unexplained)
    kinds = [kind for table, kind in q.kind_words if table == "tasks"]
    places = [*q.regions, *q.cities]
    if kinds:
        rows = [r for kind in dict.fromkeys(kinds) for r in store.of_kind("tasks", kind)]
        return _in_regions(rows, places), " ".join([*places, *dict.fromkeys(kinds)])
    if places:   # each task once, in the order the regions and cities were named
        found = {str(r["id"]): r for p in q.regions for r in store.in_region("tasks", p)}
        found.update({str(r["id"]): r for c in q.cities for r in store.tasks_in_city(c)})
        return list(found.values()), f"{' '.join(places)} 과제"
    return followed(store)


def followed(store: Store) -> tuple[list[Row], str]:
    """Every task the TF follows (the 협업과제, and any other task with an update), and what to call them."""
    tracked = store.tracked_tasks()
    return tracked, "협업과제" if all(r["kind"] == "협업과제" for r in tracked) else "TF 과제"


def _in_regions(rows: list[Row], places: tuple[str, ...] | list[str]) -> list[Row]:
    """The rows of any of the regions or innovation cities asked; all when none is asked."""
    if not places:
        return rows
    return [r for r in rows if set(region_of(r)) & set(places) or str(r.get("innovation_city") or "") in places]


def progress_text(chart: ProgressChart) -> str:
    """The chart in words: one line per task (its latest update, or none), the stale ones marked ※."""
    lines = [f"[{chart.title}] 진행 현황 ({len(chart.bars)}건, {when(chart.as_of.date().isoformat())} 기준)"]
    for bar in chart.bars:
        mark = " ※" if bar.stale else ""
        if bar.status is None:
            lines.append(f"• {bar.name}: 기록 없음{mark}")
            continue
        lines.append(f"• {bar.name}: {progress_summary(bar.percent, bar.status, _short(bar.note))} "
                     f"({when(bar.at)}){mark}")
    lines.append(f"※ {chart.stale_days}일 넘게 업데이트가 없는 과제")
    pages, left = chart.pictures()
    if left:
        shown = len(chart.bars) - left
        lines.append(f"그림에는 {shown}건만 실었습니다 ({PER_PICTURE}건씩 {len(pages)}장, 외 {left}건)")
    return "\n".join(lines)


def _short(note: str) -> str:
    """A progress note shortened for one line."""
    return note if len(note) <= NOTE_CHARS else note[:NOTE_CHARS - 1] + "…"


def progress_attachments(chart: ProgressChart) -> list[Attachment]:
    """The chart's pictures (PER_PICTURE tasks each), captioned with what they show and as of when."""
    footer = f"진행 기록: tfbot ({chart.as_of:%Y-%m-%d %H:%M} 기준)"
    pictures = _draw().progress_pictures(chart, footer)
    out = []
    for n, picture in enumerate(pictures, start=1):
        numbering = f" ({n}/{len(pictures)})" if len(pictures) > 1 else ""
        caption = f"{chart.title} 진행 현황{numbering} — {footer}"
        name = "progress.png" if n == 1 else f"progress-{n}.png"
        out.append(Attachment(name, picture.png, PNG, "photo", fit_caption(caption)))
    return out


# --- common ------------------------------------------------------------------------------------------------
def _nothing(ask: Ask, why: str, text_answer: Reply | None, listing: str = "") -> Reply:
    """A chart of nothing: says why, with no picture; then what can be said in text."""
    parts = [why]
    if listing:
        parts.append(listing)
    elif text_answer is not None and not text_answer.missed:
        parts.append(text_answer.text)
    entities = [ask.subject] if ask.subject is not None else []
    return Reply(text="\n\n".join(parts), intent="chart", entities=entities,
                 sources=text_answer.sources if text_answer is not None and not text_answer.missed else [])


def _unavailable(ask: Ask, text: str, sources: list[str], why: str) -> Reply:
    """The text of a chart that cannot be drawn on this installation, with the reason."""
    return Reply(text=f"{text}\n\n(그래프는 보내지 못했습니다: {why})", intent="chart",
                 entities=[ask.subject] if ask.subject else [], sources=source_files(ask.store, sources))


def fit_caption(text: str) -> str:
    """A caption within Telegram's 1,024 characters (counted as Telegram does, in UTF-16 units)."""
    if len(text.encode("utf-16-le")) // 2 <= MAX_CAPTION:
        return text
    cut = text
    while len(cut.encode("utf-16-le")) // 2 > MAX_CAPTION - 1:
        cut = cut[:-1]
    return cut + "…"


def _slug(text: str) -> str:
    """A file-name-safe form of an id."""
    return re.sub(r"[^A-Za-z0-9_-]+", "-", text).strip("-") or "chart"
