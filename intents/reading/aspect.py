"""What a question asks of its subject (a phone number, an address, the lead organisation …) and the
answer-first rule: the line that states it goes first, and a card that lacks it is not an answer."""

import re
from dataclasses import dataclass

from intents.reading.morph import morphemes
from intents.reading.normalize import compact, strip_particle

BULLET = "• "
MAX_PHONE_LINES = 3   # contact lines whose phones lead an answer: the first few, not a whole ministry


@dataclass(frozen=True)
class Aspect:
    """One thing a question can ask of an entity: the words that ask it and the card labels that state it.

    `strict`: when it is asked and the answer's card has no line for it, the data does not hold it, and
    the answer says so instead of showing the rest of the card.
    """

    name: str
    says: str
    words: tuple[str, ...]
    labels: tuple[str, ...]
    strict: bool = False
    states: re.Pattern[str] | None = None   # a line states it when this matches (a count: "16개", "14곳")
    # when no line has its label, a line saying this states it ("규제 적용을 4년간 배제": a period)
    otherwise: re.Pattern[str] | None = None


# The one registry of aspects. Words are compared with the compacted question (no spaces); labels are
# the labels the cards in intents/ print, so a new card line is found by the label it already has.
ASPECTS: tuple[Aspect, ...] = (
    Aspect("phone", "전화번호", ("전화", "번호", "연락처", "전번", "폰번", "문의처", "연락", "직통", "내선"),
           ("전화", "☎"), strict=True),
    Aspect("address", "주소", ("주소", "위치", "사무실", "건물", "소재지", "어디있", "어디에있"),
           ("주소",), strict=True),
    Aspect("email", "이메일", ("이메일", "메일", "email", "이메일주소", "메일주소"), ("이메일",), strict=True),
    Aspect("fax", "팩스 번호", ("팩스", "fax", "팩스번호"), ("팩스",), strict=True),
    Aspect("lead", "주관기관",
           ("주관", "맡", "담당기관", "어느기관", "어떤기관", "무슨기관", "기관이어디", "기관어디", "주도",
            "담당하는", "추진하는", "이끄는"),
           ("주관기관",)),
    Aspect("ministry", "소관 부처", ("부처", "소관"), ("소관부처", "주관기관")),
    Aspect("children", "세부 항목", ("대표프로젝트", "대표사업", "프로젝트", "세부사업", "내역사업", "세부항목"),
           ("세부 항목", "세부사업")),
    Aspect("parent", "상위 과제", ("소속", "어느과제", "어떤과제", "무슨과제", "상위"), ("상위",)),
    Aspect("type", "유형", ("유형", "타입"), ("분류/유형", "유형")),
    Aspect("field", "분야", ("분야", "특화산업"), ("육성분야", "분류/유형", "분야")),
    Aspect("region", "지역",
           ("=지역", "=시도", "=도시", "어디어디", "참여시도", "참여지역", "무슨지역", "어느지역", "지역어디",
            "시도어디", "어느혁신도시", "무슨혁신도시"),
           ("지역",)),
    Aspect("time", "일시",
           ("언제", "시간", "일시", "날짜", "며칠", "몇일", "몇월", "시작", "시기", "일정", "예정일", "기한",
            "시점", "몇년도"),
           ("일시", "일정")),
    # the time of day ("몇 시에 시작"): stated only by a clock time; a date alone does not say it (also asks time)
    Aspect("clock", "시각", ("몇시", "시각"), ("일시",), strict=True,
           states=re.compile(r"[0-9]{1,2}:[0-9]{2}|(?<![0-9])[0-9]{1,2}시(?!간)")),
    Aspect("place", "장소", ("장소", "어디서", "호실", "몇호"), ("장소",), strict=True),
    Aspect("mode", "개최 방식", ("대면", "화상", "방식"), ("방식",)),
    Aspect("chair", "주재", ("주재", "위원장"), ("주재/위원장",), strict=True),
    Aspect("attendees", "참석자", ("참석",), ("참석",)),
    Aspect("agenda", "안건", ("안건",), ("안건·진행 순서",)),
    # "몇 년까지/동안/짜리": how long, not which year (몇 년도)
    Aspect("period", "기간", ("기간", "몇년까지", "몇년동안", "몇년간", "몇년짜리", "몇개월"), ("기간",),
           otherwise=re.compile(r"[0-9]+\s*(?:년|개월)\s*(?:간|동안)")),
    Aspect("count", "수", ("몇개", "몇곳", "몇건", "몇명", "몇군데", "몇개사", "몇가지"), (), strict=True,
           # in figures or in native numerals ("네 가지 범주")
           states=re.compile(r"(?:[0-9][0-9,]*|(?<![가-힣])(?:한|두|세|네|다섯|여섯|일곱|여덟|아홉|열))\s*"
                             r"(개|곳|건|명|군데|가지)(?![0-9])")),
)
BY_NAME = {a.name: a for a in ASPECTS}
_WHOLE_WORDS = [(w[1:], a.name) for a in ASPECTS for w in a.words if w.startswith("=")]
_WORDS_AT: dict[str, list[tuple[str, str]]] = {}   # the aspect words by their first character
for _aspect in ASPECTS:
    for _word in _aspect.words:
        if not _word.startswith("="):
            _WORDS_AT.setdefault(_word[0], []).append((_word, _aspect.name))
