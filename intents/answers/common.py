"""Pieces every intent uses: the reply builder and the context an intent is called with."""

from dataclasses import dataclass, field, replace

from intents.answers.render import source_files, source_line
from intents.message import MAX_REPLY_CHARS, Entity, Message, Reply
from intents.reading.aspect import BY_NAME, STRICT_FOR, answer_first, unstated
from intents.reading.normalize import compact, particle, strip_particle, tokens
from intents.reading.understand import Query
from intents.reading.vocab import compared, is_filler, is_generic
from store.store import Row, Store

_NAMED_IN_ROW = 6   # a name this long or longer, said in a row's label or note, says whose row it is


def budgets_of(store: Store, program_id: str) -> list[Row]:
    """A program's budget cells; for one with none of its own, the cells of its parent whose label or note
    name it ("과제: 마이크로 e모빌리티 5대 부품 …" under its 클러스터): the row says whose money it is."""
    rows = store.budgets(program_id)
    if rows:
        return rows
    row = store.program(program_id) or store.task(program_id) or {}
    parent = str(row.get("parent") or "")
    if not parent:
        return []
    names = [compact(n) for n in [str(row.get("name") or ""), *store.aliases("program", program_id)]]
    names = [n for n in names if len(n) >= _NAMED_IN_ROW]
    return [r for r in store.budgets(parent)
            if any(n in compact(f"{r['label'] or ''} {r['note'] or ''}") for n in names)]


def this_year(ask: "Ask") -> None:
    """Read "올해" as the message's year, or, when the subject's cells stop before it, as their latest year,
    saying so after the answer; a year, period or phase said in the question wins."""
    q = ask.query
    if not q.this_year or q.year is not None or q.period or q.phase is not None or ask.subject is None:
        return
    years = {int(r["year"]) for r in budgets_of(ask.store, ask.subject.id) if r["year"]}
    now = ask.message.now.year
    chosen = now if now in years else max((y for y in years if y <= now), default=None)
    if chosen is None:
        return
    ask.query = replace(q, year=chosen, years=(chosen,))
    if chosen != now:
        ask.notes.append(f"※ 올해({now}년) 예산은 자료에 없어, 자료의 가장 최근 연도인 {chosen}년 것으로 답했습니다.")


@dataclass
class Ask:
    """Everything an intent needs: the store, the message, what was understood, the subject."""

    store: Store
    message: Message
    query: Query
    subject: Entity | None = None
    others: list[Entity] = field(default_factory=list)
    implicit: bool = False   # the subject was found for the asker (by region, organisation), not named
    pinned: bool = False     # the subject was chosen with a button or carried over from the last answer
    notes: list[str] = field(default_factory=list)   # said after the answer (which year "올해" was taken as)
    source: str | None = None   # one document to take figures from, when documents disagree

    def aspects(self) -> tuple[str, ...]:
        """The aspects asked; a bare '어디' asks where the subject is: an address, a place or regions. A word
        that names the subject's own kind ("지역주력산업지원 내역사업 예산": it is a 내역사업) asks nothing."""
        if self.query.aspects and self.subject is not None and self.subject.kind in ("program", "task"):
            row = (self.store.program if self.subject.kind == "program" else self.store.task)(self.subject.id)
            own = compact(str((row or {}).get("kind") or ""))
            if own and own in self.query.compact:
                kept = tuple(a for a in self.query.aspects if not _says_kind(a, own))
                if kept != self.query.aspects:
                    return kept
        if self.query.intent == "budget" and compared(self.query.compact) == "years":   # "제일 컸던 해가 언제"
            return tuple(a for a in self.query.aspects if a != "time")
        if self.query.phase is not None and "parent" in self.query.aspects:   # "2단계는 어떤 과제": that phase's
            return tuple(a for a in self.query.aspects if a != "parent")      # work, not what it belongs to
        if self.subject is not None and self.subject.kind in ("organisation", "department") \
                and "place" in self.query.aspects:   # "평가단 몇 층 몇 호": where an office is, its address
            return tuple(dict.fromkeys("address" if a == "place" else a for a in self.query.aspects))
        if self.query.phase is not None and "time" in self.query.aspects and self.query.has("언제까지"):
            return tuple("period" if a == "time" else a for a in self.query.aspects)   # "3단계는 언제까지": its span
        if self.query.aspects or self.subject is None or not self.query.has("어디") or self.query.intent == "budget":
            return self.query.aspects   # "지방비 가장 많이 들어간 연도 어디": which year, not where
        where = {"organisation": "address", "department": "address", "meeting": "place"}
        return (where.get(self.subject.kind, "region"),)

    def content_words(self) -> list[str]:
        """Words of the question without their particles, two syllables or longer, not bare numbers — nor the
        words of a clause of context, or of a name one said ("자유공모는 2년이던데 …": no topic of what is asked)."""
        known = {i for m in self.query.known for i in range(m.first, m.last + 1)} | self.query.context_at
        words = [strip_particle(w) for i, w in enumerate(tokens(self.query.text)) if i not in known]
        return [w for w in words if len(w) >= 2 and not w.isdigit()]


