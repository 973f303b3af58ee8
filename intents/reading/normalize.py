"""Korean text normalisation: width, case, spacing, punctuation, particles and 초성."""

import re
import unicodedata
from functools import lru_cache

# Hangul compatibility jamo consonants as people type them (ㄱ … ㅎ), in 초성 order.
CHOSEONG = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
_CHOSEONG_SET = frozenset(CHOSEONG)
_HANGUL_FIRST, _HANGUL_LAST = 0xAC00, 0xD7A3
_HANGUL_PLUS = re.compile(r"(?<=[가-힣])\+(?=[가-힣])")
_TOKEN = re.compile(r"[0-9A-Za-z가-힣ㄱ-ㅎ&+]+")
# Particles and endings that hide a name at the end of a word, longest first.
PARTICLES = (
    "님에게", "님께서", "에서는", "으로는", "이라는", "한테서", "에게서", "까지는", "부터는",
    "님께", "님은", "님이", "님의", "께서",
    "에서", "으로", "이랑", "한테", "에게", "까지", "부터", "처럼", "이나", "이란", "라는", "이야", "이죠", "하고",
    "은", "는", "이", "가", "의", "을", "를", "에", "로", "와", "과", "도", "만", "랑", "야", "께", "님",
)


# The functions below are pure and called for the same few words many times per question (the
# matcher, the reader and every intent look at the same tokens), so they are memoised.
_MEMO = 8192


# spellings of one word that people and documents mix: folded to one form before anything compares them
VARIANTS = re.compile(r"알앤디|rnd|r＆d|벨리")
_VARIANT_FORM = {"알앤디": "r&d", "rnd": "r&d", "r＆d": "r&d", "벨리": "밸리"}


@lru_cache(maxsize=_MEMO)
def fold(text: str) -> str:
    """NFKC-fold width and compatibility forms and casefold, keeping typed 초성 as typed; spelling variants
    (알앤디/RnD → r&d, 벨리 → 밸리) to one form."""
    if not _CHOSEONG_SET.intersection(text):
        folded = unicodedata.normalize("NFKC", text).casefold()
    else:
        folded = "".join(ch if ch in _CHOSEONG_SET else unicodedata.normalize("NFKC", ch) for ch in text).casefold()
    return VARIANTS.sub(lambda m: _VARIANT_FORM[m.group(0)], folded)


@lru_cache(maxsize=_MEMO)
def tokens(text: str) -> tuple[str, ...]:
    """Words of a folded text: runs of Hangul, latin letters, digits and `&`/`+`; a `+` between Hangul words
    is a word of its own ("자유공모+품목지정": two names and the sum asked)."""
    return tuple(_TOKEN.findall(_HANGUL_PLUS.sub(" + ", fold(text))))


@lru_cache(maxsize=_MEMO)
def compact(text: str) -> str:
    """The spacing- and punctuation-insensitive key of a text: folded tokens joined together."""
    return "".join(tokens(text))


@lru_cache(maxsize=_MEMO)
def strip_particle(word: str) -> str:
    """Drop one trailing particle from a word when at least two characters remain."""
    for particle in PARTICLES:
        if word.endswith(particle) and len(word) - len(particle) >= 2:
            return word[: -len(particle)]
    return word


def choseong(text: str) -> str:
    """The initial consonants of the Hangul syllables in a text (other characters dropped)."""
    out = []
    for ch in text:
        code = ord(ch)
        if _HANGUL_FIRST <= code <= _HANGUL_LAST:
            out.append(CHOSEONG[(code - _HANGUL_FIRST) // 588])
        elif ch in _CHOSEONG_SET:
            out.append(ch)
    return "".join(out)


def is_choseong_only(word: str) -> bool:
    """True when a word is made only of typed initial consonants (ㄱㄴㄷ …)."""
    return bool(word) and all(ch in _CHOSEONG_SET for ch in word)


def jamo(text: str) -> str:
    """A text's Hangul syllables split into their letters (경북 → ㄱㅕㅇㅂㅜㄱ), for typos inside a syllable."""
    return unicodedata.normalize("NFD", text)


def particle(word: str, after_consonant: str, after_vowel: str) -> str:
    """A word with the particle its last syllable takes (전화를, 직급을, 부서는, 과장으로); a word that does not
    end in a Hangul syllable gets both spellings (abc을(를))."""
    said = word.rstrip("'\")]」』")
    last = said[-1:] if said else ""
    if not "가" <= last <= "힣":
        return f"{word}{after_consonant}({after_vowel})"
    final = (ord(last) - ord("가")) % 28
    if after_consonant == "으로" and final == 8:   # ㄹ: 서울로, not 서울으로
        return word + after_vowel
    return word + (after_consonant if final else after_vowel)