# aspects strict only for some kinds: when a program, task or meeting happens is in its card or not at all
STRICT_FOR = {"time": ("program", "task", "meeting")}
# what a program or task card states: asked of one, the card answers, whatever contact word the question has
CARD_ASPECTS = frozenset({"lead", "ministry", "children", "parent", "type", "field", "region", "period"})
# the kinds of entity that hold each aspect: "장소 어디였어" is asked of a meeting more than of a ministry
KINDS_OF = {**{a: ("meeting",) for a in ("time", "clock", "place", "mode", "chair", "agenda", "attendees")},
            **{a: ("organisation", "contact", "department") for a in ("phone", "address", "email", "fax")},
            **{a: ("program", "task") for a in CARD_ASPECTS}, "count": ()}


def asked(words: tuple[str, ...]) -> tuple[str, ...]:
    """The aspects a question's words ask for, in the order they are first named.

    An aspect word lies inside one word (공동위원장, 육성분야) or runs over several from where a word begins
    ("어디 있어"), so that "부단장 소속" does not ask for a 장소. A word written `=지역` must be a whole word
    (with its particle): alone it asks the aspect, inside a name (지역경제위원회) it does not.
    """
    text = "".join(words)
    starts: dict[int, int] = {}
    inner: set[int] = set()   # where a compound's last noun begins: "공공기관 어디" asks 기관 어디
    position = 0
    for word in words:
        starts[position] = len(word)
        parts = morphemes(word)
        if len(parts) >= 2 and parts[0][1] == "NNG" and parts[1][1] == "NNG":
            inner.add(position + len(parts[0][0]))
        position += len(word)
    bare = {strip_particle(w) for w in words}

    def inside_one(i: int, length: int) -> bool:
        begin = max(s for s in starts if s <= i)
        return i + length <= begin + starts[begin]

    spans = []   # (start, end, aspect): every occurrence of every word, found in one pass
    for w, name in _WHOLE_WORDS:
        if w in bare:
            i = text.find(w)
            spans.append((i, i + len(w), name))
    for i, first_char in enumerate(text):   # every position, so overlapping words are all seen
        for w, name in _WORDS_AT.get(first_char, ()):
            if text.startswith(w, i) and (i in starts or i in inner or inside_one(i, len(w))):
                spans.append((i, i + len(w), name))
    taken: list[tuple[int, int, str]] = []   # the longest words first: 이메일주소 asks for an email, not an address
    for span in sorted(spans, key=lambda sp: sp[0] - sp[1]):
        if all(span[1] <= t[0] or span[0] >= t[1] for t in taken):
            taken.append(span)
    first: dict[str, int] = {}
    for start, _, name in sorted(taken):
        first.setdefault(name, start)
        if name == "clock":   # a time of day asked is a time asked
            first.setdefault("time", start)
    return tuple(first)


def _label_of(line: str, labels: tuple[str, ...]) -> str | None:
    body = line.strip().removeprefix(BULLET)
    for label in labels:
        if label == "☎" and "☎" in body:
            return label
        if body.startswith(label + ":") or body == label + ":":
            return label
    return None


def lead_lines(lines: list[str], aspects: tuple[str, ...]) -> tuple[list[str], set[int]]:
    """The lines of a card that state the asked aspects (a block under `label:` joined into one line),
    and the indexes they came from."""
    leads: list[str] = []
    used: set[int] = set()
    for name in aspects:
        aspect = BY_NAME[name]
        ordered = sorted(((i, line) for label in aspect.labels for i, line in enumerate(lines)
                          if _label_of(line, (label,)) is not None), key=lambda il: _undecided(il[1]))
        if aspect.states is not None:
            ordered = [(i, line) for i, line in enumerate(lines) if aspect.states.search(line)]
        elif aspect.otherwise is not None and not any(i for i, _ in ordered):
            ordered = [(i, line) for i, line in enumerate(lines) if aspect.otherwise.search(line)]
        for i, line in ordered:
            if i == 0 or i in used:
                continue
            used.add(i)
            body = line.strip().removeprefix(BULLET)
            if body.endswith(":"):   # a block: the bullets under it
                items = []
                for j in range(i + 1, len(lines)):
                    if not lines[j].startswith(BULLET):
                        break
                    used.add(j)
                    items.append(lines[j].removeprefix(BULLET))
                body = body + " " + "; ".join(items)
            leads.append(body)
            if aspect.name != "phone" or len(leads) >= MAX_PHONE_LINES:
                break   # one line states it; phones may be on several contact lines
    return leads, used


