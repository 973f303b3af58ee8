"""Korean morphology from python-mecab-ko: which words carry a noun, which close a clause of context.

The store's names stay the matcher's vocabulary; the analyser only tells the words names don't explain
apart — verbs, endings, adverbs and counters from nouns — and finds the clauses that give context
("다음 주 현장방문 가는데 …", "… 들은 것 같은데") rather than ask.
"""

from functools import lru_cache
from itertools import pairwise

from mecab import MeCab

_CONTENT = ("NNG", "NNP", "SL", "SH")
# connective endings that close a clause of context: -는데/-은데/-던데, -니까, -아서/-어서/-라서, -려고, -면서,
# -길래, -잖아 (what both already know), and the same ending a trailing clause with 요 ("장관님 보고자료에
# 넣으려고요", "우편 보내야 돼서")
_CONTEXT_ENDINGS = ("데", "니까", "니깐", "서", "려고", "면서", "길래", "데요", "서요", "려고요", "거든요", "니까요",
                    "잖아", "잖아요")


@lru_cache(maxsize=1)
def _analyser() -> MeCab:
    return MeCab()


@lru_cache(maxsize=16384)
def morphemes(word: str) -> tuple[tuple[str, str], ...]:
    """The (surface, tag) pairs of one word, as mecab-ko-dic tags them (NNG, VV+EC, …)."""
    return tuple((m.surface, str(m.pos)) for m in _analyser().parse(word))


@lru_cache(maxsize=4096)
def is_known_place(word: str) -> bool:
    """True when the analyser's dictionary knows the whole word as a place name (강남, 대구): a place of its
    own, not a typo for another."""
    parsed = _analyser().parse(word)
    return len(parsed) == 1 and str(parsed[0].pos) == "NNP" and getattr(parsed[0].feature, "semantic", None) == "지명"


def is_thing_word(word: str) -> bool:
    """True for the bound noun 거 (것) with a copula or ending (거야, 거임, 거죠), which the analyser alone
    reads as one noun: read after 그 it is 그거 and its endings."""
    if not word.startswith("거") or len(word) > 4:
        return False
    parts = morphemes("그" + word)
    return parts[0] == ("그거", "NP") and len(parts) > 1 and all(t.startswith(("VCP", "E", "J")) for _, t in parts[1:])


def is_common_noun(word: str) -> bool:
    """True when the analyser reads the whole word as one common noun (내년도, 금년도): no place name."""
    parts = morphemes(word)
    return len(parts) == 1 and parts[0][1] == "NNG"


# Korean family names of one syllable (the dictionary also tags some loanwords, 바이오 or 드론, as 인명)
_SURNAMES = frozenset("김이박최정강조윤장임한오서신권황안송류유전홍고문양손배백허남심노하곽성차주우구민진나지엄채원천"
                      "방공현함변염여추도소석선설마길연위표명기반왕금옥육인맹제모탁국어은편용예경봉사부가복태목형피두감호")


def is_person_name(word: str) -> bool:
    """True when the analyser's dictionary knows the whole word as a person's name and it reads as one: three
    Hangul syllables after a family name (김철수, 이영희)."""
    if len(word) != 3 or word[0] not in _SURNAMES or not all("가" <= ch <= "힣" for ch in word):
        return False
    parsed = _analyser().parse(word)
    return len(parsed) == 1 and str(parsed[0].pos) == "NNP" and getattr(parsed[0].feature, "semantic", None) == "인명"


def as_modifier(word: str) -> str:
    """A noun made a verb with 하다, in whatever ending (추진해, 담당했어요, 주관함), written the one way the
    aspect words use (추진하는); any other word as it is."""
    parsed = morphemes(word)
    if len(parsed) >= 2 and parsed[0][1] == "NNG" and parsed[1][1].startswith("XSV"):
        return f"{parsed[0][0]}하는"
    return word


def is_verb(word: str) -> bool:
    """True when a word begins as a verb or adjective does (했었나, 바뀌었어): it says what is done, names nothing."""
    parts = morphemes(word)
    return bool(parts) and parts[0][1].split("+")[0] in ("VV", "VA", "VX", "VCP", "VCN", "XSV", "EP", "EF", "EC")


def nouns_of(name: str) -> list[str]:
    """The nouns a name is made of (지역경제위원회 → 지역, 경제, 위원회)."""
    return [surface for surface, tag in morphemes(name) if tag.split("+")[0] in ("NNG", "NNP")]


