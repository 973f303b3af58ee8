"""Turn a message into a Query: the entities it names and the qualifiers it asks with."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from rapidfuzz import fuzz

from intents.dates.when import temporal_phrases
from intents.reading import aspect, morph
from intents.reading.intent import WORDED, follow_up, read_intents
from intents.reading.matcher import Mention, NameIndex
from intents.reading.normalize import compact, fold, strip_particle, tokens
from intents.reading.vocab import (
    CONTACT,
    KIND_WORDS,
    LAST,
    NEXT,
    TITLES,
    asks_picture,
    explains,
    has_any,
    is_filler,
    is_question_word,
)
from store.store import Store

# "… 이름 뭐야", "… 수 몇 명": the question asks the name or the number of the noun before it
SCOPES = ("신규", "계속")   # which budget lines: new or continuing
_NAME_WORDS = ("이름", "성함", "명칭", "명", "수")
AMBIGUITY_MARGIN = 2.0
CHART_COMMAND = "/chart"
CHARTED = ("budget", "status", "other")   # what a picture word turns into a chart (not a phone, not a meeting)
_YEAR = re.compile(r"(?<![0-9])(20[0-9]{2})(?![0-9])|'([0-9]{2})(?![0-9])|(?<![0-9'])([0-9]{2})년")
# an unknown place name (울릉도, 강남구, 수원시): three syllables or more ending like one; not words of
# degree or amount that happen to end in 도 (만족도, 지원한도, 참여도)
_PLACE = re.compile(r"^[가-힣]{2,4}(시|군|구|읍|면)$|^[가-힣]{1,4}[^성여이족뢰확중합숙한용속율진수밀위]도$")
_NOT_PLACES = frozenset({"시군구", "지자체", "부단체장", "광역시", "특별시"})
_PHASE = re.compile(r"([0-9])\s*단계")
# a year followed within two words by a document noun: the year the document was issued
_DOCUMENT_YEAR = re.compile(r"((?:20)?'?[0-9]{2}년도?)\s*(?:[0-9]{1,2}월\s*)?(?:[^\s]+\s+){0,2}?[^\s]*"
                            r"(?:보도자료|자료|보고서)")
# "X 말고 Y", "X랑 달리 Y", "X랑 헷갈림": X is set aside (a connective, the adverb 달리, or the verb 헷갈리다
# say it is not the one meant)
_SET_ASIDE = re.compile(r"^(?:말고|아니고|아니라|달리)")
_CONFUSED = re.compile(r"(?:랑|이랑|와|과|하고)$")   # "김천이랑 헷갈림": what it is confused with, said just before
_THIS_YEAR = re.compile(r"올해|금년|이번\s*해|당해\s*연도")
_ABOUT = re.compile(r"^(?:관련|관해|관하여|관한|때문에|건으로)")   # "X 관련해서", "X 건으로": what a clause is about
_DOCUMENT = re.compile(r"^(?:보도자료|자료|보고서|브리프)")   # "지경위 자료에 나온", "국토연 브리프에": a document
_PHASE_SPAN = re.compile(r"(?<![0-9])([0-9])\s*(?:단계)?\s*[~∼,·-]\s*([0-9])\s*단계")   # 1~2단계, 1,2단계
_INCLUDED = re.compile(r"(?:지방비|국비)(?:까지|도|포함|포함한|포함해서)(?:다|모두|전부)?"
                       r"(?:합친|합하|합해|합쳐|더한|더하|더해|포함|총)")   # (합치다, 더하다 in their forms)
_LISTED_TOTAL = re.compile(r"(랑|하고|와|과|\+)\s*합계")
_CATEGORY = re.compile(r"(?:(?<!대)(비))?(?:r&d|알앤디|rnd)")   # (not 대비 R&D: "compared with R&D")
# '18~'22, 2018-2022, 18년부터 22년까지: a span of years
_PERIOD = re.compile(r"(?<![0-9])(?:20)?'?([0-9]{2})(?:\s*[~∼-]\s*|년?\s*부터\s*)(?:20)?'?([0-9]{2})(?![0-9])")


@dataclass(frozen=True)
class Query:
    """What one message was understood to mean, made once and read by routing and the intents alike: the
    intents it may mean (ranked), what it names (mentions, regions, cities), how it qualifies it (year,
    phase, funding …), what it asks of it (aspects), and the words nothing explained."""

    text: str
    compact: str
    mentions: tuple[Mention, ...]
    intents: tuple[tuple[str, float], ...] = (("other", 0.1),)
    regions: tuple[str, ...] = ()
    cities: tuple[str, ...] = ()
    year: int | None = None
    period: str | None = None
    phase: int | None = None
    category: str | None = None
    funding: str | None = None
    scope: str | None = None
    want_total: bool = False
    included: bool = False   # "지방비까지 합친 총액": a source of money said as added to the rest
    # every value named, in the order named, for arithmetic over several cells ("국비랑 지방비", "1단계 대비 2단계")
    years: tuple[int, ...] = ()
    phases: tuple[int, ...] = ()
    fundings: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    scopes: tuple[str, ...] = ()
    document_year: int | None = None   # "23년 지경위 자료": the year of the document asked about
    phase_span: tuple[int, int] | None = None   # "1~2단계 통틀어": the phases from one to the other, together
    kind_words: tuple[tuple[str, str], ...] = ()
    unexplained: tuple[str, ...] = ()
    unknown_places: tuple[str, ...] = ()
    checked: tuple[str, ...] = ()   # regions said with 도 ("대구도 있었나?"): asked whether, not a filter
    unknown_people: tuple[str, ...] = ()   # words the analyser knows as a person's name that no contact has
    # the words said just before a name word ("정식 이름", "사장 이름"): which name, or whose, is asked
    before_name: tuple[str, ...] = ()
    # the noun a question word asks about when nothing else explains it ("면적 몇 제곱킬로", "사장 이름 뭐야":
    # 면적, 사장 이름), with the word that says it is its name or number
    asked_noun: str | None = None
    yes_no: bool = False   # it asks whether (들어가 있나?, 맞죠), not for a value: no question word asks one
    pointers: tuple[Mention, ...] = ()   # names said as the document's ("지경위 보도자료에"): where to look
    known: tuple[Mention, ...] = ()   # names a clause of context said ("울산 클러스터는 …였고, 충남은?")
    context_at: frozenset[int] = frozenset()   # the words (by index) of clauses of context: no topic of the question
    aspects: tuple[str, ...] = ()
    rest: str = ""   # the compacted words no mention covers
    order: str | None = None   # 'next' or 'last': which dated thing (다음 회의, 지난 회의)
    this_year: bool = False   # "올해", "금년": the year of the message, or the data's latest before it
    # what it asks of due dates or action items (due, due_soon, overdue, actions, my_actions, last_actions):
    # answered as such when it is about tasks or meetings, else as if it were not said (intent.follow_up)
    follow_up: str | None = None
    chart: bool = False   # a picture is asked ("예산 그래프", "/chart …"): the budget or progress asked, drawn

    @property
    def intent(self) -> str:
        """The question intent the message most likely asks (contact, budget, status, meeting, help, other)."""
        return next(name for name, _ in self.intents if name not in WORDED)

    @property
    def worded(self) -> str | None:
        """A command told in words (log, schedule, stale, correct) when the message unmistakably is one; the
        stale-task list asked as a picture ("지연 과제 그래프") is a chart of those tasks instead."""
        return next((name for name, _ in self.intents if name in WORDED and not (self.chart and name == "stale")),
                    None)

    @property
    def stale_asked(self) -> bool:
        """Whether the message asks for the stale tasks (업데이트 안 된 과제, 지연 과제)."""
        return any(name == "stale" for name, _ in self.intents)

    def has(self, *words: str) -> bool:
        """True when any of the words occurs in the compacted question."""
        return any(w in self.compact for w in words)


def understand(text: str, index: NameIndex) -> Query:
    """Understand one message, once: entities, qualifiers, aspects and the ranked intents; and whether it asks
    for a picture — a budget or progress question said with a picture word (그래프, 차트, 그림으로 …), or
    `/chart …` (read as the question after it)."""
    commanded = bool(text.strip()) and text.split(maxsplit=1)[0].lower() == CHART_COMMAND
    if commanded:
        text = text.strip()[len(CHART_COMMAND):].strip()
    query = _understand(text, index)
    # (not a picture a clause of context speaks of: "예산 추이 그래프 그리는 중인데 2단계 지방비 총액은")
    spoken = tuple(w for i, w in enumerate(tokens(text)) if i not in query.context_at)
    if commanded or (asks_picture(spoken) and query.intent in CHARTED and query.worded in (None, "stale")):
        return replace(query, chart=True)
    return query


def _understand(text: str, index: NameIndex) -> Query:
    """Entities, qualifiers, aspects and the ranked intents of one message."""
    words = tokens(text)
    found = index.find(text, ignore=is_filler)
    covered = {i for m in found for i in range(m.first, m.last + 1)}
    raw = [w for i, w in enumerate(words) if i not in covered]
    leftover = [strip_particle(w) for w in raw]
    # words that could contradict the subject: nouns (the analyser's word, not a list) of the question
    # itself — not of a clause of context — that no aspect, keyword or kind word explains
    stops = _sentence_ends(text)
    clauses = morph.context_words(words, stops) | _afterthought(words, covered, text)
    context_at = clauses - covered
    context = {words[i] for i in context_at}
    counters = {words[i + 1] for i, w in enumerate(words[:-1]) if w == "몇"}   # 몇 개야, 몇 곳: a counter
    # "TF 킥오프 보도자료에": a word that describes the document said after it is where to look, not a topic
    described = {words[i] for i in range(len(words) - 1) if _DOCUMENT.match(strip_particle(words[i + 1]))}
    rest = compact(" ".join(raw))
    written = leftover   # as typed, for a kind word typed with a typo
    # 조성하는거 → 조성, 펀드임 → 펀드; read with its particle when that tells the analyser more (지원용으로)
    leftover = [h if (h := morph.noun_head(r)) != r and len(h) < len(w) else morph.noun_head(w)
                for w, r in zip(leftover, raw, strict=True)]
    unexplained = [w for w, r in zip(leftover, raw, strict=True) if len(w) >= 2 and not is_filler(w)
                   and not is_filler(r) and not any(k in w or (w in k and k in rest) for k in KIND_WORDS)
                   and r not in context and r not in counters and morph.has_noun(r) and not _asks_only(r)
                   and not _asks_only(w)
                   and morph.as_modifier(r) == r
                   and not explains(w) and not _DOCUMENT.match(w) and not _made_of_explained(w)
                   and not _qualified_filler(w) and not _requested(words, r) and r not in described
                   and not morph.is_thing_word(r) and w not in _NAME_WORDS]
    for w, r in zip(leftover, raw, strict=True):   # "기회발전특구": the kind word, and what it is said of
        for key in KIND_WORDS:
            head = strip_particle(w.replace(key, "", 1)) if key in w else ""
            if len(head) >= 2 and head not in unexplained and not is_filler(head) and not explains(head) \
                    and r not in context and morph.has_noun(head):
                unexplained.append(head)
    mentions, regions, cities = _read_places(found)
    # "대구도 있었나?", "울산도 들어가나?": a place said with the particle 도 is asked about, whatever else is asked
    checked = tuple(c.id for m in found if m.first == m.last and words[m.first] == f"{m.text}도"
                    for c in m.candidates if c.kind == "region")
    known: tuple[Mention, ...] = ()   # names a clause of context said, set aside for what the question names
    if any(m.exact and not set(range(m.first, m.last + 1)) & clauses for m in mentions):
        # a place said only in a clause of context ("대구 평가단 주소 … 경북대 안에 있다던데") does not
        # contradict what the question itself names
        said = {c.id for m in found if m.exact and not set(range(m.first, m.last + 1)) <= clauses
                for c in m.candidates}
        regions = tuple(r for r in regions if r in said)
    if any(m.exact and not set(range(m.first, m.last + 1)) & clauses for m in found):
        # "대구는 가스공사잖아, 광주전남은 어디가 주도해?": what a clause of context names is what both already
        # know; the question is about what it names itself
        own = {c.id for m in found if not set(range(m.first, m.last + 1)) <= clauses for c in m.candidates}
        places = [p for p in (*regions, *cities) if p in own]
        # unless the question names only a place, and the name is that place's ("대구 평가단 번호가 … 같은데
        # 경북이랑 헷갈려서 대구꺼 알려주세요")
        kept = tuple(m for m in mentions if not set(range(m.first, m.last + 1)) <= clauses
                     or any(p in m.candidates[0].name for p in places))
        known = tuple(m for m in mentions if m not in kept)
        mentions = kept
        regions = tuple(r for r in regions if r in own)
        cities = tuple(c for c in cities if c in own)
    qualifiers = _read_qualifiers(fold(text), rest)
    # "클러스터 2단계 보도자료 … 담당 사무관": a kind word in what names a document asks for no list of the kind
    titling = {compact(words[j]) for i, w in enumerate(words) if _DOCUMENT.match(w) for j in range(max(0, i - 2), i)}
    kind_words = [v for k, v in KIND_WORDS.items() if k in rest and not any(k in t for t in titling)]
    for word, head in zip(written, leftover, strict=True):   # "클러스타": a kind word typed with a typo
        for key, value in KIND_WORDS.items():
            if len(word) >= 3 and value not in kind_words and fuzz.ratio(word, key) >= 75 \
                    and compact(word) not in titling:
                kind_words.append(value)
                unexplained = [u for u in unexplained if u not in (word, head)]
    for m in mentions:   # "지역사업평가단 전국에 몇 군데": a name only guessed that many rows of a kind end with
        top = [c for c in m.candidates if c.score == m.best.score]
        kinds = [v for k, v in KIND_WORDS.items() if compact(m.text).endswith(k) and v not in kind_words]
        if not m.exact and len(top) >= 3 and kinds and not regions and not cities:   # (제주 평가단: that one)
            kind_words.append(kinds[0])
            mentions = tuple(x for x in mentions if x is not m)
    said_outside = set(range(len(words))) - clauses
    if kind_words and mentions and all(not set(range(m.first, m.last + 1)) & said_outside for m in mentions) \
            and any(k in compact(" ".join(words[i] for i in said_outside)) for k in KIND_WORDS):
        # "내일 균형위 회의 때문에 그러는데 클러스터 3단계는": the names a clause of context says are known; the
        # question asks of the kind it names itself
        known, mentions = (*known, *mentions), ()
    elif mentions and all(not set(range(m.first, m.last + 1)) & said_outside for m in mentions) and not \
            has_any(compact(" ".join(words[i] for i in said_outside)), CONTACT):   # (whom to call: its people)
        # the question itself names nothing: what a clause says it is about ("클러스터 3단계 관련해서 기재부에서
        # 연락이 왔는데, …몇 년짜리로 바뀐 거였죠?") is, not who else a clause names
        topical = {i for i, w in enumerate(words) if _ABOUT.match(w) for i in range(max(0, i - 2), i)}
        about = [m for m in mentions if m.last in topical]
        kinds_about = any(k in compact(" ".join(words[i] for i in topical)) for k in KIND_WORDS)
        if (about or kinds_about) and len(about) < len(mentions):
            known, mentions = (*known, *(m for m in mentions if m not in about)), tuple(about)
    # 다음/지난 order dated things, unless they belong to a clause of context ("다음 주 보고 때문에 그러는데")
    # or to a date phrase the date reader knows ("다음 주", "지난달")
    dated = {w for span in temporal_phrases(text) for w in tokens(span)}
    # a word the date reader or the qualifier reader took (내년도, 신규) names nothing
    # (one noun the date reader read: 내년, 내년도; not 점심시간, 점심 and 시간, which names a topic)
    unexplained = [u for u in unexplained if u not in SCOPES and not (
        morph.is_common_noun(u) and any(u.startswith(d) for d in dated))]
    bare = {strip_particle(w) for w in raw if w not in context and w not in dated}
    money = bool(qualifiers["funding"] or qualifiers["category"] or qualifiers["want_total"] or qualifiers["scope"])
    spoken = compact(" ".join(w for i, w in enumerate(words) if i not in context_at))
    intents = read_intents(text, spoken,
                           compact(" ".join(w for w in raw if w not in context)), money,
                           compact(" ".join(w for w in raw if w in context)),
                           tuple(w for i, w in enumerate(words) if i not in clauses))
    last = max((i + 1 for i in stops if i + 1 < len(words)), default=0)
    if last:   # "…국가혁신클러스터 맞죠? 그거 21년 국비 얼마였어요": the last sentence asks; the first checks
        tail = [w for i, w in enumerate(words) if i >= last and i not in context_at]
        asked = read_intents(" ".join(tail), compact(" ".join(tail)), compact(" ".join(w for w in tail if w in raw)),
                             money)
        # (a last sentence with a question word asks on its own: "문의가 와서요.. 몇 개로 한정했죠?" asks a count)
        if next(n for n, _ in asked if n not in WORDED) != "other" or any(
                is_question_word(strip_particle(w)) for w in tail):
            intents = (*((n, v) for n, v in intents if n in WORDED), *((n, v) for n, v in asked if n not in WORDED))
    # "과장님이 송주호 과장님이었나? 누구였더라", "국토부였나요?": a name said as a guess is checked, not asked
    # about — what else the question names says what is asked (not when the guess is all it names)
    guessed = [m for m in mentions if _guessed(words, m.last)]
    if guessed and (len(guessed) < len(mentions) or regions or cities or kind_words or known):
        mentions = tuple(m for m in mentions if m not in guessed)
        # (the rest of a name guessed in part, "스마트물류 거점이었나", is the guess's too: it vetoes nothing)
        said = {morph.noun_head(strip_particle(words[m.last + 1])) for m in guessed if m.last + 1 < len(words)
                and _GUESS.search(words[m.last + 1])}
        unexplained = [u for u in unexplained if u not in said]
        if not mentions and known:   # "협업과제 실적을 경영평가에 반영한다던데 어느 부처 담당인지. 국토부였나요?":
            mentions, known = known, ()   # the question's own names were the guess; the clause's are asked of
    # "평가단 말고 중기부 주관부서", "클러스터 분야 말고요": a name said to be set aside is not what is asked
    set_aside = [m for m in mentions if _said_aside(words, m.last, 4)]
    if set_aside and len(set_aside) < len(mentions):
        mentions = tuple(m for m in mentions if m not in set_aside)
    # "광주 부산이랑 달리 대전은": the places set aside are not the ones asked about, when another one is
    aside = {c.id for m in found if _said_aside(words, m.last, 3)
             for c in m.candidates if c.kind in ("region", "city")}
    if aside and set(regions) - aside:
        regions = tuple(r for r in regions if r not in aside)
    if aside and set(cities) - aside:
        cities = tuple(c for c in cities if c not in aside)
    # "23년 지경위 자료에 나온 클러스터 …": a name said as the document's is where to look, not what is asked,
    # when the question names something else — unless it asks for people, whom a document names (its 담당과장);
    # which document it points to stays in the words (pointed_source)
    pointers = [m for m in mentions if _DOCUMENT.match(m.text) or (
        m.last + 1 < len(words) and _DOCUMENT.match(words[m.last + 1]))]
    if pointers and (len(pointers) < len(mentions) or kind_words or known) and \
            next(n for n, _ in intents if n not in WORDED) != "contact":
        mentions = tuple(m for m in mentions if m not in pointers)
    asked_noun = _asked_noun(words, unexplained)
    done_to = {i for i in range(len(words) - 1)
               if morph.modifies_as_action(words[i + 1], words[i + 2] if i + 2 < len(words) else "")}
    prefaces = _prefaces(words, context_at)
    return Query(
        text=text, compact=compact(text), mentions=mentions, pointers=tuple(pointers), known=known,
        context_at=prefaces,
        intents=intents,
        regions=regions, cities=cities, kind_words=tuple(kind_words), unexplained=tuple(unexplained),
        checked=tuple(r for r in checked if r in regions),
        # the raw word: stripping the particle 도 would turn 울릉도 into 울릉
        unknown_places=tuple(r for w, r in zip(leftover, raw, strict=True)
                             if w in unexplained and _PLACE.match(r) and r not in _NOT_PLACES
                             and not morph.is_common_noun(r)),   # 내년도, 금년도: the analyser's common nouns
        unknown_people=tuple(w for w, r in zip(leftover, raw, strict=True) if w in unexplained
                             and morph.is_person_name(w) and not _modifies_next(words, r) and (
                                 (r == w and next(n for n, _ in intents if n not in WORDED) != "budget")
                                 or _said_as_person(words, r, intents))),   # (a bare name asks no money:
                                                                            # "협업과제 지원용 국비")
        asked_noun=asked_noun,
        before_name=tuple(morph.noun_head(strip_particle(words[i])) for i in range(len(words) - 1)
                          if strip_particle(words[i + 1]) in _NAME_WORDS[:3]),
        # (a computation asked, "국비 합치면?", asks for its result)
        yes_no=morph.asks_yes_no(words, text.rstrip().endswith("?"),
                                 any(is_question_word(w) or explains(strip_particle(w)) for w in words)),
        # what a clause of context says ("지역 투자 애로 관련 보고서 쓰는 중인데요") asks no aspect, unless
        # nothing else is said (a noun the question word asks, "건축비 몇 %", is said)
        # (nor does the object of an action said of the thing: "건물 짓는 거 이름" asks no address)
        aspects=aspect.asked(tuple(morph.as_modifier(w) for i, w in enumerate(words)
                                   if i not in covered and w not in context and i not in done_to)) or
        aspect.asked(tuple(morph.as_modifier(words[i]) for i in range(len(words))
                           if i not in covered and i not in done_to and (asked_noun is None or i not in prefaces))),
        rest=rest,
        order="next" if bare & set(NEXT) else "last" if bare & set(LAST) else None,
        follow_up=follow_up(spoken, tuple(w for i, w in enumerate(words) if i not in clauses)),
        **qualifiers,
    )


def _said_aside(words: Sequence[str], last: int, within: int) -> bool:
    """Whether the name ending at word `last` is set aside: 말고/아니고/달리 within a few words after it, or
    헷갈 right after it said with 랑/와 ("김천이랑 헷갈림")."""
    after = words[last + 1:last + within]
    return any(_SET_ASIDE.match(w) for w in after) or bool(
        after and after[0].startswith("헷갈") and _CONFUSED.search(words[last]))


_GUESS = re.compile(r"(?:였나|었나|였던가|었던가|인가|인가요|아니었나|아닌가|였나요|었나요)[?？]*$")   # "…이었나?"
_CONFIRM = re.compile(r"^(?:맞|아니[었야지]|아닌)")   # "정병찬 사무관 맞죠?", "… 아니었어?"


def _guessed(words: Sequence[str], last: int) -> bool:
    """Whether the name ending at word `last` is said as a guess to be checked: its word, or a title after it,
    ends in 였나/인가, or 맞지/아니었나 follows."""
    for i in range(last, min(last + 2, len(words))):
        if _GUESS.search(words[i]) and not is_question_word(words[i]):   # (the name's word, a title after it,
            return True                                  # or the rest of a name said in part — not "며칠이었나")
        if i > last and not any(strip_particle(words[i]).startswith(t) for t in TITLES):
            return bool(_CONFIRM.match(words[i]))
        if i + 1 < len(words) and _CONFIRM.match(words[i + 1]):
            return True
    return False


def _afterthought(words: Sequence[str], covered: set[int], text: str) -> set[int]:
    """The words of a last sentence said after a question that asks nothing itself ("주소 좀 알 수 있을까요?
    네비 찍게요", "얼마나 늘었음? 차액만"): why it is asked, context — unless it names something, asks with a
    question word, or says a year, phase or source of money ("…얼마야? 지방비만")."""
    asked = _sentence_ends(text, "?？")
    start = max((i + 1 for i in asked if i + 1 < len(words)), default=0)
    tail = range(start, len(words))
    if not start or set(tail) & covered:
        return set()
    said = " ".join(words[i] for i in tail)
    if any(is_question_word(strip_particle(w)) for w in said.split()) or aspect.asked(tuple(said.split())) \
            or read_intents(said, compact(said), compact(said), False)[0][0] != "other" \
            or any(v for k, v in _read_qualifiers(fold(said), compact(said)).items() if k != "want_total"):
        return set()
    return set(tail)


def _sentence_ends(text: str, marks: str = "?!.？！") -> frozenset[int]:
    """Indexes of the words a question mark, an exclamation mark or a full stop (or only the `marks` given)
    follows."""
    ends, count = set(), 0
    for sentence in re.split(r"(?<=[?!.？！])\s", text):
        count += len(tokens(sentence))
        if count and sentence.rstrip()[-1:] and sentence.rstrip()[-1:] in marks:
            ends.add(count - 1)
    return frozenset(ends)


def _made_of_explained(word: str) -> bool:
    """A compound whose every noun is a word the reading already explains (주요기관 → 주요 + 기관), or a word
    for a name (과제명 → 과제 + 명)."""
    nouns = morph.nouns_of(word)
    return len(nouns) >= 2 and "".join(nouns) == word and \
        all(is_filler(n) or explains(n) or n in _NAME_WORDS for n in nouns)


def _qualified_filler(word: str) -> bool:
    """A qualifier the reading knows written together with a word that asks (R&D예산, 비R&D사업비)."""
    rest = _CATEGORY.sub("", word)
    return rest != word and (not rest or is_filler(rest))


_REQUEST = ("부탁", "해줘", "해주", "해 주", "요청", "해봐", "해줄")   # what a request of the bot is said with


def _requested(words: tuple[str, ...], word: str) -> bool:
    """A noun that names the act requested of the bot ("확인 부탁해요", "검토 부탁드립니다"), not a topic."""
    at = [i for i, w in enumerate(words) if w == word]
    for i in at:   # (a word of courtesy between: "확인 좀 부탁드려요"; or nothing after but one: "계산 좀")
        rest = [w for w in words[i + 1:] if w not in ("좀", "한번", "혹시", "빨리")]
        if (rest and rest[0].startswith(_REQUEST)) or (not rest and i + 1 < len(words)):
            return True
    return False


def _asks_only(word: str) -> bool:
    """A word made of what is asked (주소가, 대표번호, 문의전화), not one that names something beside it
    (점심시간: 점심 is left over)."""
    asked = aspect.asked((word,))
    if not asked:
        return False
    head = morph.noun_head(word)
    if any(aspect.BY_NAME[a].strict and head.endswith(tuple(w.lstrip("=") for w in aspect.BY_NAME[a].words))
           for a in asked if a in ("phone", "address", "email", "fax")):
        return True   # 직통번호, 사무실주소: a kind of phone number or address, still a phone number or address
    rest = word
    for a in aspect.ASPECTS:
        for w in sorted((w.lstrip("=") for w in a.words), key=len, reverse=True):
            rest = rest.replace(w, "")
    return all(is_filler(noun) for noun in morph.nouns_of(rest))   # 건물이야 → 이야, 주관기관은요 → 기관


def _read_places(found: list[Mention]) -> tuple[tuple[Mention, ...], tuple[str, ...], tuple[str, ...]]:
    """Take 시·도 and innovation-city mentions out of the entity mentions: (mentions, regions, cities)."""
    regions: list[str] = []
    cities: list[str] = []
    def place(m: Mention) -> bool:   # read exactly, or a place name typed one letter off (경븍)
        kinds = {c.kind for c in m.candidates}
        return bool(kinds & {"region", "city"}) and (m.exact or kinds <= {"region", "city"})

    for mention in found:
        if not place(mention):
            continue
        for c in mention.candidates:
            target = regions if c.kind == "region" else cities if c.kind == "city" else None
            if target is not None and c.id not in target:
                target.append(c.id)
    # a mention that names both a place and something else (e.g. an alias) is read as the place
    kept = [replace(m, candidates=[c for c in m.candidates if c.kind not in ("region", "city")]) for m in found
            if not place(m)]
    return tuple(m for m in kept if m.candidates), tuple(regions), tuple(cities)


def _read_qualifiers(folded: str, rest: str) -> dict[str, Any]:
    """Year or period, phase, R&D/비R&D, funding source, 신규/계속, whether a total is asked, and every
    year, phase, funding and category named (for arithmetic). A year that dates a document ("21년 산업부
    보도자료 기준") says which document, not which year's figure."""
    document = _DOCUMENT_YEAR.search(folded)
    document_year = _year(document.group(1)) if document else None
    if document:
        folded = folded[:document.start(1)] + folded[document.end(1):]
    span = _PERIOD.search(folded)
    period = f"20{span.group(1)}~20{span.group(2)}" if span and int(span.group(1)) < int(span.group(2)) else None
    phase = _PHASE.search(folded)
    span = _PHASE_SPAN.search(folded)
    phase_span = (int(span.group(1)), int(span.group(2))) if span and span.group(1) < span.group(2) else None
    categories = [(m.start(), "비R&D" if m.group(1) else "R&D") for m in _CATEGORY.finditer(rest)]
    return {
        "period": period,
        "document_year": document_year,
        "year": None if period else _year(folded),
        "phase": int(phase.group(1)) if phase and not phase_span else None,
        "phase_span": phase_span,
        "this_year": bool(_THIS_YEAR.search(folded)),
        "category": "비R&D" if any(m.group(1) for m in _CATEGORY.finditer(rest)) else (
            "R&D" if _CATEGORY.search(rest) else None),
        # "지방비까지 합친 총액", "국비 포함 전체": a funding said as included in the total is not a filter
        "funding": None if _INCLUDED.search(rest) else next((f for f in ("지방비", "국비", "정부") if f in rest), None),
        "scope": next((s for s in SCOPES if s in rest), None),
        "want_total": any(w in rest for w in ("소계", "합계", "총액", "총예산", "전체예산", "총사업비"))
        or bool(_INCLUDED.search(rest)),
        "included": bool(_INCLUDED.search(rest)),
        "years": () if period else tuple(dict.fromkeys(
            y for y in (_year(m.group(0)) for m in _YEAR.finditer(folded)) if y)),
        "phases": () if phase_span else tuple(dict.fromkeys(int(m.group(1)) for m in _PHASE.finditer(folded))),
        # a stored total listed beside its parts ("국비랑 지방비랑 합계 다 더하면") is an operand too; the head
        # noun of "국비 지방비 합계" is not
        "fundings": () if _INCLUDED.search(rest) else tuple(
            f for _, f in sorted((rest.find(f), f) for f in ("지방비", "국비", "정부", "합계")
                                 if f in rest and (f != "합계" or _LISTED_TOTAL.search(folded)))),
        "categories": tuple(dict.fromkeys(c for _, c in sorted(categories))),
        "scopes": tuple(s for _, s in sorted((rest.find(s), s) for s in SCOPES if s in rest)),
    }


def _year(folded: str) -> int | None:
    match = _YEAR.search(folded)
    if not match:
        return None
    if match.group(1):
        return int(match.group(1))
    return 2000 + int(match.group(2) or match.group(3))


def region_of(row: dict[str, object]) -> list[str]:
    """The regions a program/task/organisation row names."""
    return [r.strip() for r in str(row.get("region") or "").split("|") if r.strip()]


def _modifies_next(words: Sequence[str], word: str) -> bool:
    """"몇 곳으로 한정한 거예요": a verb before 거, which the analyser alone would read as a person's name."""
    at = words.index(word) if word in words else -1
    return 0 <= at < len(words) - 1 and morph.modifies(word, words[at + 1])


def _said_as_person(words: Sequence[str], word: str, intents: tuple[tuple[str, float], ...]) -> bool:
    """Whether a word the analyser reads as a person's name, said with a particle, is said as one: with a
    title or 님/씨 after it, or in a question asking for someone — not "지원용으로" in a question about money."""
    at = words.index(word) if word in words else -1
    after = strip_particle(words[at + 1]) if 0 <= at < len(words) - 1 else ""
    before = strip_particle(words[at - 1]) if at > 0 else ""   # "위원장 김철수": the title said first
    titled = any(after.startswith(t) or before.endswith(t) for t in (*TITLES, "위원장")) or word.endswith(("님", "씨"))
    return titled or next(name for name, _ in intents if name not in WORDED) == "contact"


def _prefaces(words: Sequence[str], context_at: set[int]) -> frozenset[int]:
    """The words of clauses of context that only preface the question: not a clause that asks itself (a
    question word or a computation in it: "안건 몇 건이었고 …"), nor the last one when nothing follows it."""
    runs: list[list[int]] = []
    for i in sorted(context_at):
        if runs and runs[-1][-1] == i - 1:
            runs[-1].append(i)
        else:
            runs.append([i])
    kept = [run for run in runs if run[-1] < len(words) - 1
            and not any(is_question_word(strip_particle(words[i])) or explains(strip_particle(words[i]))
                        for i in run)]   # (nor one that says what to compute: "주축산업+미래신산업 합쳐서")
    return frozenset(i for run in kept for i in run)


def _asked_noun(words: Sequence[str], unexplained: Sequence[str]) -> str | None:
    """The unexplained noun right before the question word (면적 몇, 사장 이름 뭐야, 국회의원 누구야)."""
    for i, word in enumerate(words[:-1]):
        head = morph.noun_head(strip_particle(word))
        after = [strip_particle(w) for w in words[i + 1:i + 3]]
        said = head
        if after and after[0] in _NAME_WORDS:   # "사장 이름 뭐야", "직원 수 몇 명": the name, the number of it
            said, after = f"{head} {after[0]}", after[1:]
        if head in unexplained and after and is_question_word(after[0]):
            return said
    return None


def entity_row(store: Store, kind: str, entity_id: str) -> dict[str, object] | None:
    """The store row behind a candidate."""
    getter = {
        "organisation": store.organisation, "program": store.program, "task": store.task,
        "contact": store.contact, "meeting": store.meeting, "region": store.region,
    }.get(kind)
    if getter is None:
        return {"id": entity_id, "name": entity_id} if kind == "department" else None
    return getter(entity_id)
