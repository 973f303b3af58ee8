"""Words that tell what a question asks for, as opposed to which entity it is about."""

import re

from intents.reading.morph import ends_connective, is_bound_noun
from intents.reading.normalize import compact, strip_particle, tokens

TITLES = ("사무관", "과장", "장관", "차관", "본부장", "국장", "단장", "부단장", "주무관", "정책관", "실장", "팀장")
CONTACT = ("전화", "연락처", "연락", "번호", "담당자", "담당", "누구", "주소", "위치", "문의", "책임자", "팩스",
           "이메일", "메일", "전번", "폰번", "이름", "성함", "소속", *TITLES)
BUDGET = ("예산", "국비", "지방비", "얼마", "금액", "사업비", "소계", "합계", "투입", "재정", "총액", "규모",
          "억", "정부", "지원액", "투입액")
MEETING = ("회의", "언제", "몇시", "일정", "시작", "시기", "날짜", "개최", "마감", "접수", "공고", "설명회",
           "종료", "끝나", "장소", "어디서", "안건", "순서", "시간")
STATUS = ("진행상황", "진행률", "진척", "현황", "상태", "어디까지", "이력", "진행", "공정률")
FIELDS = ("분야", "육성분야", "특화산업")
RESULTS = ("실적", "성과", "유치", "일자리", "매출", "고용", "목표")
LIST = ("관련", "뭐가", "뭐있", "목록", "리스트", "어떤것", "무엇무엇", "전부", "모두", "전체", "종류", "어떤게",
        "있어", "뭐뭐")
STALE = ("업데이트안된", "업데이트없는", "지연과제", "지연된과제", "정체과제", "방치된과제", "미갱신")
HELP = ("도움말", "사용법", "help", "뭘물어", "무엇을물어", "뭐물어", "기능")
# follow-up: a due date asked or set (기한, 마감), how it stands (임박, 지난), and a meeting's action items
DUE = ("기한", "마감", "데드라인", "납기")
DUE_SOON = ("임박", "다가오", "다가온", "코앞", "앞둔", "가까운", "곧")
DUE_PAST = ("지난", "지났", "넘긴", "넘은", "넘었", "초과", "경과", "밀린", "놓친", "어긴")
ACTIONS = ("후속조치", "할일", "해야할일", "액션아이템", "조치사항")
MINE = ("내", "나의", "제", "저의", "내가", "제가")   # words of their own: "내 할 일", "제가 할 일"
# words asking for a picture of what is asked ("예산 그래프", "그래프로 보여줘", "차트", "그림으로", "그려줘"): never a
# name; matched at a word's start or inside a compound (막대그래프), never across words ("2차 트랙")
PICTURE = ("그래프", "차트", "도표", "시각화", "그림으로", "chart", "graph")
PICTURE_VERBS = ("그려",)   # 그려줘, 그려 주세요: only at a word's start

# what is asked of several figures; the words are matched against the compacted question
MAX = re.compile(r"(제일|가장|젤|최고로?)(많|크|큰|컸|높)|최대|최고")
MIN = re.compile(r"(제일|가장|젤)(적|작|낮)|최소|최저")
SHARE = ("비중", "비율", "차지", "몇%", "몇프로", "프로", "퍼센트")
MEAN = ("평균",)
DIVIDE = ("나누", "나눠", "똑같이", "당얼마", "꼴")   # by a count the question gives: "14개 시도로 나누면"
DIFF = ("차이", "늘었", "늘어", "줄었", "줄어", "증가", "감소", "깎", "더많", "더적", "보다", "대비", "→",
        "빼면", "빼고", "제외")
# with the contracted forms of the same verbs (합치+ㄴ → 합친, 합치+어 → 합쳐, 더하+ㄴ → 더한)
SUM = ("합치", "합친", "합쳐", "합하", "더하", "더한", "합산", "더해", "다더", "+", "총", "모두", "전부", "합계")


# what figures are compared over: "연도별", "제일 많았던 해", "가장 큰 사업"
SUPERLATIVE = ("제일", "가장", "젤", "최고", "최대", "최소", "최저")
DIMENSION = ("연도", "년도", "해", "연도별", "년도별", "단계별", "사업별", "지역별", "시도별")


_COMPARED = re.compile(r"(?:제일|가장|젤|최고로?|최대|최소|최저)[가-힣]{0,6}?(?:은|던|한|운)?(사업|과제|해|연도|년도)")


_AMONG = re.compile(r"(?:사업|과제)들?(?:\d+개)?(?:중|가운데)|\d+개(?:사업|과제)?(?:중|가운데)")   # 사업 중, 4개 중