def is_clipped(word: str) -> bool:
    """True when the dictionary reads a word only in one-syllable pieces (지/경위, 국/혁/클, 중대/본): clipped
    syllables, as abbreviations are, not a run of whole words (국가/대표, 운전/면허)."""
    return any(len(surface) == 1 for surface, _ in morphemes(word))


def has_noun(word: str) -> bool:
    """True when a word is headed by a noun of two syllables or more, or a foreign word: something that can
    name (스마트시티, 김철수). Verb forms (넘어갈때), counters (3년간) and one-syllable bound nouns (중에) are not."""
    parts = morphemes(word)
    if not parts:
        return False
    surface, tag = parts[0]
    # (an adjective made an adverb, 정확하게 / 빠르게, says how, names nothing)
    adverb = len(parts) >= 3 and parts[1][1].startswith("XSA") and parts[2] == ("게", "EC")
    return tag.split("+")[0] in _CONTENT and (len(surface) >= 2 or tag.startswith("S")) and not adverb


def closes_context(word: str) -> bool:
    """True when a word ends a clause of context with a connective ending (가는데, 중인데, 하려고)."""
    parts = list(morphemes(word))
    if word.endswith("서요") and any(t.startswith("V") for _, t in parts):
        return True   # -어서요, a reason said after: "물어봐서요" (which the analyser cuts as 물/어/봐서/요)
    if len(parts) > 1 and parts[-1] == ("요", "JX"):   # 해서/EC + 요/JX: the ending before the polite 요
        parts.pop()
    if not parts:
        return False
    surface, tag = parts[-1]
    if surface == "라" and tag == "EC" and len(parts) > 1 and parts[-2][1] == "VCP":
        return True   # 이라 after a noun, the -이라서 of speech: "방문 예정이라", "보고용이라"
    if surface == "고" and tag == "EC" and len(parts) > 1 and parts[-2][1].endswith("EP"):
        return True   # -었고/-였고, what was so and is known: "울산은 초소형 전기차였고, 충남은?"
    return tag.split("+")[-1] in ("EC", "EF") and surface.endswith(_CONTEXT_ENDINGS)


def context_words(words: tuple[str, ...] | list[str], stops: frozenset[int] = frozenset()) -> set[int]:
    """Indexes of the words in clauses that end with a connective ending: context, not the question.

    `stops`: indexes of words a question mark or a full stop follows ("주소가 어디였더라? 경북대 안에
    있다던데"): the sentence ends there whatever its ending."""
    out: set[int] = set()
    start = 0
    for i, word in enumerate(words):
        if closes_context(word) and i not in stops:
            out.update(range(start, i + 1))
            start = i + 1
        elif ends_sentence(word) or i in stops:   # "… 뭐였죠? 보고서에 써야 해서요": it ends here
            start = i + 1
    return out


def ends_sentence(word: str) -> bool:
    """True when a word closes a sentence with a final ending (뭐였죠, 알려줘요, 있나요); a clause of context
    may end the same way, so `context_words` asks `closes_context` first."""
    parts = morphemes(word)
    return bool(parts) and parts[-1][1].split("+")[-1] == "EF"


_NOMINAL = ("NNG", "NNP", "NNB", "NNBC", "ETN", "SN", "SL", "SH", "XSN", "NR", "SY")


def states(words: tuple[str, ...] | list[str]) -> bool:
    """True when a message ends as a statement: a noun (완료, 협의 중, 착공함) or a declarative -다
    (완료했습니다). A question or request ending (맞아, 인가요, 알려줘, 됐나) is not a statement."""
    if not words:
        return False
    parts = morphemes(words[-1])
    if not parts:
        return False
    surface, tag = parts[-1]
    final = tag.split("+")[-1]
    if "VX" in tag.split("+") and final in ("EC", "EF"):
        return False   # 알려줘, 보여줘: a request
    return final in _NOMINAL or (final == "EF" and surface.endswith("다"))


def asks_if_done(word: str) -> bool:
    """True for a question whether something has happened: a noun made a past verb with a question ending
    (착수했나요, 완료됐어, 도입됐나, 반영됐나요), not a statement of it (착수했다)."""
    parts = morphemes(word)
    if len(parts) < 3 or parts[-1][0].endswith("다"):
        return False
    nouns_done = any(tag == "NNG" and nxt.startswith("XSV") and "EP" in nxt.split("+")
                     for (_, tag), (_, nxt) in pairwise(parts))
    return nouns_done and parts[-1][1].split("+")[-1] in ("EC", "EF")


