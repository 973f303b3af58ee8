"""The engine: understands a message, picks the intent and the entity, and answers it."""

import logging
import sqlite3
from collections import Counter
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime, timedelta
from typing import TypeVar

from rapidfuzz.distance import Levenshtein

from intents.answers.budget import answer_budget
from intents.answers.chart import answer_chart
from intents.answers.common import Ask, budgets_of, matching_rows, nothing
from intents.answers.compute import answer_compute, operation
from intents.answers.contact import answer_contact, asks_for_person
from intents.answers.deadline import answer_actions, answer_due_list, answer_task_due
from intents.answers.fallback import (
    Topic,
    answer_without_subject,
    build_topics,
    facts_labelled,
    facts_naming,
    facts_of_organisation,
    facts_saying,
    topics_said,
)
from intents.answers.help import answer_help
from intents.answers.holdings import (
    budgeted_kind_owner,
    could_answer,
    data_says,
    descend,
    described_in_regions,
    facts_answer,
    facts_say,
    has_data_for,
    in_regions,
    is_under,
    kinds_of_named_area,
    knows_about,
    names_under,
    of_regions,
    phases,
    plan_of,
    program_of_kind,
    results_named,
    same_answer,
)
from intents.answers.meeting import ORDINAL, answer_meeting, answer_next
from intents.answers.passage import answer_from_passages
from intents.answers.program import AREA_LABELS, answer_program, asks_length, names_by_document
from intents.answers.search import (
    answer_led,
    answer_list,
    answer_not_in_regions,
    answer_region,
    answer_series,
    answer_topic,
    as_candidate,
    filter_rows,
)
from intents.answers.task import answer_status, any_logged
from intents.message import Button, Entity, Message, Offer, Pick, Reply
from intents.reading import morph, vocab
from intents.reading.aspect import CARD_ASPECTS, KINDS_OF
from intents.reading.matcher import Mention, NameIndex
from intents.reading.morph import nouns_of
from intents.reading.normalize import compact, jamo, particle, strip_particle, tokens
from intents.reading.understand import AMBIGUITY_MARGIN, Query, entity_row, region_of, understand
from intents.reading.vocab import is_filler
from intents.registry import REGISTRY, Registry
from intents.writes.access import Policy, refuse_unknown, role_of
from intents.writes.commands import LONG_BODY, Context, may_send, run_command, run_file, run_pick
from intents.writes.document import receive_document
from intents.writes.invites import redeem
from store.errors import ReadOnly
from store.store import Store
from store.tx import READ_ONLY_TEXT, is_read_only_error

log = logging.getLogger(__name__)
R = TypeVar("R", Reply, Reply | None)
MEETING_ONLY = frozenset({"clock", "place", "mode", "chair", "attendees", "agenda"})   # aspects only a meeting holds
NAME_WORD_BONUS = 8.0   # a word of the question that only one candidate's name also says
MAX_QUESTION_CHARS = 1000
MAX_CHOICES = 8
WRITE_OFFERS = ("log", "meeting", "correction", "document", "import", "due", "action")   # finish a write
_KIND_PRIORITY = {
    "contact": ("contact", "department", "organisation", "program", "task", "meeting"),
    "budget": ("program", "task", "organisation", "meeting", "contact", "department"),
    "status": ("task", "program", "organisation", "meeting", "contact", "department"),
    "meeting": ("meeting", "program", "task", "organisation", "contact", "department"),
    "other": ("task", "program", "organisation", "meeting", "contact", "department"),
}


