"""Find the store's entities in Korean text: exact names and aliases, 초성, then fuzzy (rapidfuzz)."""

import heapq
import re
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate
from operator import itemgetter

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

from intents.message import Entity
from intents.reading.morph import is_clipped, is_common_noun, is_known_place, nouns_of
from intents.reading.normalize import choseong, compact, is_choseong_only, jamo, strip_particle, tokens
from store.store import Name

FUZZY_CUTOFF = 75.0
MAX_SCAN_CHARS = 300          # only the first 300 significant characters are scanned for names
MAX_FUZZY_WORDS = 12
SPAN_BONUS = 3.0
PARTIAL_FLOOR = 90.0          # partial alignments below this are different words, not typos
ALIAS_YIELD = 1.0             # an alias yields this much to another entity's identical official name
ABBREVIATION = re.compile(r"^[가-힣]{3,4}$")
ABBREVIATION_SCORE = 85.0     # below an exact or a close spelling: a guess the engine may still ask about
TYPO_CUTOFF = 80.0            # a region and the word after it, one syllable off a whole name
PLACE_TYPO_SCORE = 85.0       # a place name one letter off: a guess, as sure as an abbreviation
REGIONAL_NAME_CUTOFF = 90.0   # "강원 디지털헬스케어": a region and the name after it, read as one name this close
MAX_ABBREVIATED = 2           # an abbreviation that fits more entities than this is not read as one
_PREFILTER_LIMIT = 120
_COMMON_BIGRAM = 1500
_LATIN_WORD = re.compile(r"[a-z]+")   # a name or alias written in Latin letters only (LH, TF, KEPCO)
_DERIVED = [re.compile(p) for p in (r"^\d{4}년도?", r"^제\d+차", r"^\(가칭\)", r"\(가칭\)")]


@dataclass
class Mention:
    """A span of the message (word indexes `first`..`last`) and the entities it may name."""

    first: int
    last: int
    text: str
    candidates: list[Entity]
    exact: bool

    @property
    def best(self) -> Entity:
        """The highest-scoring candidate."""
        return self.candidates[0]


def derived_names(text: str) -> set[str]:
    """Extra keys for a name: without a leading year/ordinal or a `(가칭)` mark."""
    out = set()
    stripped = text.strip()
    for _ in range(3):
        before = stripped
        for pattern in _DERIVED:
            stripped = pattern.sub("", stripped).strip()
        if stripped == before:
            break
    if stripped and stripped != text.strip():
        out.add(stripped)
    return out


