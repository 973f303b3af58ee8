"""Which intents a message may mean, read and write together, ranked: the one place that decides it.

A write is read only from an unmistakable statement (a progress report, a request to schedule a meeting, a
fact that changed); everything else is a question, ranked by the words that ask it.
"""

import re

from intents.dates.when import temporal_phrases
from intents.reading import morph, vocab
from intents.reading.normalize import compact, tokens
from store.progress import STATUSES

PERCENT = re.compile(r"(-?\d{1,4}(?:\.\d+)?)\s*(%|퍼센트|프로)")
STATUS = re.compile("|".join(STATUSES))
SCHEDULE_VERB = re.compile(r"(잡아|등록해|예약해|추가해|만들어|열어)\s*(줘|주세요|줄래)?")
# a fact that changed, said in the message's last words: 바뀌었어요, 옮겼어, 변경, 수정해 줘, 승진했습니다
CHANGE = re.compile(r"바뀌|바뀐|바꿨|바꿔|바꾸|바뀜|변경|옮기|옮겼|옮김|이동|발령|전보|전출|전입|승진|"
                    r"고쳐|고치|수정|정정|개명|이전했|이전됐|이전함|이전됨|이전하였")
MOVED = re.compile(r"옮기|옮겼|옮김|이동|발령|전보|전출|전입")   # a person went to another department or organisation
PROMOTED = re.compile(r"승진")   # a person's title changed
# endings that ask rather than tell: 바뀌었나요, 옮겼죠, 바뀐 거야, 변경된 건가
_ASKING = ("나요", "나", "니", "냐", "까", "까요", "죠", "지", "지요", "는지", "가요", "거야", "건가", "건가요",
           "거예요", "거지", "던가", "을까")
_NEW_VALUE = re.compile(r"\S(으로|로)$")   # the new value a change names: 지역산업과로, 044-203-4419로
_PHONE_LIKE = re.compile(r"\d{2,4}\)?[-.\s]?\d{3,4}[-.\s]?\d{4}")
_GATHERING = ("회의", "미팅", "간담회", "위원회", "설명회", "워크숍", "점검")
_NOTE_AFTER = re.compile(r"\s[-–:]\s|,")
_COUNT = re.compile(r"몇(개|명|건|곳|군데|가지)")   # a count asked: not whether something happened
REPORTED = tuple(s for s in STATUSES if s != "계획")   # a status a report can state (지연, 완료 …) asks for status

# question intents, strongest first: the first whose words the question has is the one it asks
_QUESTIONS: tuple[tuple[str, float], ...] = (
    ("help", 1.0), ("meeting", 0.95), ("status", 0.9), ("contact", 0.8), ("budget", 0.7), ("meeting", 0.6),
)


def reports(text: str) -> bool:
    """Progress told in words, unmistakably: a statement (never a question: no '?', no question word, no
    question or request ending) with a percentage, or with a status word and a note after a dash or comma."""
    body = text.strip()
    words = tokens(body)
    if "?" in body or any(vocab.is_question_word(w) for w in words) or not morph.states(words):
        return False
    return bool(PERCENT.search(body)) or (bool(STATUS.search(body)) and bool(_NOTE_AFTER.search(body)))


def change_verb(words: list[str]) -> int | None:
    """The index of the word among the last two of a message that says a fact changed (바뀌었어요, 수정해 주세요),
    or None."""
    return next((i for i in range(len(words) - 1, max(len(words) - 3, -1), -1) if CHANGE.search(words[i])), None)


def corrects(text: str) -> bool:
    """A correction told in words, unmistakably: a statement or a request (no '?', no question word, no asking
    ending) whose last words say that something changed, naming the new value (a word ending in (으)로, or a
    phone number): "배은주 사무관 지역산업과로 옮겼어". "정병찬 전화 044-203-4418 맞아?" asks."""
    body = text.strip()
    words = body.split()
    if len(words) < 3 or "?" in body or "？" in body or any(vocab.is_question_word(w) for w in tokens(body)):
        return False
    verb = change_verb(words)
    if verb is None or words[-1].rstrip(".!~").endswith(_ASKING):
        return False
    before = words[:verb]
    return any(_NEW_VALUE.search(w) for w in before) or bool(_PHONE_LIKE.search(" ".join(before)))


SET_VERB = re.compile(r"(해|정해|잡아|설정해|변경해|바꿔|미뤄|당겨|연기해|늘려|맞춰)\s*"
                      r"(줘|주세요|줄래|주실래요|둬|두세요)?[.!~]*$|(으로|로)\s*(변경|설정|연기|조정|확정)[.!~]*$")


def sets_due(text: str) -> bool:
    """'부산형 청년창업허브 기한 12월 20일로 해줘': a due word, a date phrase and, last, a request to set it —
    a statement or request, never a question."""
    body = text.strip()
    words = tokens(body)
    if "?" in body or "？" in body or any(vocab.is_question_word(w) for w in words):
        return False
    return vocab.has_any(compact(body), vocab.DUE) and bool(SET_VERB.search(body)) and bool(temporal_phrases(body))


def assigns(text: str) -> bool:
    """'정병찬 사무관 예산 협의 결과 공유 금요일까지': an action item told in words — a statement, not a question
    (no '?', no question word, no asking ending), saying by when (a date phrase and 까지). Written only as a
    reply to the bot's message about a meeting."""
    body = text.strip()
    words = body.split()
    if len(words) < 3 or "?" in body or "？" in body or any(vocab.is_question_word(w) for w in tokens(body)):
        return False
    last = words[-1].rstrip(".!~")
    if last.endswith(_ASKING) and not last.endswith("까지"):
        return False
    return "까지" in body and bool(temporal_phrases(body))