class Engine:
    """Answers TF questions from one store; transport-neutral and free of clocks and I/O."""

    def __init__(self, store: Store, policy: Policy | None = None, registry: Registry = REGISTRY) -> None:
        self.store = store
        self.policy = policy or Policy()
        self.registry = registry
        self._index: NameIndex | None = None
        self._topics: list[Topic] | None = None
        self._built_at = -1   # the store's generation the indexes were built at
        # per chat: when the last answer with one subject was given, its subject and what was understood
        self._last: dict[int | None, tuple[datetime, Entity, Query]] = {}

    @property
    def index(self) -> NameIndex:
        """The name index, built on first use and again after the store's names changed (or `refresh`)."""
        self.follow_store()
        if self._index is None:
            self._index = NameIndex(self.store.names())
        return self._index

    @property
    def topics(self) -> list[Topic]:
        """Facts, results and agenda items normalised for word search, built on first use and after a change."""
        self.follow_store()
        if self._topics is None:
            self._topics = build_topics(self.store)
        return self._topics

    def refresh(self) -> None:
        """Forget the name and topic indexes so that what was written since is found."""
        self._index = None
        self._topics = None

    def follow_store(self) -> None:
        """Forget the indexes when the names, facts or agenda changed since they were built (written by this
        process or another): one read of a counter in the database, once per question."""
        generation = self.store.current_generation()
        if generation != self._built_at:
            self.refresh()
            self._built_at = generation

    def takes_file(self, message: Message, name: str) -> bool:
        """Whether a file of this name from this sender would be read (else a channel need not fetch it: the
        answer to the message says why not)."""
        return may_send(self.store, self.policy, self.registry, message, name)

    def match(self, text: str, limit: int = 5) -> list[Entity]:
        """Candidate entities for a piece of text, best first: the name the text says (its longest exact
        span, else its best guess) before the others it mentions, so a region inside a full name or a
        generic word inside many names does not tie with the name itself."""
        with self.store.answering():
            return self._match(text, limit)

    def _match(self, text: str, limit: int) -> list[Entity]:
        text = clean(text)[:MAX_QUESTION_CHARS]
        mentions = self.index.find(text, ignore=vocab.is_filler)
        named = [m for m in mentions if any(c.kind != "region" for c in m.candidates)]
        if not named or compact(text) in self.index.by_key:   # a region in a sentence qualifies, it is not named
            return self.index.lookup(text, limit)
        ordered = sorted(named, key=lambda m: (not m.exact, -len(m.text), -m.best.score))
        out: list[Entity] = []
        for m in ordered:
            out.extend(c for c in m.candidates if all((c.kind, c.id) != (o.kind, o.id) for o in out))
        return out[:limit]

    def answer(self, message: Message, pick: Pick | None = None) -> Reply:
        """Answer one message, or finish a choice offered earlier with the option `pick` (a clarifying
        question's `kind:id` is answered as the message again, about that entity)."""
        with self.store.answering():   # the store's changes are looked for once per question
            return self._answer(message, pick)

    def _answer(self, message: Message, pick: Pick | None) -> Reply:
        text = clean(message.text)
        if pick is None and not text and message.file is None:
            return Reply(text="질문을 입력해 주세요. 예: '부산 지역사업평가단 전화번호'. 도움말은 /help", intent="help")
        command = text.split()[0].lower() if text.startswith("/") and pick is None else ""
        # a pasted document, and the choice that finishes a write, are not questions: their length is theirs
        if len(text) > MAX_QUESTION_CHARS and command not in LONG_BODY and (pick is None or pick.kind == "clarify"):
            return Reply(text=f"질문이 너무 깁니다({len(text):,}자). {MAX_QUESTION_CHARS:,}자 이내로 물어봐 주세요.",
                         intent="error")
        message = replace(message, text=text)
        if command == "/start" and len(text.split()) > 1:   # an invite link opened: before any role is needed
            return self._writing(lambda: redeem(self.store, self.policy, message))
        role = role_of(self.store, self.policy, message)
        if role is None:
            return refuse_unknown(message)
        if message.chat_kind == "private" and message.user_id is not None and message.chat_id is not None and \
                not self.store.read_only and self.store.private_chat(message.user_id) != message.chat_id:
            self.store.remember_private_chat(message.user_id, message.chat_id, message.now.isoformat())
        if command in ("/start", "/help"):
            return answer_help(self.registry.questions(), self.registry.commands(), greet=command == "/start")
        context = Context(self.store, self.index, self.policy, self.registry)
        if pick is not None and pick.kind != "clarify":
            return self._writing(lambda: run_pick(context, role, message, pick))
        if message.file is not None:
            return self._writing(lambda: run_file(context, role, message))
        if command in LONG_BODY:   # read as a document, never as a question
            return self._writing(lambda: run_command(context, command, role, message)) or \
                Reply(text="알 수 없는 명령입니다.", intent="help")
        query = understand(text, self.index)   # once: everything below reads this
        written = self._writing(lambda: run_command(context, command, role, message, query.worded))
        if written is not None:
            return written
        choice = pick.action if pick is not None else None
        forced = _parse_choice(choice, self.store)
        following = self._follows(message, query) if forced is None else None
        previous = following[0] if following else None
        query = following[1] if following else query
        reply = self._route(Ask(self.store, message, query, pinned=bool(forced or previous)), forced or previous)
        if reply.missed:   # what no structured row answers, a passage of a document coordinators sent may
            reply = answer_from_passages(self.store, query) or reply
        if previous is not None and reply.entities:
            body, _, cite = reply.text.partition("\n\n출처:")
            said = f"{body}\n(앞의 질문에 이어 '{previous.name}'에 대해 답했습니다)"
            reply.text = said + (f"\n\n출처:{cite}" if cite else "")
        if len(reply.entities) == 1 and not reply.missed:
            e = reply.entities[0]
            self._last[message.chat_id] = (message.now, Entity(e.kind, str(e.id), e.name, 100.0), query)
        self._learn(message, query, reply, choice)
        return reply

    def receive_document(self, file_name: str, data: bytes, message: Message) -> Reply:
        """A document file sent in a chat (or named on the command line): its preview to confirm, or why it
        cannot be read; a read-only database refuses it."""
        return self._writing(lambda: receive_document(self.store, file_name, data, message, self.policy))

    def _writing(self, write: Callable[[], R]) -> R | Reply:
        """Run a command or finish a write: a read-only database refuses it with a message (questions still
        work), and so is an offer to finish a write it could only refuse (a meeting written is a name questions
        may use from the next question on: the store's generation changed)."""
        try:
            written = write()
            if written is not None and written.offer is not None and written.offer.kind in WRITE_OFFERS \
                    and self.store.read_only:
                raise ReadOnly(READ_ONLY_TEXT)
        except (ReadOnly, sqlite3.OperationalError) as exc:
            if not is_read_only_error(exc):
                raise
            return Reply(text=f"{READ_ONLY_TEXT} 질문에는 계속 답합니다.", intent="readonly")
        return written

    def _follows(self, message: Message, q: Query) -> tuple[Entity, Query] | None:
        """For a short question that names no subject ("그럼 지방비는?", "담당자는?"): the chat's last subject,
        and the question read with what it leaves unsaid taken from the last one (its year or phase; its
        kind of figure when it asks for none)."""
        last = self._last.get(message.chat_id)
        if last is None or message.now - last[0] > timedelta(minutes=self.policy.follow_up_minutes):
            return None
        asks_something = q.aspects or q.funding or q.year or q.phase or q.category or q.intent != "other" or q.chart
        names_nothing = not (q.mentions or q.regions or q.cities or q.kind_words or q.unexplained or q.order)
        if not (asks_something and names_nothing and len(tokens(q.text)) <= 5):
            return None
        before = last[2]
        if q.intent == "other":   # "2단계는?" after a budget question: the same kind of figure
            q = replace(q, funding=before.funding, fundings=before.fundings, category=before.category,
                        categories=before.categories, scope=before.scope, intents=before.intents)
        if q.year is None and q.phase is None and q.period is None:   # "그럼 지방비는?": the same year or phase
            q = replace(q, year=before.year, years=before.years, phase=before.phase, phases=before.phases,
                        period=before.period)
        return last[1], q

    def _learn(self, message: Message, q: Query, reply: Reply, choice: str | None) -> None:
        """Keep a question the data could not answer, or a choice offered, for `tfbot unanswered` (not in a
        read-only database)."""
        if self.store.read_only:
            return
        try:
            if choice:
                self.store.note_pick(choice)
            elif reply.missed or reply.intent == "clarify":
                understood: dict[str, object] = {"intent": q.intent, "names": [m.text for m in q.mentions],
                              "aspects": list(q.aspects), "regions": q.regions, "year": q.year, "phase": q.phase}
                self.store.note_miss(message.now.isoformat(), message.text[:MAX_QUESTION_CHARS],
                                     "clarify" if reply.intent == "clarify" else "notfound", understood,
                                     [b.action for b in reply.buttons] or None)
        except (sqlite3.Error, ReadOnly) as exc:   # a read-only database still answers; the miss is only logged
            log.warning("unanswered question not kept: %s", exc)

    # --- routing -----------------------------------------------------------------------------
    def _route(self, ask: Ask, forced: Entity | None) -> Reply:
        q = ask.query
        if q.follow_up is not None:   # due dates, action items: when not about a task or a meeting, as if unsaid
            answered = self._follow_up(ask, forced)
            if answered is not None:
                return answered
        intent = q.intent
        if forced is not None:
            ask.subject, ask.others = forced, []
        else:
            picked = self._pick(ask, intent)
            if isinstance(picked, Reply):
                return picked
            ask.subject, ask.others = picked
        if q.yes_no and q.regions and ask.subject is not None and ask.subject.kind in ("program", "task") \
                and not in_regions(self.store, ask.subject, q.regions):
            return answer_not_in_regions(ask)   # "전기자율차 협력권에 충남도 들어가 있나?": no, and where it is
        if q.unknown_people and forced is None:   # "김철수 과장 연락처": a person no contact row names
            meant = self._typed_for(q, q.unknown_people[0])
            if meant is None:
                return _not_found(q, self._no_such_person(q.unknown_people[0]))
            ask.subject = meant   # "정병천 사무관님 번호": 정병찬 사무관, one letter off, said so
            quoted = particle(f"'{meant.name}'", "으로", "로")
            ask.notes.append(f"('{q.unknown_people[0]}' 대신 명단의 {quoted} 찾았습니다.)")
            return self._dispatch(ask, intent)
        if q.chart:   # "국가혁신클러스터 예산 그래프", "/chart 진행": the budget or progress asked, drawn
            return answer_chart(ask, self.policy.stale_days)
        if intent == "help" and ask.subject is None:
            return answer_help(self.registry.questions(), self.registry.commands())
        if intent == "meeting" and q.order == "next" and not self._agenda_named(ask):
            return answer_next(ask)   # "다음 (TF) 회의 언제야?": the calendar (not "모두발언 다음 순서")
        if intent == "budget" and ask.subject is not None and ask.subject.kind in ("program", "task") \
                and operation(ask) is not None:
            computed = answer_compute(ask)   # "지특 내역사업 3개(…) 선정규모 다 더하면": computed, not listed
            if computed is not None:
                return computed
        if forced is None:
            listed = self._listing(ask)
            if listed is not None:
                return listed
        if ask.subject is None and q.known and q.regions:   # "울산 클러스터는 …였고, 충남은 무슨 분야": the same
            ask.subject = self._counterpart(q)                 # thing of the place the question names
        if ask.subject is None:
            if (q.regions or q.cities) and not q.unexplained:
                return answer_region(ask)
            fallback = answer_without_subject(ask, intent, self.topics)
            if fallback is not None:
                return fallback
            described = described_in_regions(self.store, q)
            if described is not None:   # "광주전남 초광역 협력산업은 뭐로 돼있어?": the one row there saying so
                ask.subject = described
                return self._dispatch(ask, intent)
            return _not_found(q)
        if q.regions and not in_regions(self.store, ask.subject, q.regions):
            # "전기자율차 협력권에 충남도 들어가 있나?", "대구도 있었나? 어디어디야": asked whether, the answer is no,
            # and where it is
            return answer_not_in_regions(ask) if q.yes_no or (q.checked and vocab.asks_several(q.text)) \
                else _not_found(q)
        if q.unknown_places and not q.regions and not in_regions(self.store, ask.subject, []):
            return _not_found(q)   # "울릉도 협업과제": a place the data does not have, for something that has places
        if q.cities and ask.subject.kind == "program":
            return answer_region(ask)   # an innovation city names its 협업과제, not a whole program
        guessed = [m for m in q.mentions if not m.exact]
        meeting_asked = intent == "meeting" and ask.subject.kind == "meeting"
        if guessed and len(guessed) == len(q.mentions) and forced is None and not meeting_asked:
            # (not when one of the names guessed says more of the question: "지역특화산업 신청 접수 기간" is the
            # 신청 접수 of 지역특화산업육성사업, not a fact whose label holds 지역특화산업)
            named = facts_naming(ask, self.topics, guessed[0].text) if not self._name_says_more(q, guessed[0]) \
                else None
            # (facts that lack what is asked, when the subject has a fact the question names: the subject's)
            if named is not None and not (named.missed and facts_answer(self.store, q, ask.subject)):
                return named
            if intent == "other" and len(q.unexplained) >= 3 and operation(ask) is None:
                return _not_found(q)   # "청년 창업 지원금 신청 방법": most of it unread, about a name only guessed
        if q.phase is not None and ask.subject.kind == "program" and q.phase not in phases(self.store, ask.subject.id):
            return _not_found(q)   # "국가혁신클러스터 5단계": a phase the data does not have
        if ask.subject.kind == "organisation" and q.unexplained and forced is None and intent != "budget":
            # "TIPA 누리집": a fact naming it (not money: "…반영한 국비 얼마" is no 경영평가 반영)
            names = [ask.subject.name, *self.store.aliases("organisation", ask.subject.id)]
            kept = facts_of_organisation(ask, self.topics, names)
            if kept is not None:
                return kept
        noun = q.asked_noun
        if noun and ask.subject.kind in ("program", "task") and noun.split()[-1] in ("이름", "명칭") \
                and names_by_document(self.store, ask.subject):
            noun = None   # "예전 이름", "새 명칭": what the documents call a program that has two names
        if noun and forced is None and intent in ("other", "contact") and set(q.aspects) <= {"count"} \
                and not data_says(self.store, ask.subject, noun.split()[0]):   # "대전 도심융합특구 면적 몇"
            return Reply(text=f"'{ask.subject.name}'의 {particle(noun, '은', '는')} 자료에 없습니다.",
                         intent=intent, missed=True)
        return self._dispatch(ask, intent)

    def _follow_up(self, ask: Ask, forced: Entity | None) -> Reply | None:
        """A question about due dates or action items (q.follow_up): a task's due date, what is due soon or
        overdue (of the regions or organisation named), a meeting's or the asker's action items. None when it
        names something else (a program's 접수 마감, a person): then it is answered as any question."""
        q = ask.query
        mode = str(q.follow_up)
        if mode == "my_actions":
            return answer_actions(ask, "mine")
        if q.unknown_people and forced is None:   # "김철수 할 일": a person no contact names is not found (_route)
            return None
        exact = [m.best for m in q.mentions if m.exact]
        if mode in ("actions", "last_actions"):
            meeting = forced if forced is not None and forced.kind == "meeting" else next(
                (e for e in exact if e.kind == "meeting"), None)
            if meeting is not None:
                ask.subject = meeting
                return answer_actions(ask, "meeting")
            owner = forced or (exact[0] if exact else None)
            if owner is not None and owner.kind in ("contact", "organisation"):   # "가스공사 할 일": its items
                ask.subject = owner
                return answer_actions(ask, "owner")
            if owner is not None:
                return None
            return answer_actions(ask, "last" if mode == "last_actions" else "all")
        subject: Entity | None = forced
        named = next((m for m in q.mentions if m.exact and any(c.kind == "task" for c in m.candidates)), None)
        if forced is None and named is not None:   # "그린에너지 캠퍼스 기한": which task, when it could be two
            tasks = [c for c in named.candidates if c.kind == "task"]
            tied = [c for c in tasks if tasks[0].score - c.score <= AMBIGUITY_MARGIN]
            if len(tied) > 1:
                return self._clarify(q, tied)
            subject = tied[0]
        elif forced is None and exact:   # an organisation's tasks; anything else is not about due dates
            subject = next((e for e in exact if e.kind == "organisation"), exact[0])
        elif forced is None and q.mentions and mode == "due":   # only guessed names: as any question picks
            picked = self._pick(ask, q.intent)
            if isinstance(picked, Reply):
                return picked
            subject = picked[0]
        if subject is not None and subject.kind == "task":
            ask.subject = subject
            return answer_task_due(ask)
        if subject is not None and subject.kind != "organisation":
            return None
        ask.subject = subject   # an organisation: its tasks
        listing = {"due_soon": "soon", "overdue": "overdue"}.get(mode, "all")
        return answer_due_list(ask, listing, self.policy.due_soon_days)

    def _counterpart(self, q: Query) -> Entity | None:
        """What a clause of context named, in the place the question names instead: its parent's one child
        there (울산 국가혁신클러스터 → 충남 국가혁신클러스터, as _descend finds it); None when there is none."""
        known = next((m.best for m in q.known if m.best.kind in ("program", "task")), None)
        if known is None:
            return None
        there = descend(self.store, q, known)   # "도심융합특구 브리프 보는데, 대전은": its own child there
        if there.id != known.id:
            return there
        parent = str((entity_row(self.store, known.kind, known.id) or {}).get("parent") or "")
        row = entity_row(self.store, known.kind, parent) if parent else None
        if row is None:
            return None
        there = descend(self.store, q, Entity(known.kind, parent, str(row["name"]), known.score))
        return there if there.id not in (parent, known.id) else None

    def _typed_for(self, q: Query, name: str) -> Entity | None:
        """The one person a name typed one letter off stands for (정병천 → 정병찬): one jamo apart, holding the
        title the question says, in the organisation it names; None when not exactly one such person."""
        titles = [t for t in vocab.TITLES if t in q.compact]
        orgs = {c.id for m in q.mentions if m.exact for c in m.candidates if c.kind == "organisation"}
        if not titles:
            return None
        found = {}
        for person in self.store.people():
            if len(person) != len(name) or Levenshtein.distance(jamo(person), jamo(name)) != 1:
                continue
            rows = [c for c in self.store.contacts_named(person) if any(compact(str(c["title"] or "")).endswith(t)
                    for t in titles) and (not orgs or c["organisation"] in orgs)]
            if rows:
                found[person] = rows[0]
        if len(found) != 1:
            return None
        (person, row), = found.items()
        return Entity("contact", str(row["id"]), f"{person} {row['title'] or ''}".strip(), 90.0)

    def _no_such_person(self, name: str) -> str:
        """'김철수'(이)라는 이름은 … 없습니다, and the people the data has whose names differ in one syllable."""
        near = [p for p in self.store.people()
                if len(p) == len(name) and sum(a != b for a, b in zip(p, name, strict=True)) == 1]
        also = f" 비슷한 이름: {', '.join(near)}." if near else ""
        return f"'{name}'(이)라는 이름은 자료의 담당자·참석자 명단에 없습니다.{also}"

    def _dispatch(self, ask: Ask, intent: str) -> Reply:
        """Pick the intent for a question whose subject is known."""
        assert ask.subject is not None
        kind = ask.subject.kind
        named = {c.id for m in ask.query.mentions for c in m.candidates}
        ask.implicit = not ask.pinned and ask.subject.id not in named   # found by region or organisation
        if kind in ("contact", "department"):
            return answer_contact(ask)
        if kind == "meeting" and intent == "contact" and asks_for_person(ask):
            return answer_contact(ask)   # "지역경제위원회 보도자료에 나온 산업부 과장 누구": its document's people
        if kind == "meeting":
            return answer_meeting(ask)
        if kind == "region":
            return answer_region(ask)
        if intent == "meeting" and kind in ("program", "task") and ask.query.order == "last" \
                and not self.store.meetings_of_program(ask.subject.id):
            ask.others, ask.subject = [*ask.others, ask.subject], None   # "지난 TF 회의": the calendar, not the TF
            return answer_meeting(ask)
        if intent == "meeting" and kind in ("program", "task"):
            missing = self._ordinal_missing(ask)
            if missing is not None:
                return missing
        held = self.store.meetings_of_program(ask.subject.id) if kind == "program" else []
        if held and set(ask.aspects()) & MEETING_ONLY:   # "TF 첫 회의 대면으로 했어?": its meeting
            first = min(held, key=lambda m: str(m["start"] or "9999"))
            ask.others, ask.subject = [*ask.others, ask.subject], Entity("meeting", str(first["id"]),
                                                                           str(first["title"]), 90.0)
            return answer_meeting(ask)
        titled = self._titled_meeting(ask) if kind in ("program", "task") and (
            "time" in ask.query.aspects or intent == "meeting") else None
        if titled is not None:   # "지역주력산업 R&D 신청 접수 언제부터": its 사업's 신청 접수
            ask.others, ask.subject = [*ask.others, ask.subject], titled
            return answer_meeting(ask)
        if intent == "status" and kind in ("task", "program") and ("count" not in ask.query.aspects
                                                                   or ask.query.unexplained):
            return answer_status(ask)   # (a count asked, "몇 군데 지정됐어", is of the card's rows, not progress)
        if intent == "budget" and kind in ("program", "task") and operation(ask) is not None:
            computed = answer_compute(ask)   # "세부사업 중 지원규모 가장 큰 건": computed, not the card
            if computed is not None:
                return computed
        if kind in ("program", "task") and set(ask.aspects()) & CARD_ASPECTS \
                and not any("organisation" in KINDS_OF[a] for a in ask.aspects()):
            return answer_program(ask)   # "어느 과제 소속", "담당 기관": the card states it
        if intent == "budget" and kind in ("organisation", "program", "task") and not (
                ask.query.regions or ask.query.cities or budgets_of(self.store, ask.subject.id)):
            # "TF 협업과제 국비", "기재부랑 국토부가 협업과제 지원하려고 반영한 국비": the money of the program the
            # 협업과제 belong to — not of one of them, nor of a part of it, nor of an organisation leading one
            owner = budgeted_kind_owner(self.store, ask.query)
            if owner is not None and owner.id != ask.subject.id and not is_under(self.store, ask.subject, owner) \
                    and not (kind == "organisation" and any(
                        self.store.led_by(table, ask.subject.id) for table, _ in ask.query.kind_words)):
                ask.others, ask.subject = [*ask.others, ask.subject], owner
                return self._dispatch(ask, intent)
        if intent == "budget" and kind in ("program", "task") and not results_named(self.store, ask, ask.subject) \
                and (budgets_of(self.store, ask.subject.id) or not facts_answer(self.store, ask.query, ask.subject)):
            # ("지식산업센터 건축비 지원 한도 얼마": no budget rows, and a fact names what is asked: the fact)
            return answer_budget(ask)   # "사업화 매출 얼마": a result named by its metric is not a budget
        orgs = [ask.subject, *(c for c in ask.others if c.kind == "organisation")]
        if intent == "budget" and kind == "organisation" and len(orgs) >= 2 and operation(ask) == "sum" \
                and not any(c.kind in ("program", "task") for c in ask.others):
            plans = [plan_of(self.store, o.id, ask.query.year) for o in orgs]   # "중기부 산업부 23년 예산 합치면": each
            if all(plans):                                                # ministry's plan total, added
                kept = ask.subject, ask.others
                ask.subject, ask.others = plans[0], [p for p in plans[1:] if p is not None]
                computed = answer_compute(ask)
                if computed is not None:
                    return computed
                ask.subject, ask.others = kept
        programs = [c for c in ask.others if c.kind in ("program", "task")]
        if intent == "budget" and kind == "organisation" and programs:   # "중기부 진흥계획이랑 산업부 추진계획"
            ask.subject, ask.others = programs[0], programs[1:]
            computed = answer_compute(ask) if operation(ask) is not None else None
            return computed or answer_budget(ask)   # "산업부 지역사업 4개 중에 국비 젤 많이": computed
        if intent == "budget" and kind == "organisation":   # "산업부 4개 사업 중 국비 젤 큰 사업": its programs
            ask.others = [as_candidate("programs", r) for r in self.store.led_by("programs", ask.subject.id)
                          if self.store.budgets(str(r["id"]))]
            computed = answer_compute(ask)
            if computed is not None:
                return computed
        reach = {"phone", "address", "email", "fax"} & set(ask.query.aspects)
        if kind == "organisation" and ("lead" in ask.query.aspects or intent == "other") and not reach:
            led = answer_led(ask)
            if led is not None:
                return led
        if intent == "contact" or kind == "organisation":
            return answer_contact(ask)
        return answer_program(ask)

    def _listing(self, ask: Ask) -> Reply | None:
        """A kind word with a region, an organisation or on its own lists that kind."""
        q, subject = ask.query, ask.subject
        intent = q.intent
        kind_words = list(q.kind_words) or kinds_of_named_area(self.store, q)
        if subject is not None and subject.kind == "program" and intent not in ("budget", "contact") \
                and vocab.asks_list(q.text):   # "혁신도시 협업과제 목록": the tasks, not the program
            # (not "클러스터 보도자료 관련 문의는 누구한테": the people of the program)
            kind_words += [v for k, v in vocab.KIND_WORDS.items() if k in compact(subject.name) and k in q.compact
                           and v not in kind_words]
            if len(kind_words) > len(q.kind_words):
                ask.others, ask.subject = [*ask.others, subject], None
                subject = None
        for table, kind in kind_words:
            everything = self.store.of_kind(table, kind)
            # (an operand is named, not guessed from a part of a word: "지구 지정" is no 집적지구)
            if subject is not None and subject.kind in ("program", "task") and intent == "budget" \
                    and operation(ask) in ("sum", "diff", "max", "min") and _named(q, subject):
                owner = program_of_kind(self.store, everything, kind)   # "스마트특성화기반구축이랑 클러스터 국비 차이"
                if owner is not None and owner.id not in {subject.id, *(o.id for o in ask.others)}:
                    ask.others = [*ask.others, owner]
                    computed = answer_compute(ask)
                    if computed is not None:
                        return computed
                    ask.others = ask.others[:-1]
            named_area = any(r.get("area") and compact(str(r["area"])) in q.compact for r in everything)
            fuzzy_subject = subject is not None and not _named(q, subject)   # only guessed
            if named_area and fuzzy_subject:
                ask.subject = subject = None
            if subject is not None and subject.kind in ("program", "task"):
                children = [r for r in everything if r.get("parent") == subject.id]
                if not children and not (q.regions or q.cities):
                    continue
                # its rows of that kind; or, where the data does not link them, those of the region asked
                # ("울산 혁신도시 협업과제 주관기관": the 협업과제 in 울산, not the 10대 협업과제 program)
                everything = children or everything
                ask.others = [*ask.others, subject]
                ask.subject = subject = None
            elif subject is not None and (subject.kind != "organisation" or table == "organisations"):
                continue
            if not everything:
                continue
            checking = bool(q.checked) and set(q.regions) <= set(q.checked) and vocab.asks_several(q.text)
            # ("에너지 신산업 쪽은 어디어디야? 울산도 들어가나?": all of them, and whether that place is one)
            rows = filter_rows(replace(ask, query=replace(q, regions=())) if checking else ask, everything, table)
            if not rows and intent == "budget" and subject is not None and subject.kind == "organisation":
                continue   # "기재부랑 국토부가 협업과제 지원하려고 반영한 국비": none of them theirs; the kinds' money
            areas = [compact(str(r.get("area") or "")) for r in everything]
            # a word every row of the kind says of itself ("협력권 … 협력산업") describes the kind: not a topic
            shared = compact(" ".join(str(r.get("summary") or "") for r in everything[:1]))
            # what the rows' area is called when shown (분야, 분류/유형) says the area: "에너지신산업 대분류"
            area_said = named_area and any(label in w for w in q.unexplained for label in AREA_LABELS)
            # ("센터 세우는 거 정식 이름": the word before 이름 says which name; listed rows are named anyway)
            unexplained = [w for w in q.unexplained if not any(w in a for a in areas) and w not in q.before_name
                           and not (area_said and any(label in w for label in AREA_LABELS))
                           and not (w in shared and all(w in compact(str(r.get("summary") or "")) for r in everything))]
            if subject is None and len(rows) == len(everything):
                owner = program_of_kind(self.store, everything, kind)   # "클러스터 2단계 국비": the clusters' program
                if owner is not None and results_named(self.store, ask, owner):
                    ask.subject = owner   # "클러스터 1단계 일자리 창출 몇 명": a result of the clusters' program
                    return answer_program(ask)
                # a computation of money asked of the program ("23년 클러스터 육성 국비+지방비 합치면") before its
                # facts; a word of its own names explains nothing else (육성)
                called = compact(" ".join([owner.name, *self.store.aliases("program", owner.id)])) if owner else ""
                if owner is not None and intent == "budget" and operation(ask) is not None \
                        and not [w for w in unexplained if w not in called]:
                    ask.subject = owner
                    computed = answer_compute(ask)
                    if computed is not None:
                        return computed
                    ask.subject = None
                # (a word the program's own facts say is explained by them: "일몰관리로 몇 년짜리로 바뀌었어")
                told = [w for w in unexplained if owner is None or not data_says(self.store, owner, w)]
                if owner is not None and intent not in ("budget", "status") and not told and asks_length(ask):
                    ask.subject = owner   # "당초 7년이었다가 몇 년짜리로 바뀌었죠": its length, before a fact
                    return answer_program(ask)   # labelled 당초 that states the old one
                labelled = facts_labelled(ask, self.topics, owner.id) if owner is not None else None
                if labelled is not None:   # "균특법 몇조가 클러스터 근거였더라": a fact of the clusters' program
                    return labelled
                # "협업과제 추진실적은 어디에 반영한다고 했지": a question word asking, no list, and a fact of the
                # kind's program that says the question's other words
                words = [compact(morph.noun_head(w)) for w in ask.content_words()
                         if not vocab.is_question_word(w) and not any(k in compact(w) for k in vocab.KIND_WORDS)]
                asking = any(vocab.is_question_word(w) for w in tokens(q.text))
                said = facts_saying(ask, self.topics, owner.id, [w for w in words if len(w) >= 2]) \
                    if owner is not None and asking and intent not in ("budget", "status") \
                    and not vocab.asks_several(q.text) and not any(   # (not of a program the question names)
                        m.exact and m.best.kind in ("program", "task") for m in q.mentions) else None
                if said is not None:
                    return said
                if owner is not None and intent not in ("budget", "status") and not told and (
                        # ("클러스터 3단계는 언제까지")
                        (q.phase is not None and q.phase in phases(self.store, owner.id))
                        or (("period" in q.aspects or asks_length(ask)) and not vocab.asks_list(q.text))):
                    # ("클러스터 사업기간 몇 년", "클러스터 몇 년짜리로 바뀌었어": the program's)
                    ask.subject = owner
                    return answer_program(ask)
                if owner is not None and intent == "budget" and not [w for w in unexplained if w not in called]:
                    ask.subject = owner   # "2단계 클러스터 지방비까지 합친 총액": computed when asked so
                    computed = answer_compute(ask) if operation(ask) is not None else None
                    return computed or answer_budget(ask)
            # a word the rows' own names or their projects' names hold narrows them ("가스공사 협업과제에 펀드
            # 조성하는 거"): only a word nothing in the data says vetoes the list
            narrowed = [r for r in rows
                        if unexplained and all(w in names_under(self.store, table, r) for w in unexplained)]
            if not narrowed and unexplained:   # then what each row is said to do ("수력원자력 기술이전 우수사례")
                narrowed = [r for r in rows if all(w in compact(str(r.get("summary") or "")) for w in unexplained)]
            if narrowed:
                rows, unexplained = narrowed, []
            if unexplained or not rows:
                # "협업과제 실적 경영평가 반영 어디": a fact said whole that also says the words the list does not
                topics = [t for t in self.topics if all(w in t.head + t.body for w in unexplained)]
                said = topics_said(ask, topics) if subject is None and unexplained and rows else None
                return said or _not_found(q)
            if len(rows) == 1:
                ask.subject, ask.others = as_candidate(table, rows[0]), [c for c in [subject] if c]
                return self._dispatch(ask, intent)
            # "클러스터 진척률 몇 %": none of them has progress logged
            if intent == "status" and not q.aspects and not any_logged(self.store, rows):
                return nothing(ask, "status", f"{kind} {len(rows)}개 모두 기록된 진행상황이 없습니다 — 진행률을")
            if operation(ask) in ("max", "min") and table != "organisations" \
                    and all(self.store.budgets(str(r["id"])) for r in rows):   # "내역사업 중에 젤 큰 거"
                kept = ask.subject, ask.others
                ask.subject, *ask.others = [as_candidate(table, r) for r in rows]
                computed = answer_compute(ask)
                if computed is not None:
                    return computed
                ask.subject, ask.others = kept
            return answer_list(ask, table, kind, rows, checked=q.checked if checking else ())
        # "에너지 관련 사업": a topic's list; not when a way to reach someone is asked ("지특 관련해서 TIPA 번호")
        reach = {"phone", "address", "email", "fax"} & set(q.aspects)
        question = " ".join(w for i, w in enumerate(tokens(q.text)) if i not in q.context_at)
        spoken = compact(question)
        topic = subject is not None and ("관련" in spoken or not q.mentions[0].exact) \
            and not of_regions(self.store, subject, q) and not reach and not asks_for_person(ask) \
            and not any(c.kind in KINDS_OF[a] for a in q.aspects for c in q.mentions[0].candidates)
        # (not what a candidate holds: "지경위에서 의결된 안건 뭐뭐": the meeting's agenda, not a topic)
        if topic and vocab.asks_list(question):   # "에너지 관련 사업": everything named for it (not "… 관련해서 …")
            candidates = [c for m in q.mentions for c in m.candidates]
            return answer_topic(ask, candidates, [m.text for m in q.mentions])
        return None

    def _titled_meeting(self, ask: Ask) -> Entity | None:
        """The one meeting of a program above the subject whose title's own words (beyond the programs'
        names) the question all says: "신청 접수" of the 사업 a 내역사업 belongs to (its own dates are on its card)."""
        assert ask.subject is not None
        chain: list[dict[str, object]] = []
        at = entity_row(self.store, ask.subject.kind, ask.subject.id)
        while at is not None and len(chain) < 4:
            chain.append(at)
            parent = str(at.get("parent") or "")
            at = (self.store.program(parent) or self.store.task(parent)) if parent else None
        named = {n for row in chain for n in nouns_of(str(row["name"]))}
        found = []
        for row in chain[1:]:
            for meeting in self.store.meetings_of_program(str(row["id"])):
                own = [n for n in nouns_of(str(meeting["title"])) if len(n) >= 2 and n not in named]
                if own and all(compact(n) in ask.query.compact for n in own):
                    found.append(meeting)
        return Entity("meeting", str(found[0]["id"]), str(found[0]["title"]), 90.0) if len(found) == 1 else None

    def _ordinal_missing(self, ask: Ask) -> Reply | None:
        """"TF 2차 회의": an N-th meeting of a program that its meetings do not include is not in the data."""
        asked = ORDINAL.search(ask.query.compact)
        if asked is None or ask.subject is None:
            return None
        held = [ORDINAL.search(compact(str(m["title"]))) for m in self.store.meetings_of_program(ask.subject.id)]
        if any(h and h.group(1) == asked.group(1) for h in held):
            return None
        return nothing(ask, "meeting", f"'{ask.subject.name}'의 {asked.group(1)}차 회의를")

    def _pick(self, ask: Ask, intent: str) -> tuple[Entity | None, list[Entity]] | Reply:
        """The entity the question is about, the other entities it names, or a clarifying reply."""
        q, now = ask.query, ask.message.now.isoformat()
        if not q.mentions:
            return None, []
        # the mention of the kind of thing that holds what is asked ("지역경제위 장소 … 산업부 몇 호실": the
        # meeting, not the ministry), then the best scored
        # (two programs named for a budget: the one that has budget rows — "강원 클러스터 디지털헬스케어 성과사례
        # 예산": the cluster's, not the 초광역 협력권 of that name, which has none)
        primary = max(q.mentions, key=lambda m: (any(c.kind in KINDS_OF[a] for a in q.aspects for c in m.candidates),
                                                 m.exact, m.best.score,
                                                 intent == "budget" and has_data_for(self.store, intent, m.best),
                                                 m.best.kind == "contact", len(m.text)))
        # "산업부가 지자체랑 발굴한 투자사업 몇 건": an organisation said beside what it leads, whose facts hold what
        # is asked, is who did it; what it leads is what is asked about
        if primary.best.kind == "organisation":
            led = [m for m in q.mentions if m is not primary and m.best.kind in ("program", "task")
                   and primary.best.id in {str((entity_row(self.store, m.best.kind, m.best.id) or {}).get(k) or "")
                                           for k in ("lead", "ministry")} and facts_say(self.store, q, m.best)]
            primary = led[0] if len(led) == 1 else primary
            # ("산업부 1차관 현장 점검회의 언제": a meeting asked, said beside who held it, is what is asked)
            held = [m for m in q.mentions if any(c.kind == "meeting" for c in m.candidates)]
            if intent == "meeting" and held and not any(c.kind == "meeting" for c in primary.candidates):
                primary = held[0]
        # a name said with its parent's ("지역주력산업 R&D 안에 들어가있는 지역혁신 선도기업"): the one under it
        nested = self._nested(q)
        if nested is not None:
            primary = nested
        # (a person named beside their ministry is who is asked about: "중기부 최정민 사무관 직통번호")
        others = [self._sibling(q, m) for m in q.mentions if m is not primary]
        contenders = self._rank(q, primary.candidates, intent, now)
        several = bool(q.checked) and vocab.asks_several(q.text)   # "대구도 있었나? 어디어디야": whether, and all
        whether = (q.yes_no or several) and primary.exact and contenders[0][1].kind in ("program", "task")
        if q.regions and not whether and not (several and not primary.exact) \
                and not any(in_regions(self.store, c, q.regions) for _, c in contenders):
            return _not_found(q)   # (a program or task named and asked whether it is there: no, in _route)
        top_rank, top = contenders[0]
        meant = descend(self.store, q, top)   # a program and its child in the region asked are one answer
        # only the top one has the fact asked ("…선도기업 지원금 비중"): no tie
        holds = facts_answer(self.store, q, top)
        tied = [c for rank, c in contenders[1:] if top_rank - rank <= AMBIGUITY_MARGIN and c.kind == top.kind
                and descend(self.store, q, c).id != meant.id and not (holds and not facts_answer(self.store, q, c))]
        if tied and not same_answer(self.store, q, [top, *tied]):
            if self._asks_series(q, primary, [top, *tied]):
                return answer_series(ask, primary.text, [c for c in primary.candidates
                                                         if compact(primary.text) in compact(c.name)])
            if not any(could_answer(self.store, q, intent, c) for c in [top, *tied]):
                return _not_found(q)   # "그린에너지 캠퍼스 준공 언제": neither has a date; nothing to choose
            return self._clarify(q, [top, *tied])
        return meant, others

    @staticmethod
    def _asks_series(q: Query, mention: Mention, options: list[Entity]) -> bool:
        """"실물경제 현장 점검회의 어떤 업종들로 했어": the name said is what several rows' names begin with (a
        series), and the question asks for several (a plural noun, 뭐뭐, 목록): all of them, not a choice."""
        said = compact(mention.text)
        plural = any(morph.is_plural(w) for w in tokens(q.text))
        names = [compact(c.name) for c in options]
        shared = next((i for i in range(min(map(len, names)), 0, -1) if len({n[:i] for n in names}) == 1), 0)
        return len(said) >= 4 and (plural or vocab.asks_several(q.text)) and \
            all(said in n for n in names) and shared >= len(said)   # (the name said within their shared start)

    def _nested(self, q: Query) -> Mention | None:
        """The mention one of whose candidates belongs to another mention's entity, with that candidate alone."""
        for mention in q.mentions:
            elsewhere = [c for m in q.mentions if m is not mention for c in m.candidates]
            under = [c for c in mention.candidates if any(is_under(self.store, c, e) for e in elsewhere)]
            if len(under) == 1:
                return replace(mention, candidates=under)
        return None

    def _agenda_named(self, ask: Ask) -> bool:
        """Whether the question names an item of the agenda of the meeting it is about."""
        subject = ask.subject
        return subject is not None and subject.kind == "meeting" and \
            bool(matching_rows(self.store.agenda(subject.id), "item", ask))

    def _name_says_more(self, q: Query, mention: Mention) -> bool:
        """Whether a candidate's name holds two or more nouns of the question beyond the words it was guessed
        from."""
        guessed = compact(mention.text)
        nouns = {n for n in nouns_of(q.text) if len(n) >= 2 and n not in guessed}
        return any(sum(n in compact(c.name) for n in nouns) >= 2 for c in mention.candidates)

    def _sibling(self, q: Query, mention: Mention) -> Entity:
        """A name listed beside its siblings ("R&D 자유공모, 품목지정, 지역혁신 선도기업"): the candidate under the
        same parent as what the other names found; its best candidate otherwise."""
        parents = Counter(str((entity_row(self.store, m.best.kind, m.best.id) or {}).get("parent") or "")
                          for m in q.mentions if m is not mention)
        parents.pop("", None)
        shared = {c.id: parents.get(str((entity_row(self.store, c.kind, c.id) or {}).get("parent") or ""), 0)
                  for c in mention.candidates}
        most = max(shared.values(), default=0)
        under = [c for c in mention.candidates if most and shared[c.id] == most]   # under the most-named parent
        return under[0] if len(under) == 1 and len(mention.candidates) > 1 else mention.best

    def _rank(self, q: Query, candidates: list[Entity], intent: str, now: str) -> list[tuple[float, Entity]]:
        """Order candidates: score, region of the question, parent over child, kind fit."""
        candidates = [c for c in candidates if c.kind != "region"]
        rows = {(c.kind, c.id): entity_row(self.store, c.kind, c.id) or {} for c in candidates}
        ids = {c.id for c in candidates}
        priority = _KIND_PRIORITY.get(intent, _KIND_PRIORITY["other"])
        ranked: list[tuple[float, Entity]] = []
        named = {w for m in q.mentions for w in [compact(m.text)]}
        others = [w for w in (strip_particle(t) for t in tokens(q.text)) if len(w) >= 2 and not is_filler(w)
                  and not any(w in n for n in named)]   # the question's words beside the name it was found by
        for c in candidates:
            row = rows[(c.kind, c.id)]
            bonus = 0.0
            name = compact(c.name)
            bonus += NAME_WORD_BONUS * sum(w in name for w in others)   # "현장점검회의 바이오": the (바이오) one
            if "children" in q.aspects and c.kind in ("program", "task") and (
                    self.store.children("tasks", c.id) or self.store.children("programs", c.id)):
                bonus += 4.0   # "대표 프로젝트 알려줘": the 협업과제 that has them
            if q.regions and set(region_of(row)) & set(q.regions):
                bonus += 8.0
            if row.get("parent") in ids:
                bonus -= 3.0   # a child named like its parent yields to the parent
            bonus -= 0.5 * priority.index(c.kind) if c.kind in priority else 3.0
            if has_data_for(self.store, intent, c):
                bonus += 4.0
            if any(c.kind in KINDS_OF[a] for a in q.aspects):
                bonus += 4.0   # the kind of thing that holds what is asked
            if facts_answer(self.store, q, c):
                bonus += 3.0
            if c.kind == "meeting" and str(row.get("start") or "") > now:
                bonus += 3.0   # an upcoming meeting before a past one of the same name
            if c.kind == "organisation" and not knows_about(self.store, c.id):
                bonus -= 3.0   # a bare name (지역경제위원회 the body) yields to what has content (its meeting)
            ranked.append((c.score + bonus, c))
        ranked.sort(key=lambda pair: -pair[0])
        return ranked

    def _clarify(self, q: Query, options: list[Entity]) -> Reply:
        shown = options[:MAX_CHOICES]
        lines = ["여러 항목이 해당됩니다. 어느 것을 말씀하시나요?"]
        lines.extend(f"• {c.name} ({_KIND_NAME.get(c.kind, c.kind)})" for c in shown)
        return Reply(
            text="\n".join(lines), intent="clarify",
            entities=list(shown), offer=Offer("clarify"),
            buttons=[Button(f"{c.name} ({_KIND_NAME.get(c.kind, c.kind)})", f"{c.kind}:{c.id}") for c in shown],
        )