class NameIndex:
    """An index over every name and alias in the store, built once per store load."""

    def __init__(self, names: Iterable[Name]) -> None:
        self.by_key: dict[str, list[Name]] = defaultdict(list)
        for name in names:
            for text in {name.text, *derived_names(name.text)}:
                key = compact(text)
                entries = self.by_key[key]
                if len(key) >= 2 and not any(n.kind == name.kind and n.id == name.id for n in entries):
                    entries.append(name)
        self.keys: list[str] = list(self.by_key)
        self.max_len = max((len(k) for k in self.keys), default=2)
        self._by_first: dict[str, list[int]] | None = None   # the keys beginning with each syllable
        self._initials: dict[int, tuple[str, ...]] = {}   # a key's nouns' first syllables, read when first needed
        self._bigrams: dict[str, list[int]] = defaultdict(list)
        for i, key in enumerate(self.keys):
            for gram in {key[j:j + 2] for j in range(len(key) - 1)}:
                self._bigrams[gram].append(i)
        # every key's 초성 in one string, so that a typed 초성 query is found with str.find (C speed)
        chos = [choseong(k) for k in self.keys]
        self._cho_starts = list(accumulate((len(c) + 1 for c in chos), initial=0))[:-1]
        self._cho_lengths = [len(c) for c in chos]
        self._cho_blob = "\x00".join(chos)
        # short place names (경북, 세종시) by their letters: a ratio over two syllables cannot tell a typo
        self._places = [(jamo(k), k) for k in self.keys if len(k) <= 3 and
                        any(n.kind in ("region", "city") for n in self.by_key[k])]

    def __len__(self) -> int:
        return len(self.keys)

    # --- public ------------------------------------------------------------------------------
    def find(self, text: str, ignore: Callable[[str], bool] = lambda w: False) -> list[Mention]:
        """Mentions of entities in `text`: exact spans first, then fuzzy guesses for leftover words.

        `ignore` tells which leftover words are not names (question words, intent keywords).
        """
        words = tokens(text)
        joined, starts = self._join(words)
        mentions = self._exact(words, joined, starts)
        covered = {i for m in mentions for i in range(m.first, m.last + 1)}
        leftovers = [i for i, w in enumerate(words) if i not in covered and not ignore(strip_particle(w))
                     and not ignore(w)]
        # a region read exactly may begin a name typed with a typo ("강원 평가딘"): tried when the words after
        # it name nothing on their own
        regions = {m.first for m in mentions if m.first == m.last and all(c.kind == "region" for c in m.candidates)}
        mentions.extend(self._fuzzy_runs(words, leftovers[:MAX_FUZZY_WORDS], regions))
        for i in sorted(regions):   # "전남지역사업평가딴": a region begins a longer word typed with a typo
            if len(strip_particle(words[i])) > len(compact(self._region_key(mentions, i))) + 2:
                typo = self._fuzzy_run([i], words)
                if typo is not None:
                    mentions.append(typo)
        mentions = [self._regional(m, words) if m.first - 1 in regions else m for m in mentions]
        mentions.extend(self._shared_heads(mentions, words, regions))
        mentions.sort(key=lambda m: m.first)
        return mentions

    def _shared_heads(self, mentions: list[Mention], words: Sequence[str], regions: set[int]) -> list[Mention]:
        """"경북 강원 클러스터": a region said just before another region's name shares that name's head, when
        the region and the head together are a name (경북 클러스터)."""
        shared = []
        for m in mentions:
            if m.first - 1 not in regions or m.last == m.first or not any(
                    n.kind == "region" for n in self.by_key.get(compact(words[m.first]), [])):
                continue
            key = compact(strip_particle(words[m.first - 1]) + "".join(words[m.first + 1:m.last + 1]))
            if key in self.by_key:
                shared.append(Mention(m.first - 1, m.first - 1, key, self._candidates(self.by_key[key], 100.0, key),
                                      exact=True))
        return shared

    def _regional(self, mention: Mention, words: Sequence[str]) -> Mention:
        """A name said after a region may be that region's own ("강원 디지털헬스케어" → 강원 국가혁신클러스터,
        whose alias says both, beside 디지털건강 관리(헬스케어) of other regions): the names that the region and
        the words together spell are added as candidates; which one is meant is the engine's to rank."""
        if all(c.kind in ("region", "city") for c in mention.candidates):
            return mention
        query = _span_text(words, [mention.first - 1, *range(mention.first, mention.last + 1)])
        known = {(c.kind, c.id) for c in mention.candidates}
        extra = [c for c in self._fuzzy(query) if c.kind not in ("region", "city") and
                 c.score >= REGIONAL_NAME_CUTOFF and (c.kind, c.id) not in known]
        return replace(mention, candidates=[*mention.candidates, *extra[:MAX_ABBREVIATED]]) if extra else mention

    def lookup(self, text: str, limit: int = 5) -> list[Entity]:
        """Candidates for one name-like text, best first (exact, 초성 or fuzzy)."""
        key = compact(text)
        if key in self.by_key:
            return self._candidates(self.by_key[key], 100.0, key)
        return self._fuzzy(key, limit)

    # --- exact -------------------------------------------------------------------------------
    @staticmethod
    def _join(words: Sequence[str]) -> tuple[str, list[int]]:
        starts, parts, pos = [], [], 0
        for word in words:
            if pos >= MAX_SCAN_CHARS:
                break
            starts.append(pos)
            parts.append(word)
            pos += len(word)
        return "".join(parts), starts

    def _exact(self, words: Sequence[str], joined: str, starts: list[int]) -> list[Mention]:
        word_at = {}
        for index, start in enumerate(starts):
            for pos in range(start, start + len(words[index])):
                word_at[pos] = index
        start_set = set(starts)
        hits: list[tuple[int, int]] = []
        n = len(joined)
        for i in range(n):
            for length in range(min(self.max_len, n - i), 1, -1):
                if joined[i:i + length] in self.by_key and (length > 2 or i in start_set) \
                        and _latin_bounded(joined, i, length, start_set):
                    hits.append((i, length))
                    break
        hits.sort(key=lambda h: (-h[1], h[0]))
        taken: set[int] = set()
        mentions = []
        for i, length in hits:
            span = set(range(i, i + length))
            if span & taken:
                continue
            taken |= span
            key = joined[i:i + length]
            mentions.append(Mention(word_at[i], word_at[i + length - 1], key,
                                    self._candidates(self.by_key[key], 100.0, key), exact=True))
        return mentions

    # --- fuzzy -------------------------------------------------------------------------------
    def _fuzzy_runs(self, words: Sequence[str], leftovers: list[int], regions: set[int]) -> list[Mention]:
        runs: list[list[int]] = []
        for i in leftovers:
            if runs and runs[-1][-1] == i - 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        found = []
        sides: list[list[int]] = []
        near: set[str] = set()
        while runs:
            run = runs.pop(0)
            best: Mention | None = None
            best_weight = 0.0
            for size in range(min(3, len(run)), 0, -1):
                if best is not None and best_weight >= 100.0 + SPAN_BONUS * (size - 1):
                    break   # no guess of this size or smaller can weigh more (a weight is at most 100 + bonus)
                for k in range(len(run) - size + 1):
                    part = run[k:k + size]
                    query = _span_text(words, part)
                    if len(query) < 2 or query.isdigit():
                        continue
                    candidates = self._fuzzy(query)
                    # a guess that explains more words wins a close call against a shorter one
                    weight = candidates[0].score + SPAN_BONUS * (len(part) - 1) if candidates else 0.0
                    if candidates and weight > best_weight:
                        best, best_weight = Mention(part[0], part[-1], query, candidates, exact=False), weight
            if best is None and run[0] - 1 in regions:
                best = self._fuzzy_run([run[0] - 1, run[0]], words)
            if best is not None and not (run in sides and any(c.id in near for c in best.candidates)):
                found.append(best)
                # the words on either side of the guess may name something else ("지경위 보도자료"), unless they
                # guess the same things: then they are words of the same name, said in parts
                near = {c.id for c in best.candidates}
                for side in ([i for i in run if i < best.first], [i for i in run if i > best.last]):
                    if side:
                        runs.append(side)
                        sides.append(side)
        return found

    @staticmethod
    def _region_key(mentions: list[Mention], i: int) -> str:
        return next(m.text for m in mentions if m.first == i and m.exact)

    def _fuzzy_run(self, part: list[int], words: Sequence[str]) -> Mention | None:
        """One guess for exactly these words, or None."""
        query = _span_text(words, part)
        keys = [self.keys[i] for i in self._prefilter(query)]   # a typo of a whole name (강원평가딘), not a part
        typos = process.extract(query, keys, scorer=fuzz.ratio, score_cutoff=TYPO_CUTOFF, limit=None)
        candidates = _dedupe([c for key, score, _ in sorted(typos, key=lambda t: -t[1])
                              for c in self._candidates(self.by_key[key], float(score), key)
                              if c.kind not in ("region", "city")])   # not the place again
        return Mention(part[0], part[-1], query, candidates, exact=False) if candidates else None

    def _fuzzy(self, query: str, limit: int = 10) -> list[Entity]:
        if is_choseong_only(query):
            return self._by_choseong(query)[:limit]
        keys = [self.keys[i] for i in self._prefilter(query)]
        scored = _scores(query, keys)
        if not scored and ABBREVIATION.match(query) and is_clipped(query):   # "지경위", "국혁클", "중대본"
            scored = dict.fromkeys(self._abbreviated(query), ABBREVIATION_SCORE)
        if not scored and 2 <= len(query) <= 3 and not is_known_place(query) and not is_common_noun(query):
            # "경븍": one letter off a place name, and only one; a place the dictionary knows (강남) is that
            # place, and a common noun it knows (전국) that noun, not a typo
            letters = jamo(query)
            near = [k for j, k in self._places if len(k) == len(query) and Levenshtein.distance(letters, j) == 1]
            scored = dict.fromkeys(near, PLACE_TYPO_SCORE) if len(near) == 1 else {}
        out: list[Entity] = []
        seen: set[tuple[str, str]] = set()
        for key, score in sorted(scored.items(), key=lambda kv: -kv[1]):
            if _LATIN_WORD.fullmatch(key) and not _latin_typo(query, key):
                continue
            for c in self._candidates(self.by_key[key], score, key):
                if (c.kind, c.id) not in seen:
                    seen.add((c.kind, c.id))
                    out.append(c)
            if _cut(out, limit) < len(out):   # the rest cannot change what is kept
                break
        return out[:_cut(out, limit)]

    def _abbreviated(self, query: str) -> list[str]:
        """Keys a Korean abbreviation stands for: the first syllables of some of a name's nouns, in order, from
        its first (지경위 → 지역·경제·위원회, 중대본 → 중앙·재난·안전·대책·본부); only when few names fit."""
        if self._by_first is None:   # which keys begin with each syllable, read once, on the first abbreviation
            self._by_first = defaultdict(list)
            for i, key in enumerate(self.keys):
                self._by_first[key[:1]].append(i)
        # only the names that begin with its first syllable and hold the others are read by the analyser (on a
        # 10,000-name store, reading every name took 2 s)
        rest = query[1:]
        holding = [i for i in self._by_first.get(query[:1], []) if all(ch in self.keys[i] for ch in rest)]
        found = []
        for i in holding:
            if i not in self._initials:
                self._initials[i] = tuple(noun[0] for noun in nouns_of(self.keys[i]))
            initials = self._initials[i]
            if len(initials) >= max(3, len(query)) and initials[0] == query[0] and \
                    _subsequence(query[1:], initials[1:]):
                found.append(self.keys[i])
        entities = {(n.kind, n.id) for key in found for n in self.by_key[key]}
        return found if 0 < len(entities) <= MAX_ABBREVIATED else []

    def _prefilter(self, query: str) -> list[int]:
        grams = {query[j:j + 2] for j in range(len(query) - 1)}
        postings = sorted((self._bigrams.get(g, []) for g in grams), key=len)
        usable = [p for p in postings if len(p) <= _COMMON_BIGRAM] or postings[:1]
        counts: Counter[int] = Counter()
        for posting in usable:
            counts.update(posting)
        # what most_common does (nlargest is documented as this sort), with the sort in C
        return [i for i, _ in sorted(counts.items(), key=itemgetter(1), reverse=True)[:_PREFILTER_LIMIT]]

    def _by_choseong(self, query: str) -> list[Entity]:
        scored: dict[int, float] = {}
        position = self._cho_blob.find(query)
        while position != -1:
            i = bisect_right(self._cho_starts, position) - 1
            offset, length = position - self._cho_starts[i], self._cho_lengths[i]
            if i not in scored and offset + len(query) <= length:
                scored[i] = _choseong_score(len(query), offset, length)
            position = self._cho_blob.find(query, position + 1)
        best = heapq.nlargest(_PREFILTER_LIMIT, ((score, i) for i, score in scored.items() if score))
        keys = self.keys
        out = [c for score, i in best for c in self._candidates(self.by_key[keys[i]], score, keys[i])]
        return _dedupe(out)[:10]

    @staticmethod
    def _candidates(names: list[Name], score: float, key: str) -> list[Entity]:
        """The entities a key names; where it is one entity's official name and another's alias (그린에너지
        캠퍼스: a 대표프로젝트, and an alias of its 협업과제), the official name comes first, close enough that
        /log and a question both ask which one is meant, with the same options in the same order."""
        official = [compact(n.name) == key or key in {compact(d) for d in derived_names(n.name)} for n in names]
        yielded = ALIAS_YIELD if any(official) and not all(official) else 0.0
        return sorted((Entity(n.kind, n.id, n.name, score if is_official else score - yielded)
                       for n, is_official in zip(names, official, strict=True)), key=lambda c: -c.score)