def answer_first(lines: list[str], aspects: tuple[str, ...], lead_name: str | None = None,
                 asked: int = 0, kind: str | None = None) -> list[str] | None:
    """The card with the lines stating what was asked first (after its `[이름]` header).

    `asked`: how many lines after the header the intent matched to the question's own words (a fact, an
    agenda item). Those whose label says an asked aspect ("지원 기간" for 기간, "모두발언 시간" for 시간) go
    first, then the card's lines for the aspects, then the other asked lines. `lead_name` is put first when
    the subject was found for the asker (by region or organisation) rather than named by them. None when a
    strict aspect (or one strict for the subject's `kind`: when a program or meeting happens) was asked and
    neither the card nor an asked line has it; an undecided value (일정 미정) does not count as having it.
    """
    top = 1 if lines and lines[0].startswith("[") else 0
    said = lines[top:top + asked]
    card = [*lines[:top], *lines[top + len(said):]]
    by_label = [ln for ln in said if _states(ln, aspects, counted=False)]
    counted = [ln for ln in said if ln not in by_label and _states(ln, aspects)][:1]   # one line with the count
    first = [ln.strip().removeprefix(BULLET) for ln in said if ln in by_label or ln in counted]
    others = [ln for ln in said if ln not in by_label and ln not in counted]
    # a count the asked lines already state (a computed sum) is not looked for again in the card
    leads, used = lead_lines(card, tuple(a for a in aspects if not (BY_NAME[a].states and first)))
    strict = [a for a in aspects if BY_NAME[a].strict or kind in STRICT_FOR.get(a, ())]
    known = [ln for ln in leads if not _undecided(ln)]
    # lines the question's words picked answer a strict aspect, but not a count they do not state ("선정
    # 기업 몇 개": the 평가 선정 date is no count)
    patterns = [p for a in strict if (p := BY_NAME[a].states) is not None]
    said_it = bool(said) and (not patterns or any(p.search(ln) for p in patterns for ln in said))
    if strict and not known and not said_it and \
            not any(_states_aspect(ln, BY_NAME[a]) and not _undecided(ln) for a in strict for ln in card):
        return None
    if unstated(lines, aspects):   # "몇 시에 시작": a date without a time of day does not say it
        return None
    leads = [*first, *leads]
    if lead_name and not leads and others:   # found for the asker: its name, then the first line asked of it
        line = others[0].strip().removeprefix(BULLET)
        leads, others = [line if lead_name in line else f"{lead_name} — {line}"], others[1:]
    elif lead_name and leads:
        leads = [" · ".join(leads) if lead_name in leads[0] else f"{lead_name} — {' · '.join(leads)}"]
    elif lead_name and not (len(card) > top and card[top].startswith(lead_name)):
        leads = [lead_name]
    elif len(leads) > 1:
        leads = [" · ".join(leads)]
    rest = [ln for i, ln in enumerate(card) if i not in used]
    return [*rest[:top], *leads, *others, *rest[top:]]


def unstated(lines: list[str], aspects: tuple[str, ...]) -> list[str]:
    """The asked aspects only a pattern states (a time of day) that no line states: the data lacks them."""
    body = lines[1:] if lines and lines[0].startswith("[") else lines   # not the header's own name
    return [a for a in aspects if a == "clock" and not any(_states_aspect(ln, BY_NAME[a]) for ln in body)]


def _states_aspect(line: str, aspect: Aspect) -> bool:
    """Whether a card line states an aspect: by its label, or by its pattern."""
    if aspect.states is not None:
        return bool(aspect.states.search(line))
    return _label_of(line, aspect.labels) is not None


def _undecided(line: str) -> bool:
    """A `label: value` line whose value says it is not decided yet (일정 미정, 미정)."""
    value = line.split(":", 1)[-1].strip()
    return value.startswith("미정") or value.startswith("일정 미정") or value.endswith("일정 미정")


def label_says(label: str, aspects: tuple[str, ...]) -> bool:
    """Whether a fact's label names one of the asked aspects (지원 기간 → 기간, 모두발언 시간 → 시간)."""
    return _states(f"{label}:", aspects, counted=False)


def _states(line: str, aspects: tuple[str, ...], counted: bool = True) -> bool:
    """Whether a `label: value` line's label says one of the aspects (지원 기간 → 기간); with `counted`, also a
    line that states a count anywhere when a count is asked."""
    patterns = [p for a in aspects if (p := BY_NAME[a].states) is not None]
    if counted and any(p.search(line) for p in patterns):
        return True
    label = compact(line.strip().removeprefix(BULLET).split(":", 1)[0])
    return any(w.lstrip("=") in label for a in aspects for w in BY_NAME[a].words) or \
        any(label.endswith(compact(lb)) for a in aspects for lb in BY_NAME[a].labels)