# the endings that make a verb ask (있나, 있냐, 있니, 있습니까, 맞죠, 되나요 …): a closed class of the grammar
_ASKING_ENDINGS = ("나", "나요", "냐", "니", "까", "까요", "습니까", "죠", "지", "는지", "가", "가요", "남")


def asks_yes_no(words: list[str] | tuple[str, ...], marked: bool, asks_what: bool) -> bool:
    """True for a question that asks whether (들어가 있나?, 포함돼?, 맞죠): it ends on a verb with an asking
    ending, or on a verb `marked` with '?', and no question word (`asks_what`: 어디, 몇, 누구 …) asks for
    something."""
    if asks_what or not words:
        return False
    parts = morphemes(words[-1].rstrip("?!.~ "))
    if not parts or not any(t.startswith(("V", "XSV", "XSA")) for _, t in parts) or \
            not parts[-1][1].split("+")[-1].startswith("E"):
        return False
    return marked or parts[-1][0] in _ASKING_ENDINGS


_HEAD = ("NNG", "NNP", "SL", "SH", "SN", "XSN", "XPN", "XR")   # XR: a root the analyser cut off (유치/한)
_GRAMMAR = ("XSV", "XSA", "VCP", "J", "E")


def noun_head(word: str) -> str:
    """The noun a word is made of when the rest is grammar: 조성하는거 → 조성, 펀드임 → 펀드, 협력산업이 →
    협력산업; the word itself otherwise (중대본: 본 is not grammar here)."""
    parts = morphemes(word)
    head = ""
    for surface, tag in parts:
        if (surface, tag) in (("들", "XSN"), ("용", "XSN")):   # the plural says how many, not what: 지역들 →
            continue                                               # 지역; 용 what for: 지원용 → 지원
        if tag.split("+")[0] in _HEAD:
            head += surface
            continue
        return head if len(head) >= 2 and tag.startswith(_GRAMMAR) else word
    return head if len(head) >= 2 else word


def is_plural(word: str) -> bool:
    """True when a word is a noun made plural by the suffix 들 (업종들로, 기관들은): several are asked for."""
    parts = morphemes(word)
    return any(tag == "XSN" and surface == "들" and i > 0 and parts[i - 1][1].startswith("N")
               for i, (surface, tag) in enumerate(parts))


def _before_thing(parts: tuple[tuple[str, str], ...]) -> bool:
    """Whether an adnominal ending is followed by 거/것/게 (한정한 거, 짓는거): a clause about a thing."""
    at = next((i for i, (_, tag) in enumerate(parts) if "ETM" in tag.split("+")), None)
    return at is not None and at + 1 < len(parts) and parts[at + 1][0] in ("거", "것", "게")


def modifies_as_action(word: str, after: str = "") -> bool:
    """True for an action verb in its adnominal form before 거/것 (짓는 거, 만드는거, 세운 것): the noun before
    it is its object ("건물 짓는 거 이름"), what the thing asked does, not what is asked ("번호 아는 사람")."""
    parts = morphemes(word + after)
    return bool(parts) and parts[0][1] == "VV" and _before_thing(parts)


def ends_connective(word: str) -> bool:
    """True when a word ends in a verb's connective form (돼, 되어, 들어가): an auxiliary verb may follow it."""
    parts = morphemes(word)
    return bool(parts) and parts[-1][1].split("+")[-1] == "EC" and parts[-1][1].split("+")[0] in (
        "VV", "VA", "XSV", "XSA", "EC", "VX")


def modifies(word: str, after: str) -> bool:
    """True when a word read with the one after it is a verb's adnominal form before 거/것 ("한정한 거예요"):
    a clause about a thing, not a name (the analyser reads 한정한 alone as a person's)."""
    return after.startswith(("거", "것", "게")) and _before_thing(morphemes(word + after))


def is_bound_noun(word: str, before: str = "") -> bool:
    """True for a word that is one bound noun (수, 적, 줄) read after the word before it: "알려줄 수 있어" says
    can, asks for nothing."""
    parts = morphemes(before + word)
    return bool(parts) and parts[-1] == (word, "NNB")