_KIND_NAME = {"organisation": "기관", "program": "사업", "task": "과제", "contact": "담당자",
              "meeting": "회의", "department": "부서", "region": "지역"}


def _not_found(q: Query, why: str = "") -> Reply:
    return Reply(
        text=(f"{why} " if why else "") + f"'{q.text[:60]}'에 해당하는 정보를 자료에서 찾지 못했습니다. "
             "기관명·사업명·담당자 이름이나 지역을 넣어 다시 물어봐 주세요. (도움말: /help)",
        intent="unknown", missed=True,
    )


def _parse_choice(choice: str | None, store: Store) -> Entity | None:
    if not choice or ":" not in choice:
        return None
    kind, entity_id = choice.split(":", 1)
    row = entity_row(store, kind, entity_id)
    if row is None:
        return None
    return Entity(kind, entity_id, str(row.get("name") or row.get("person") or row.get("title") or entity_id),
                     100.0)


def clean(text: str) -> str:
    """Drop control characters and surrounding space from a message."""
    return "".join(ch for ch in text if ch.isprintable() or ch in "\n\t").strip()


def _named(q: Query, entity: Entity) -> bool:
    """Whether the question names the entity exactly (not only guessed from a part of a word)."""
    return any(m.exact and entity.id in {c.id for c in m.candidates} for m in q.mentions)