def _is_latin(ch: str) -> bool:
    return "a" <= ch <= "z"


def _latin_bounded(joined: str, i: int, length: int, starts: set[int]) -> bool:
    """Whether a key found at `i` that begins or ends with a Latin letter begins or ends a Latin word there too:
    LH in "LH공사" or "LH 담당자", not in "xxLHyy"."""
    end = i + length
    if _is_latin(joined[i]) and i > 0 and i not in starts and _is_latin(joined[i - 1]):
        return False
    return not (_is_latin(joined[end - 1]) and end < len(joined) and end not in starts and _is_latin(joined[end]))


def _latin_typo(query: str, key: str) -> bool:
    """Whether a text may be a typo of a Latin-letter name (kepko → kepco): a Latin word of the same length, four
    letters or more; a shorter name inside a longer word, or one letter more or less, is another word (WTF, xxLHyy)."""
    return len(key) >= 4 and len(query) == len(key) and bool(_LATIN_WORD.fullmatch(query))


def _span_text(words: Sequence[str], part: list[int]) -> str:
    """The words of a span joined, the particle of its last word dropped: what a fuzzy guess compares."""
    return "".join(words[i] for i in part[:-1]) + strip_particle(words[part[-1]])


def _subsequence(letters: str, initials: tuple[str, ...]) -> bool:
    position = 0
    for letter in letters:
        while position < len(initials) and initials[position] != letter:
            position += 1
        if position == len(initials):
            return False
        position += 1
    return True