def follow_up(said: str, words: tuple[str, ...]) -> str | None:
    """What a question asks of due dates or action items, read from its words: `due` (a due date: 기한, 마감),
    `due_soon` (…임박, 다가오는), `overdue` (…지난, 넘긴), `my_actions` (내 할 일), `last_actions` (지난 회의
    후속조치), `actions` (후속조치, 할 일); None when it asks none of these."""
    if vocab.has_any(said, vocab.ACTIONS):
        if set(words) & set(vocab.MINE):
            return "my_actions"
        return "last_actions" if vocab.has_any(said, vocab.LAST) else "actions"
    if not vocab.has_any(said, vocab.DUE):
        return None
    if vocab.has_any(said, vocab.DUE_SOON):
        return "due_soon"
    return "overdue" if vocab.has_any(said, vocab.DUE_PAST) else "due"


def schedules(text: str) -> bool:
    """'12월 3일 오후 2시에 권역별 TF회의 잡아줘': a gathering, a date phrase and a verb asking to schedule it."""
    return bool(SCHEDULE_VERB.search(text)) and any(g in text for g in _GATHERING) and bool(temporal_phrases(text))


_CONTACT_NOT_NAME = tuple(w for w in vocab.CONTACT if w != "이름")


def _asks_persons_name(words: tuple[str, ...]) -> bool:
    """"이름" asks for a person's name when it follows a person (담당자 이름, 과장 이름) or stands first; after a
    thing (협업과제 이름, 예전 이름, 협력산업 이름) it asks for that thing's name."""
    for i, word in enumerate(words):
        if word.startswith("이름"):
            return i == 0 or vocab.has_any(compact(words[i - 1]), _CONTACT_NOT_NAME)
    return False


_NOT_TITLE = tuple(w for w in _CONTACT_NOT_NAME if w not in vocab.TITLES)


def _title_asked(words: tuple[str, ...]) -> bool:
    """Whether a title asks for the person holding it ("지역혁신정책과 과장님은?", "과장 어떤 분이야"), not names
    who did something the question asks about ("1차관 현장 점검회의 어떤 업종들로 했어": the 업종): a title
    whose question word comes after other words asks for those."""
    for i, word in enumerate(words):
        if not vocab.has_any(compact(word), vocab.TITLES):
            continue
        asking = next((j for j in range(i + 1, len(words)) if vocab.is_question_word(words[j])), None)
        if asking is None or asking == i + 1:
            return True
    return False


def _asks(name: str, strength: float, said: str, rest: str, money: bool, words: tuple[str, ...] = ()) -> bool:
    if name == "help":
        return vocab.has_any(said, vocab.HELP) and len(said) <= 12
    if name == "meeting" and strength > 0.9:
        return vocab.has_any(said, ("위원장", "주재", "참석자", "안건"))
    if name == "status":
        return vocab.has_any(said, vocab.STATUS) or vocab.has_any(rest, REPORTED)
    if name == "contact":
        if vocab.has_any(said, _NOT_TITLE) or _asks_persons_name(words):
            return True
        return vocab.has_any(said, vocab.TITLES) and _title_asked(words)
    if name == "budget":
        return vocab.has_any(said, vocab.BUDGET) or money
    return vocab.has_any(said, vocab.MEETING)


def read_intents(text: str, said: str, rest: str, money: bool, context: str = "",
                 asked_words: tuple[str, ...] = ()) -> tuple[tuple[str, float], ...]:
    """Every intent the message may mean with a score, best first; writes first when one is unmistakable.

    `said` is the compacted question without its clauses of context ("장관님 보고자료용인데" asks for no
    minister); `rest` the same without the words a name covers;
    `context` those clauses: a status they report ("지연되고 있다던데 이유가 뭐야") is what is asked when the
    question itself asks nothing else. `money` whether a funding, category or total was named.
    `asked_words` the words of the question itself, for one that asks whether something happened.
    """
    ranked: list[tuple[str, float]] = []
    if sets_due(text):
        ranked.append(("set_due", 1.0))
    if reports(text):
        ranked.append(("log", 1.0))
    if schedules(text):
        ranked.append(("schedule", 1.0))
    if corrects(text):
        ranked.append(("correct", 1.0))
    if vocab.has_any(said, vocab.STALE):
        ranked.append(("stale", 1.0))
    if assigns(text):
        ranked.append(("assign", 1.0))
    seen: set[str] = set()
    for name, strength in _QUESTIONS:
        if name not in seen and _asks(name, strength, said, rest, money, asked_words or tokens(text)):
            seen.add(name)
            ranked.append((name, strength))
    if not seen and vocab.has_any(context, REPORTED) and not vocab.has_any(said, (*vocab.RESULTS, "몇")):
        # "지연되고 있다던데 이유가 뭐야": the status; "1단계는 완료됐잖아 일자리 몇 명": a result, not the status
        ranked.append(("status", 0.5))
    elif not seen and not _COUNT.search(said) and any(morph.asks_if_done(w) for w in asked_words) \
            and not any(vocab.is_question_word(w) and not w.startswith("몇") for w in asked_words):
        # 착수했나요?, 몇 % 이행됐는지 — not "뭐 개발했었지", which asks what
        ranked.append(("status", 0.5))
    ranked.append(("other", 0.1))
    return tuple(ranked)


# intents told in words that a command handles: a progress report, a meeting to schedule, the stale-task list,
# a fact that changed, a due date to set, an action item (in reply to a meeting message)
WORDED = frozenset({"log", "schedule", "stale", "correct", "set_due", "assign"})
