"""Questions no structured row answers, answered from a passage of a document coordinators sent: quoted, with
the document cited. Only a passage that says every content word of the question (a long question may miss one)
and shows what is asked (a phone, an amount, a date …) answers; a wrong quote is worse than none."""

import re

from intents.answers.render import source_files, source_line
from intents.message import Reply
from intents.reading.aspect import asked
from intents.reading.morph import noun_head
from intents.reading.normalize import strip_particle, tokens
from intents.reading.understand import Query
from intents.reading.vocab import BUDGET, is_filler, is_generic, is_question_word
from store.store import Row, Store

QUOTE_CHARS = 360
MISSES_ALLOWED_FROM = 4   # words a question must have before one of them may be missing from the passage
# what a passage shows when it answers an aspect a question asks without naming it in its own words
EVIDENCE: dict[str, re.Pattern[str]] = {
    "phone": re.compile(r"0[0-9]{1,2}\)?[\s.-]?[0-9]{3,4}[\s.-][0-9]{4}"),
    "fax": re.compile(r"0[0-9]{1,2}\)?[\s.-]?[0-9]{3,4}[\s.-][0-9]{4}"),
    "email": re.compile(r"[\w.+-]+@[\w-]+\.[\w.]+"),
    "address": re.compile(r"[가-힣]+(?:시|도|군|구)\s+[가-힣0-9]+(?:로|길|동|읍|면)\s*[0-9]"),
    "time": re.compile(r"[0-9]{1,2}\s*[./월]\s*[0-9]{1,2}|[0-9]{1,2}:[0-9]{2}|20[0-9]{2}\s*년"),
    "place": re.compile(r"회의실|[0-9]+호|[0-9]+층|청사|센터|빌딩|영상"),
    "count": re.compile(r"[0-9][0-9,]*\s*(?:개|곳|건|명|군데|가지)"),
    "amount": re.compile(r"[0-9][0-9,.]*\s*(?:조|억|천만|백만|만)?\s*원"),
}
_AMOUNT_WORDS = frozenset({"예산", "얼마", "금액", "사업비", "총액", "규모", "지원액", "투입액", "국비", "지방비"})
_ASKING = frozenset(BUDGET) | {"연락처", "전화번호", "전화", "번호", "주소", "이메일", "메일", "언제", "일시", "날짜",
                                "장소", "어디서", "몇개", "몇명", "몇곳", "팩스"}
# sentence ends the analyser reads as nouns ("뭐하는 거야": 거야/NNG)
_ENDS = frozenset({"거야", "거예요", "거에요", "건가", "건가요", "건지", "거지", "거임", "건데", "거냐", "겁니까"})


def question_words(q: Query) -> tuple[list[str], list[str]]:
    """The question's content words (which the passage must say) and the aspects it asks (which the passage
    must show)."""
    said = [strip_particle(t) for t in tokens(q.text)]
    aspects = [a for a in asked(tuple(said)) if a in EVIDENCE]
    if q.intent == "budget" or any(w in _AMOUNT_WORDS or w.startswith("얼마") for w in said):
        aspects.append("amount")
    words: list[str] = []
    for word in said:
        head = noun_head(word)
        if len(head) < 2 or head in _ASKING or head in _ENDS or is_question_word(head) or is_generic(head):
            continue
        if is_filler(head) and not _names_a_thing(head):
            continue
        if head not in words:
            words.append(head)
    words = [w for w in words if not any(w != o and w in o for o in words)]   # 평가단 inside 지역사업평가단
    return words, list(dict.fromkeys(aspects))


def _names_a_thing(word: str) -> bool:
    """A keyword that is also a thing a document speaks of (평가단, 클러스터, 회의): a content word here."""
    return len(word) >= 3 and not word.endswith(("해", "야", "요", "까", "니", "나"))


def best_passage(store: Store, q: Query) -> tuple[Row, list[str]] | None:
    """The passage that answers the question, with the words it was found by; None unless one really does."""
    words, aspects = question_words(q)
    if not words or not store.has_documents():
        return None
    needed = len(words) - (1 if len(words) >= MISSES_ALLOWED_FROM else 0)
    best: tuple[tuple[int, int, str, int], Row, list[str]] | None = None
    for row in store.passages_with(words, every=needed == len(words)):
        bare = str(row["bare"])
        hits = [w for w in words if w in bare]
        if len(hits) < needed or not all(EVIDENCE[a].search(str(row["text"])) for a in aspects):
            continue
        if len(hits) + len(aspects) < 2 or not (len(hits) >= 2 or any(len(w) >= 3 for w in hits)):
            continue   # one common word is not a match
        rank = (len(hits), sum(len(w) for w in hits), str(row["date"] or ""), -int(row["id"]))
        if best is None or rank > best[0]:
            best = (rank, row, hits)
    return (best[1], best[2]) if best else None


def answer_from_passages(store: Store, q: Query) -> Reply | None:
    """The best passage quoted, with its document cited; None when no passage answers."""
    found = best_passage(store, q)
    if found is None:
        return None
    row, hits = found
    source = str(row["source"])
    doc = store.source(source) or {}
    quote = _quoted(str(row["text"]), hits)
    said = ", ".join(f"'{w}'" for w in hits)
    text = (f"[문서] {doc.get('title') or source}\n"
            f"구조화된 자료에는 없어, 등록된 문서에서 {said}이(가) 나오는 구절을 옮깁니다:\n"
            f"“{quote}”\n\n{source_line(store, [source])}")
    return Reply(text=text, intent="document", sources=source_files(store, [source]))


def _quoted(text: str, hits: list[str]) -> str:
    """The passage, or the part of it around the first word found when it is long."""
    flat = re.sub(r"\s+", " ", text).strip()
    if len(flat) <= QUOTE_CHARS:
        return flat
    spaced = re.compile(r"\s*".join(re.escape(ch) for ch in hits[0])) if hits else None
    match = spaced.search(flat) if spaced else None
    start = max(0, (match.start() if match else 0) - QUOTE_CHARS // 3)
    end = min(len(flat), start + QUOTE_CHARS)
    return ("…" if start else "") + flat[start:end].strip() + ("…" if end < len(flat) else "")