def _choseong_score(size: int, offset: int, length: int) -> float:
    """Score of typed 초성 found at `offset` in a name's 초성 of `length`: whole, prefix, or inside."""
    if offset == 0 and size == length:
        return 98.0
    if offset == 0 and size >= 2:
        return 90.0 + 8.0 * size / length
    if size >= 3:
        return 85.0 + 8.0 * size / length
    return 0.0


def _scores(query: str, keys: list[str]) -> dict[str, float]:
    """Similarity of a typed word to many name keys: a typo-tolerant ratio, or containment of a part (with at
    most a small typo); the costly comparisons done by rapidfuzz in C."""
    scored = {key: float(r) for key, r, _ in process.extract(query, keys, scorer=fuzz.ratio,
                                                             score_cutoff=FUZZY_CUTOFF, limit=None)}
    contained = [k for k in keys if len(query) >= 3 and query in k]
    for key in contained:
        scored[key] = max(scored.get(key, 0.0), 80.0 + 20.0 * len(query) / len(key))
    if len(query) >= 4:
        rest = [k for k in keys if len(query) * 2 >= len(k) and not (len(query) >= 3 and query in k)]
        for key, partial, _ in process.extract(query, rest, scorer=fuzz.partial_ratio,
                                               score_cutoff=PARTIAL_FLOOR, limit=None):
            score = 0.9 * partial * min(1.0, 0.6 + len(query) / len(key))
            if score >= FUZZY_CUTOFF:
                scored[key] = max(scored.get(key, 0.0), score)
    return scored


def _cut(out: list[Entity], limit: int) -> int:
    """How many candidates to keep: `limit`, and those after it that tie with the one before (a region or the
    data decides among them)."""
    while len(out) > limit and out[limit].score >= out[limit - 1].score:
        limit += 1
    return limit


def _dedupe(candidates: list[Entity]) -> list[Entity]:
    seen: set[tuple[str, str]] = set()
    out = []
    for c in candidates:
        if (c.kind, c.id) not in seen:
            seen.add((c.kind, c.id))
            out.append(c)
    return out