def _says_kind(aspect: str, kind: str) -> bool:
    """Whether an aspect is asked by a word that is this kind's own name (내역사업, 대표프로젝트)."""
    return any(compact(w) == kind or kind.startswith(compact(w)) for w in BY_NAME[aspect].words)


def matching_rows(rows: list[Row], column: str, ask: Ask, min_len: int = 2, at_least: int = 1) -> list[Row]:
    """Rows whose `column` shares `at_least` topic words (`min_len` syllables or more) with the question."""
    words = [w for w in ask.content_words()
             if len(w) >= min_len and not is_generic(w) and not _is_subject_word(w, ask)]
    out = []
    for row in rows:
        label = compact(str(row.get(column) or ""))
        if sum(1 for w in words if w in label or (len(label) >= 2 and label in w)) >= at_least:
            out.append(row)
    return out


def _is_subject_word(word: str, ask: Ask) -> bool:
    """A word of the subject's name, or of the name the question called it by (지역혁신협력지구)."""
    if ask.subject is None or is_filler(word):
        return False
    subject = ask.subject
    called = [compact(m.text) for m in ask.query.mentions if any(c.id == subject.id for c in m.candidates)]
    return word in compact(subject.name) or any(word in name for name in called)


def finish(ask: Ask, intent: str, lines: list[str], sources: list[str],
           entities: list[Entity] | None = None, private: bool = False, asked: int = 0) -> Reply:
    """Build a reply: the lines, a source line when facts were stated, capped to one message.

    `asked`: how many lines after the header state what the question names in its own words (a fact,
    an agenda item); they stay first, before the lines the asked aspect points to.
    """
    store = ask.store
    aspects = ask.aspects()
    subject = ask.subject
    # found for the asker, its name goes first; but an amount asked goes first when the header names it
    lead = subject.name if subject and ask.implicit and not (
        intent == "budget" and lines and lines[0].startswith(f"[{subject.name}]")) else None
    shaped = answer_first(lines, aspects, lead, asked, subject.kind if subject else None)
    if shaped is None:
        what = ", ".join(BY_NAME[a].says for a in unstated(lines, aspects)) or \
            ", ".join(BY_NAME[a].says for a in aspects if BY_NAME[a].strict or a in STRICT_FOR)
        whose = f"'{ask.subject.name}'의 " if ask.subject else "물으신 "
        return Reply(text=f"{whose}{particle(what, '은', '는')} 자료에 없습니다.", intent=intent, missed=True)
    body = "\n".join([*(line for line in shaped if line is not None), *ask.notes])
    cite = source_line(store, sources) if sources else ""
    text = body + ("\n\n" + cite if cite else "")
    if len(text) > MAX_REPLY_CHARS:
        keep = MAX_REPLY_CHARS - len(cite) - 40
        text = body[:keep].rsplit("\n", 1)[0] + "\n… (결과가 길어 일부만 표시했습니다)"
        text += "\n\n" + cite if cite else ""
    chosen = entities if entities is not None else ([ask.subject] if ask.subject else [])
    return Reply(
        text=text,
        intent=intent,
        entities=list(chosen),
        sources=source_files(store, sources),
        private=private,
    )


def nothing(ask: Ask, intent: str, what: str) -> Reply:
    """The reply when the store has no answer: says so plainly and states no figure."""
    return Reply(text=f"{what} 자료에서 찾지 못했습니다.", intent=intent, missed=True)