def among_programs(compact_text: str) -> bool:
    """Whether a question says it asks among programs ("4개 사업 중에", "사업들 가운데")."""
    return bool(_AMONG.search(compact_text))


def compared(compact_text: str) -> str | None:
    """What a superlative compares: 'programs' (가장 많은 사업) or 'years' (제일 컸던 해), when it says."""
    match = _COMPARED.search(compact_text)
    if match is None:   # "4개 사업 중에 국비 제일 많은 게": the programs are what the superlative is among
        return "programs" if _AMONG.search(compact_text) and (MAX.search(compact_text) or MIN.search(compact_text)) \
            else None
    return "programs" if match.group(1) in ("사업", "과제") else "years"


def explains(word: str) -> bool:
    """True for a word that asks for a computation (합치면, 증가, 비율, 연평균, 제일, 연도별): not a name."""
    if word in SUPERLATIVE or word in DIMENSION or word[:-1] in DIMENSION:
        return True
    if len(word) >= 3 and word.endswith("당"):   # 시도당, 과제당: per unit, what a division is by
        return True
    return any(w in word for w in (*SHARE, *MEAN, *DIVIDE, *DIFF, *SUM)) or bool(MAX.search(word) or MIN.search(word))


# order words: which of several dated things (the next meeting, the last one)
NEXT = ("다음", "예정", "앞으로", "향후", "다가오는")
LAST = ("지난", "최근", "마지막", "저번", "직전")

# kind words: a region or organisation plus one of these asks for a list of that kind
KIND_WORDS: dict[str, tuple[str, str]] = {
    "협업과제": ("tasks", "협업과제"),
    "대표프로젝트": ("tasks", "대표프로젝트"),
    "프로젝트": ("tasks", "대표프로젝트"),
    "우수과제": ("tasks", "우수과제"),
    "우수사례": ("tasks", "우수과제"),
    "클러스터": ("programs", "클러스터"),
    "협력권": ("programs", "협력권"),
    "특구": ("programs", "특구지구"),
    "평가단": ("organisations", "평가단"),
    "내역사업": ("programs", "내역사업"),
    "연계사업": ("programs", "연계사업"),
    "연계할": ("programs", "연계사업"),
}

_FILLER = {
    "알려줘", "알려주세요", "알려", "뭐야", "뭐지", "뭔가요", "뭐가", "있어", "있나", "있나요", "있어요", "어디야",
    "어디", "어디에", "누구야", "누구지", "얼마야", "얼마지", "얼마인가요", "몇", "시", "좀", "사업", "과제",
    "지원", "정보", "내용", "주제", "어떤", "유형", "무엇", "무슨", "대한", "대해", "해당", "주관", "기관", "주관기관",
    "전화번호", "맡은", "맡고", "하는", "하나", "되나", "되나요", "해", "했어", "돼", "인가", "인가요", "은", "는",
    "이", "가", "요", "줘", "주세요", "찾아줘", "보여줘", "궁금해", "궁금", "말해줘", "얼마나", "나와", "및",
    "그리고", "또는", "에서", "혹은", "어떻게", "어때", "무엇인가", "뭐", "거", "것", "건", "게", "수", "등",
    "동안", "전국", "했나", "했나요", "맞아", "곳", "데", "중", "좀더", "자세히", "설명", "설명해줘", "소개", "요약",
    "뭘",
    "the", "what", "is", "of",
    "연도", "년도", "기준", "각각", "별", "말고", "쪽", "부분", "같은", "같아",
    "위한", "위해", "통한", "통해", "관해", "관한", "기타", "담당해", "담당하는", "맡는", "맡아", "주관하는",
    "대표", "주요", "혁신도시", "공공기관", "지역", "기업", "산업", "중소기업", "정책", "계획", "추진", "방안",
    "지원사업", "사례", "예시", "r&d", "비r&d", "알앤디", "비알앤디", "몇개", "개", "올해", "작년",
    "시작해", "시작하나", "시작하나요", "열려", "열리나", "열리나요", "하나요", "나요", "니", "냐", "까",
    "정도", "가량", "대략", "약", "쯤",   # how exact a figure is asked: never a name
}
_NUMBERISH = re.compile(r"^[0-9']+(년도?|단계|차|월|일|시|분|억원?|%|명|건|개)?$|^[0-9]+$")


_KEYWORDS = frozenset((*NEXT, *LAST, *CONTACT, *BUDGET, *MEETING, *STATUS, *FIELDS, *RESULTS, *LIST, *HELP,
                       *KIND_WORDS, *PICTURE, *PICTURE_VERBS))


def has_any(compact_text: str, words: tuple[str, ...]) -> bool:
    """True when any of the words occurs in the compacted text."""
    return any(w in compact_text for w in words)


# "모두 알려줘", "뭐 있어?" ask for a list; 모두발언 is a name, 돼있어 says how something is
_WHOLE_LIST = ("모두", "전부", "전체", "있어", "있어요")


def asks_list(text: str, whole: tuple[str, ...] = _WHOLE_LIST) -> bool:
    """True when a question asks for a list (목록, 어떤 것, 뭐뭐 …); the `whole` words (모두/전부/전체, 있어) only
    as words of their own."""
    said = compact(text)
    if any(w in said for w in LIST if w not in _WHOLE_LIST):
        return True
    words = tokens(text)
    # (있어 after a verb's connective form is the auxiliary of a state: "분류돼 있어", "들어가 있어")
    # (…nor after a bound noun: "알려줄 수 있어" says can)
    return any((strip_particle(t) in whole or t in whole)
               and not (t.startswith("있") and i > 0 and (ends_connective(words[i - 1]) or is_bound_noun(
                   words[i - 1], words[i - 2] if i > 1 else "")))
               for i, t in enumerate(words))


_EVERYTHING = re.compile(r"(?:^|\s)(?:다|전부|모두)\s*(?:알려|보여|말해|뽑아|정리)")   # "다 알려줘": all of them


def asks_several(text: str) -> bool:
    """True when a question asks for all of several things: a list word (목록, 뭐뭐), a question word said twice
    (어디어디, 누구누구), or a request for all of them (다 알려줘)."""
    doubled = any(compact(text).count(q * 2) for q in ("어디", "누구", "뭐", "무엇"))
    listed = asks_list(text, whole=_WHOLE_LIST[:3])   # (not 있어: "세종도 있어?" asks whether)
    return listed or doubled or bool(_EVERYTHING.search(text))


def asks_picture(words: list[str] | tuple[str, ...]) -> bool:
    """True when a word of the message asks for a picture: 그래프, 차트, 도표, 시각화, 그림으로, 그려줘."""
    lowered = [w.lower() for w in words]
    return any(p in w for w in lowered for p in PICTURE) or any(w.startswith(PICTURE_VERBS) for w in lowered)


def is_generic(word: str) -> bool:
    """True for question words, particles-only words, numbers and dates: never a topic."""
    return word in _FILLER or bool(_NUMBERISH.match(word))


_QUESTION_STEMS = ("어디", "뭐", "누구", "언제", "얼마", "몇", "어떻게", "어떤", "어느", "무슨", "무엇", "왜", "이유",
                   "며칠")
_VERB_ENDINGS = ("됐어", "됐나", "됐니", "되나", "됩니까", "했어", "했나", "해줘", "해요", "하나요", "인가요", "일까",
                 "바뀌어", "바뀌나", "바뀌었", "나요", "까요", "니다", "세요", "려면", "는데", "하는", "되는", "있는",
                 "했는", "인지", "는지", "은지", "어요", "아요", "았어", "었어", "였어", "겠어", "할까", "을까",
                 "주세요", "드려요", "습니까", "ㅂ니까", "던가", "던데", "나봐", "래요", "대요")
_POLITE = {"혹시", "좀", "부탁", "부탁해", "제발", "그럼", "그러면", "그런데", "저기", "안녕", "안녕하세요", "감사",
           "고마워", "빨리", "바로", "지금", "현재", "요즘", "이번", "최신", "정확한", "정확히", "다시", "한번", "먼저",
           # 알다 said politely (아시는 분?, 아시나요): the analyser reads 아시 as a noun
           "아시는", "아시나요", "아세요", "아시면", "아실까요"}


def is_question_word(word: str) -> bool:
    """True for a question word (어디, 누구, 언제, 얼마, 몇, 왜 …) with whatever ending it carries."""
    return word.startswith(_QUESTION_STEMS)


def is_filler(word: str) -> bool:
    """True for a word that never names an entity: question words, keywords, numbers, dates, verb forms."""
    if word in _FILLER or word in _POLITE or _NUMBERISH.match(word):
        return True
    if word.startswith(_QUESTION_STEMS) and len(word) <= 5:
        return True
    if word.endswith(_VERB_ENDINGS) and len(word) <= 6:
        return True
    # a keyword, or a keyword with up to two more syllables (회의는, 국비가요)
    return any(word[: len(word) - cut] in _KEYWORDS for cut in range(3) if len(word) - cut > 0)
