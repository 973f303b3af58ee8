"""Name matching (`Engine.match`, what `tfbot match` runs) on a store of 10,000 names: top-1, off-topic, latency.

The store is the built-in dataset plus synthetic organisations, programs and tasks (seeded, so every
run builds the same names): region + topic + facility + suffix names, and near-distractors made from
the real names (another region, another suffix, one word swapped). Queries name one real entity each
and are tagged with their kind: typo (one-syllable slip), spacing, 초성, partial name (+ particle),
abbreviation/alias, spelling variant (알앤디/R&D, 벨리/밸리), name inside a sentence, full-width/case.
Off-topic sentences must match nothing.

A hit is the right entity as the first candidate, scoring strictly more than the best candidate for a
different entity (a tie is a miss). An off-topic accept is any candidate returned for an off-topic
sentence. Latency is `time.perf_counter` around `Engine.match`, after one warm-up pass.

A synthetic name that would make a query unfair is not inserted: one that equals the name the query
means, contains a partial query's fragment, is as close as the right name to a whole-name query
(Levenshtein, spacing/case folded), or has the same 초성. The same rules are checked against the
built-in names and reported as warnings, so that every query has one right answer.

Run: .venv/bin/python bench/match_bench.py [--verbose] [--json]  (about 15 s on 2 cores)
"""

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from intents.engine import Engine  # noqa: E402
from intents.reading.matcher import Entity, derived_names  # noqa: E402
from intents.reading.normalize import choseong, compact  # noqa: E402
from store import Store  # noqa: E402
from store.tx import immediate  # noqa: E402

SEED = 20261123
TARGET_NAMES = 10_050      # distinct keys in the name index, built-in ones included
ROUNDS = 20                # timed passes over every query, after the warm-up pass

# --- queries --------------------------------------------------------------------------------
# (kind, text, "entity_kind:id", meant): `meant` is the name as the user means it, in the store's
# spelling (None: the text itself); for 초성 queries the text is made from `meant`.
KINDS = ("typo", "spacing", "choseong", "partial", "alias", "variant", "sentence", "width")
QUERIES: list[tuple[str, str, str, str | None]] = [
    # one-syllable slips
    ("typo", "국가혁신클러스타", "program:prog-nic", "국가혁신클러스터"),
    ("typo", "그린에너지 캠퍼쓰 구축", "task:d000-task-daegu", "그린에너지 캠퍼스 구축"),
    ("typo", "부산형 청년창엄허브 조성", "task:d000-task-busan", "부산형 청년창업허브 조성"),
    ("typo", "친환경에너지융합클러스터조셩", "task:d000-task-ulsan", "친환경에너지융합클러스터조성"),
    ("typo", "실버의료기기 메가 조성", "task:d000-task-wonju", "실버의료기기 메카 조성"),
    ("typo", "자산운영 중심 금융도시 조성", "task:d000-task-jeonju", "자산운용 중심 금융도시 조성"),
    ("typo", "스마트 물류정보샌터 조성", "task:d000-proj-gimcheon-2", "스마트 물류정보센터 조성"),
    ("typo", "지역특화산업육썽사업", "program:d004-prog-rsi", "지역특화산업육성사업"),
    ("typo", "시군구연고산엽 육성", "program:d004-prog-sgg", "시군구연고산업 육성"),
    ("typo", "사회적경제혁신성쟝", "program:d004-prog-segi", "사회적경제혁신성장"),
    ("typo", "도심융합특고", "program:prog-udz", "도심융합특구"),
    ("typo", "중소벤처기엄부", "organisation:org-mss", "중소벤처기업부"),
    ("typo", "한국가스안전공샤", "organisation:d000-org-kgs", "한국가스안전공사"),
    ("typo", "정보통신산업진흥윈", "organisation:d000-org-nipa", "정보통신산업진흥원"),
    ("typo", "캠퍼스혁신파그", "program:d003-zone-cip", "캠퍼스혁신파크"),
    ("typo", "고령친화용품 실증연구샌터", "task:d000-proj-wonju-1", "고령친화용품 실증연구센터"),
    # spacing
    ("spacing", "국가 혁신 클러스터 육성사업", "program:prog-nic", None),
    ("spacing", "부산형청년창업허브조성", "task:d000-task-busan", None),
    ("spacing", "지역 주력 산업 개편", "program:d004-prog-reorg", None),
    ("spacing", "남부권스마트물류거점도시육성", "task:d000-task-gimcheon", None),
    ("spacing", "신재생 에너지 기반 지능형 전력 시스템", "program:d004-prog-coop-power", None),
    ("spacing", "공공 임대형 지식 산업 센터 구축 사업", "program:d003-link-kic", None),
    ("spacing", "지식 기반 산업 집적 지구", "program:d003-link-kbiz", None),
    ("spacing", "한국 토지 주택 공사", "organisation:d000-org-lh", None),
    ("spacing", "국가 균형 발전 위원회", "organisation:org-balance", None),
    ("spacing", "제주 국제 자유도시 개발센터", "organisation:d000-org-jdc", None),
    ("spacing", "실버 의료기기 메카 조성", "task:d000-task-wonju", None),
    ("spacing", "기업이전 산학연클러스터 선도모델", "task:d000-task-jinju", None),
    # 초성 (text = the 초성 of `meant`, word by word)
    ("choseong", "", "program:prog-nic", "국가혁신클러스터"),
    ("choseong", "", "task:d000-task-naju", "에너지밸리"),
    ("choseong", "", "program:prog-udz", "도심융합특구"),
    ("choseong", "", "organisation:org-mss", "중소벤처기업부"),
    ("choseong", "", "program:d003-link-rfz", "규제자유특구"),
    ("choseong", "", "program:d003-zone-cip", "캠퍼스혁신파크"),
    ("choseong", "", "task:d000-task-busan", "부산형 청년창업허브"),
    ("choseong", "", "task:d000-proj-busan-1", "상생혁신타워"),
    ("choseong", "", "organisation:org-motie", "산업통상자원부"),
    ("choseong", "", "organisation:org-balance", "국가균형발전위원회"),
    ("choseong", "", "program:d003-link-rip", "지역혁신플랫폼"),
    ("choseong", "", "program:d003-link-ilz", "투자선도지구"),
    # partial name, mostly followed by a particle
    ("partial", "청년창업허브를", "task:d000-task-busan", "청년창업허브"),
    ("partial", "상생혁신타워는", "task:d000-proj-busan-1", "상생혁신타워"),
    ("partial", "금융도시가", "task:d000-task-jeonju", "금융도시"),
    ("partial", "물류정보센터에서", "task:d000-proj-gimcheon-2", "물류정보센터"),
    ("partial", "스마트물류 거점도시를", "task:d000-task-gimcheon", "스마트물류 거점도시"),
    ("partial", "장기재직 지원은", "task:d000-proj-jinju-2", "장기재직 지원"),
    ("partial", "고령친화용품을", "task:d000-proj-wonju-1", "고령친화용품"),
    ("partial", "교육시범도시에", "task:d000-task-jincheon", "교육시범도시"),
    ("partial", "해상풍력은", "task:d000-proj-ulsan-1", "해상풍력"),
    ("partial", "지붕태양광이", "task:d000-proj-ulsan-2", "지붕태양광"),
    ("partial", "상생펀드를", "task:d000-proj-daegu-2", "상생펀드"),
    ("partial", "산학연 클러스터에", "task:d000-task-jinju", "산학연 클러스터"),
    ("partial", "혁신성장센터로", "program:d003-link-ugc", "혁신성장센터"),
    ("partial", "사회공헌기금의", "task:d000-best-12", "사회공헌기금"),
    ("partial", "로컬푸드를", "task:d000-best-11", "로컬푸드"),
    ("partial", "중기부는", "organisation:org-mss", "중기부"),
    ("partial", "한전이", "organisation:d000-org-kepco", "한전"),
    ("partial", "임대형 지식산업센터", "program:d003-link-kic", "임대형 지식산업센터"),
    # abbreviations and aliases
    ("alias", "산업부", "organisation:org-motie", None),
    ("alias", "중기부", "organisation:org-mss", None),
    ("alias", "한전", "organisation:d000-org-kepco", None),
    ("alias", "LH", "organisation:d000-org-lh", None),
    ("alias", "기재부", "organisation:org-moef", None),
    ("alias", "국토부", "organisation:org-molit", None),
    ("alias", "균형위", "organisation:org-balance", None),
    ("alias", "과기정통부", "organisation:org-msit", None),
    ("alias", "한수원", "organisation:d000-org-khnp", None),
    ("alias", "캠코", "organisation:d000-org-kamco", None),
    ("alias", "건보공단", "organisation:d000-org-nhis", None),
    ("alias", "고용부", "organisation:org-moel", None),
    ("alias", "KIAT", "organisation:org-kiat", None),
    ("alias", "기정원", "organisation:org-tipa", None),
    ("alias", "게임위", "organisation:d000-org-grac", None),
    # spelling variants
    ("variant", "지역주력산업 알앤디", "program:d004-prog-rsi-rnd", "지역주력산업 R&D"),
    ("variant", "지역스타기업 RnD", "program:d004-prog-rsi-star", "지역스타기업 R&D"),
    ("variant", "지역주력산업 RND 자유공모", "program:d004-prog-rsi-rnd-free", "지역주력산업 R&D 자유공모"),
    ("variant", "에너지벨리", "task:d000-task-naju", "에너지밸리"),
    ("variant", "에너지 벨리 조성", "task:d000-task-naju", "에너지밸리 조성"),
    ("variant", "공동 알앤디", "task:d000-best-02", "공동R&D"),
    ("variant", "알앤디특구", "program:d003-link-rdz", "R&D특구"),
    ("variant", "스마트 마이스 활성화", "task:d000-task-jeju", "스마트 MICE 활성화"),
    ("variant", "스테이션케이", "task:d000-proj-jinju-1", "스테이션K"),
    ("variant", "케이스마트 교육시범도시", "task:d000-task-jincheon", "K스마트 교육시범도시"),
    ("variant", "디지털 헬스캐어", "program:d004-prog-coop-health", "디지털 헬스케어"),
    ("variant", "마이크로 이모빌리티", "program:d002-pj-gyeongbuk-emobility", "마이크로 e모빌리티"),
    ("variant", "빅대이터 포털시스템 구축", "task:d000-proj-jeonju-1", "빅데이터 포털시스템 구축"),
    # a name inside a sentence
    ("sentence", "에너지밸리 조성 담당자 알려줘", "task:d000-task-naju", "에너지밸리 조성"),
    ("sentence", "부산형 청년창업허브 조성 예산이 얼마야", "task:d000-task-busan", "부산형 청년창업허브 조성"),
    ("sentence", "그린에너지 캠퍼스 구축 진행상황 알려줘", "task:d000-task-daegu", "그린에너지 캠퍼스 구축"),
    ("sentence", "국가혁신클러스터 2단계 지방비는?", "program:prog-nic", "국가혁신클러스터"),
    ("sentence", "지역스타기업 R&D 선정 시기가 언제야", "program:d004-prog-rsi-star", "지역스타기업 R&D"),
    ("sentence", "한국가스공사 전화번호 알려줘", "organisation:d000-org-kogas", "한국가스공사"),
    ("sentence", "산업통상자원부 담당 사무관 연락처", "organisation:org-motie", "산업통상자원부"),
    ("sentence", "스마트 물류정보센터 조성은 어디서 해?", "task:d000-proj-gimcheon-2", "스마트 물류정보센터 조성"),
    ("sentence", "친환경 스마트 조선해양 협력권 지역이 어디야", "program:d004-prog-coop-shipbuilding",
     "친환경 스마트 조선해양"),
    ("sentence", "실버의료기기 메카 조성 과제 현황 보여줘", "task:d000-task-wonju", "실버의료기기 메카 조성"),
    ("sentence", "자산운용 중심 금융도시 조성 주관기관이 어디지", "task:d000-task-jeonju",
     "자산운용 중심 금융도시 조성"),
    ("sentence", "공공임대형 지식산업센터 구축사업 지원 한도는", "program:d003-link-kic",
     "공공임대형 지식산업센터 구축사업"),
    ("sentence", "캠퍼스혁신파크 신청 대상 알려줘", "program:d003-zone-cip", "캠퍼스혁신파크"),
    ("sentence", "울산 국가혁신클러스터 예산 얼마야", "program:d002-cl-ulsan", "울산 국가혁신클러스터"),
    ("sentence", "부산 사회적경제기금 조성 현황", "task:d000-proj-busan-2", "부산 사회적경제기금 조성"),
    ("sentence", "제주 EV랩 구축 일정 알려줘", "task:d000-proj-jeju-2", "제주 EV랩 구축"),
    ("sentence", "대구 국가혁신클러스터 육성분야", "program:d002-cl-daegu", "대구 국가혁신클러스터"),
    # full-width and case
    ("width", "ＬＨ", "organisation:d000-org-lh", None),
    ("width", "kepco", "organisation:d000-org-kepco", None),
    ("width", "Kiat", "organisation:org-kiat", None),
    ("width", "ＮＩＰＡ", "organisation:d000-org-nipa", None),
    ("width", "station k", "task:d000-proj-jinju-1", None),
    ("width", "스마트 ＭＩＣＥ 활성화", "task:d000-task-jeju", None),
    ("width", "지역주력산업 Ｒ＆Ｄ", "program:d004-prog-rsi-rnd", None),
    ("width", "제주 ev랩", "task:d000-proj-jeju-2", None),
    ("width", "ＪＤＣ", "organisation:d000-org-jdc", None),
    ("width", "Ｋ-스마트 교육시범도시", "task:d000-task-jincheon", None),
    ("width", "kogas", "organisation:d000-org-kogas", None),
]
OFF_TOPIC = [
    "오늘 날씨 어때", "내일 비 와?", "점심 뭐 먹을까", "회사 근처 맛집 추천해줘", "주말에 영화 볼 사람",
    "국방부 병역 판정 검사 일정", "외교부 여권 재발급 어떻게 해", "보건복지부 기초연금 신청 방법",
    "법무부 출입국 사무소 위치", "문화체육관광부 축구 국가대표 경기", "커피 한 잔 할래요",
    "엘리베이터 고장 신고는 어디에", "주차권 어디서 받아요", "퇴근 시간 몇 시야",
    "노트북 비밀번호를 잊어버렸어요", "해양수산부 어선 면허 갱신", "경찰청 운전면허 갱신 기간",
    "생일 축하합니다",
]

# --- synthetic names ------------------------------------------------------------------------
REGIONS = ["서울", "부산", "대구", "인천", "광주", "대전", "울산", "세종", "경기", "강원",
           "충북", "충남", "전북", "전남", "경북", "경남", "제주"]
CITIES = ["창원", "포항", "구미", "여수", "순천", "목포", "군산", "익산", "천안", "아산", "청주", "충주",
          "원주", "춘천", "강릉", "진주", "김해", "양산", "나주", "김천", "진천", "음성", "서귀포", "안동"]
TOPICS = ["스마트", "그린", "바이오", "수소", "해양", "물류", "미래차", "에너지", "관광", "농생명", "의료",
          "교육", "디지털", "탄소중립", "반도체", "이차전지", "로봇", "드론", "항공", "우주", "문화콘텐츠",
          "청년창업", "소재부품", "섬유", "식품", "화장품", "헬스케어", "인공지능", "데이터", "자율주행",
          "조선", "기계", "금속", "세라믹", "풍력", "태양광", "수산", "스마트팜", "치유", "웰니스",
          "메타버스", "ICT", "전기차", "바이오헬스", "정밀의료", "해양레저", "마이스", "안전", "환경", "문화"]
FACILITIES = ["실증센터", "지원센터", "혁신센터", "기술지원센터", "캠퍼스", "허브", "플랫폼", "밸리", "타운",
              "단지", "클러스터", "테스트베드", "거점", "파크", "특화단지", "산업단지", "연구소", "실증단지"]
ACTIONS = ["구축사업", "조성사업", "육성사업", "고도화사업", "기반구축", "실증사업", "지원사업", "활성화",
           "조성", "구축", "육성", "운영"]
ORG_SUFFIXES = ["진흥원", "기술원", "산업진흥원", "재단", "연구원", "공단", "센터", "지원단"]
TAILS = ["지원사업", "2단계", "실증", "고도화", "확산", "연계사업"]


@dataclass(frozen=True)
class Query:
    """A benchmark question: its text, kind, the entity meant and the name as meant."""

    kind: str
    text: str
    target: tuple[str, str]
    meant: str


@dataclass
class Outcome:
    """What `Engine.match` gave for one query."""

    query: Query
    candidates: list[Entity]
    hit: bool
    reason: str


@dataclass
class Synthetic:
    """Rows to insert: programs, tasks, organisations and aliases."""

    programs: list[dict[str, Any]] = field(default_factory=list)
    tasks: list[dict[str, Any]] = field(default_factory=list)
    organisations: list[dict[str, Any]] = field(default_factory=list)
    aliases: list[dict[str, Any]] = field(default_factory=list)
    distractors: int = 0
    rejected: int = 0


def build_queries() -> list[Query]:
    """The tagged queries, with 초성 texts made from their names."""
    out = []
    for kind, text, target, meant in QUERIES:
        assert kind in KINDS, kind
        entity_kind, _, entity_id = target.partition(":")
        name = meant or text
        if kind == "choseong":
            text = " ".join(choseong(word) for word in name.split())
        out.append(Query(kind, text, (entity_kind, entity_id), name))
    return out


class Fairness:
    """Tells whether a name of another entity would make a query ambiguous (see the module docstring)."""

    WHOLE = ("typo", "spacing", "alias", "variant", "width")

    def __init__(self, queries: list[Query], right_keys: dict[tuple[str, str], set[str]]) -> None:
        self.rules: list[tuple[Query, str, str, bool, int]] = []
        for q in queries:
            keys = right_keys.get(q.target, set())
            meant = compact(q.meant)
            exact = meant in keys
            probe = meant if q.kind == "variant" else compact(q.text)
            distance = min((Levenshtein.distance(probe, k) for k in keys), default=99)
            self.rules.append((q, meant, probe, exact, distance))
        self.texts = {compact(q.text) for q in queries} | {compact(t) for t in OFF_TOPIC}

    def spoils(self, key: str, owner: tuple[str, str] | None = None) -> Query | None:
        """The first query that a key of another entity (`owner`) would make ambiguous, or None."""
        if key in self.texts and owner is None:
            return Query("exact", key, ("", ""), key)
        for q, meant, probe, exact, distance in self.rules:
            if owner == q.target:
                continue
            if key == meant or (not exact and len(meant) >= 2 and meant in key):
                return q
            if q.kind == "choseong" and choseong(key) == compact(q.text):
                return q
            if q.kind in self.WHOLE and Levenshtein.distance(probe, key, score_cutoff=distance) <= distance:
                return q
        return None


def entity_keys(store: Store) -> dict[tuple[str, str], set[str]]:
    """Every index key of every entity of a store, as the name index makes them."""
    keys: dict[tuple[str, str], set[str]] = defaultdict(set)
    for name in store.names():
        for text in {name.text, *derived_names(name.text)}:
            key = compact(text)
            if len(key) >= 2:
                keys[(name.kind, name.id)].add(key)
    return keys


def _regions(cell: str | None) -> set[str]:
    return {p.strip() for p in (cell or "").split("|") if p.strip()}


def _in_region(words: list[str], region: str) -> list[str]:
    """A name's words placed in another region: its region word replaced, or the region put first."""
    first = words[0]
    if first in REGIONS:
        return [region, *words[1:]]
    if first.endswith("형") and first[:-1] in REGIONS:
        return [f"{region}형", *words[1:]]
    return [region, *words]


def _distractors(rnd: random.Random, rows: Iterable[dict[str, Any]], table: str) -> list[str]:
    """Names close to the real ones: another region, another suffix, one word swapped."""
    out = []
    for row in rows:
        name = str(row["name"])
        words = name.split()
        others = [r for r in REGIONS if r not in _regions(row.get("region"))]
        if table == "organisations":
            out.append(f"{name} {rnd.choice(others)}지역본부")
            out.append(f"{rnd.choice(others)}{name}")
            out.append(f"{name} 부설 {rnd.choice(TOPICS)}연구소")
            continue
        out.append(" ".join(_in_region(words, rnd.choice(others))))
        if words[-1] in ACTIONS or words[-1] in ("설립", "건립", "개발", "설치", "지원", "확보", "개선"):
            out.append(" ".join([*words[:-1], rnd.choice(ACTIONS)]))
        else:
            out.append(f"{name} {rnd.choice(TAILS)}")
        topic = rnd.choice(TOPICS)
        if len(words) >= 3 and topic not in name:
            i = rnd.randrange(len(words) - 1)
            out.append(" ".join([*words[:i], topic, *words[i + 1:]]))
        stem = words[:-1] if len(words) >= 3 else words
        out.append(" ".join([*_in_region(stem, rnd.choice(others)), rnd.choice(ACTIONS)]))
    return out


def synthesize(store: Store, fair: Fairness, target_names: int) -> Synthetic:
    """Deterministic synthetic names for a store, enough for `target_names` keys in its index."""
    rnd = random.Random(SEED)
    taken = {k for keys in entity_keys(store).values() for k in keys}
    quota = target_names - len(taken)
    syn = Synthetic()

    def accept(name: str) -> bool:
        key = compact(name)
        if len(key) < 2 or key in taken:
            return False
        if fair.spoils(key) is not None:
            syn.rejected += 1
            return False
        taken.add(key)
        return True

    def add(table: str, name: str, region: str | None, distractor: bool = False) -> None:
        nonlocal quota
        if quota <= 0 or not accept(name):
            return
        quota -= 1
        syn.distractors += distractor
        rows = {"programs": syn.programs, "tasks": syn.tasks, "organisations": syn.organisations}[table]
        prefix = {"programs": "p", "tasks": "t", "organisations": "o"}[table]
        entity_id = f"syn-{prefix}{len(rows)}"
        if table == "organisations":
            rows.append({"id": entity_id, "name": name, "kind": "지원기관", "region": region, "source": "004"})
        else:
            rows.append({"id": entity_id, "name": name, "kind": "사업" if table == "programs" else "협업과제",
                         "region": region, "source": "004" if table == "programs" else "000",
                         "summary": "합성 데이터"})
        words = name.split()
        if table == "programs" and len(words) >= 4 and rnd.random() < 0.25:
            short = " ".join(words[:-1])          # "경남 스마트 해양 실증센터" for "... 구축사업"
            if quota > 0 and accept(short):
                quota -= 1
                syn.aliases.append({"entity_kind": "program", "entity_id": entity_id, "alias": short})

    for table in ("programs", "tasks", "organisations"):
        real = store.rows(f"SELECT name, region FROM {table} ORDER BY rowid")
        for name in _distractors(rnd, real, table):
            add(table, name, None, distractor=True)
    while quota > 0:
        draw = rnd.random()
        region = rnd.choice(REGIONS)
        topic = rnd.choice(TOPICS)
        if draw < 0.62:
            second = f" {rnd.choice(TOPICS)}" if rnd.random() < 0.5 else ""
            add("programs", f"{region} {topic}{second} {rnd.choice(FACILITIES)} {rnd.choice(ACTIONS)}", region)
        elif draw < 0.88:
            city = rnd.choice(CITIES)
            form = rnd.random()
            if form < 0.4:
                name = f"{city}형 {topic}{rnd.choice(FACILITIES)} {rnd.choice(['조성', '구축', '육성'])}"
            elif form < 0.7:
                name = f"{city} {topic} {rnd.choice(FACILITIES)} {rnd.choice(ACTIONS)}"
            else:
                name = f"{topic} {rnd.choice(TOPICS)} {rnd.choice(FACILITIES)} {rnd.choice(ACTIONS)}"
            add("tasks", name, region)
        else:
            form = rnd.random()
            if form < 0.4:
                name = f"{region}{topic}{rnd.choice(ORG_SUFFIXES)}"
            elif form < 0.7:
                name = f"한국{topic}{rnd.choice(ORG_SUFFIXES)}"
            else:
                name = f"{region} {topic}{rnd.choice(FACILITIES)}"
            add("organisations", name, region)
    return syn


def grow(store: Store, syn: Synthetic) -> None:
    """Insert the synthetic rows with the store's own tables, in one transaction."""
    with immediate(store.db):
        store.db.table("organisations").insert_all(syn.organisations)
        store.db.table("programs").insert_all(syn.programs)
        store.db.table("tasks").insert_all(syn.tasks)
        store.db.table("aliases").insert_all(syn.aliases, ignore=True)


def check_real(queries: list[Query], keys: dict[tuple[str, str], set[str]]) -> list[str]:
    """Queries that the built-in names already make unfair or that name no real entity."""
    problems = []
    fair = Fairness(queries, keys)
    for q in queries:
        own = keys.get(q.target)
        if not own:
            problems.append(f"{q.kind} {q.text!r}: no entity {q.target}")
        elif not any(compact(q.meant) in k for k in own):
            problems.append(f"{q.kind} {q.text!r}: {q.meant!r} is not part of a name of {q.target}")
    for owner, owned in keys.items():
        for key in owned:
            spoiled = fair.spoils(key, owner)
            if spoiled is not None:
                problems.append(f"{spoiled.kind} {spoiled.text!r}: {owner} has the key {key!r}")
    return problems


def judge(q: Query, candidates: list[Entity]) -> Outcome:
    """A hit: the right entity first and strictly above the best other entity."""
    if not candidates:
        return Outcome(q, candidates, False, "nothing")
    top = candidates[0]
    rival = next((c for c in candidates[1:] if (c.kind, c.id) != (top.kind, top.id)), None)
    if (top.kind, top.id) != q.target:
        found = any((c.kind, c.id) == q.target for c in candidates)
        return Outcome(q, candidates, False, "below" if found else "absent")
    if rival is not None and rival.score >= top.score:
        return Outcome(q, candidates, False, "tie")
    return Outcome(q, candidates, True, "")


def percentile(ms: list[float], share: float) -> float:
    """The value below which `share` of a sample lies (nearest rank, as in engine_bench.py)."""
    ordered = sorted(ms)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def run(rounds: int) -> dict[str, Any]:
    """Build the store, run the queries and return the figures."""
    queries = build_queries()
    with tempfile.TemporaryDirectory() as d:
        store = Store.open(Path(d) / "match.db")
        real_keys = entity_keys(store)
        warnings = check_real(queries, real_keys)
        t0 = time.perf_counter()
        syn = synthesize(store, Fairness(queries, real_keys), TARGET_NAMES)
        grow(store, syn)
        built_ms = (time.perf_counter() - t0) * 1000
        engine = Engine(store)
        t0 = time.perf_counter()
        index = engine.index
        index_ms = (time.perf_counter() - t0) * 1000
        texts = [q.text for q in queries] + OFF_TOPIC
        for text in texts:                       # warm-up pass
            engine.match(text)
        ms: list[float] = []
        worst: dict[str, float] = defaultdict(float)
        answers: dict[str, list[Entity]] = {}
        for _ in range(rounds):
            for text in texts:
                t0 = time.perf_counter()
                found = engine.match(text)
                elapsed = (time.perf_counter() - t0) * 1000
                ms.append(elapsed)
                worst[text] = max(worst[text], elapsed)
                answers.setdefault(text, found)
        names = {
            "index_keys": len(index),
            "builtin_keys": len(set().union(*real_keys.values())),
            "name_rows": len(store.names()),
            "synthetic": {"programs": len(syn.programs), "tasks": len(syn.tasks),
                          "organisations": len(syn.organisations), "aliases": len(syn.aliases),
                          "near_distractors": syn.distractors, "rejected_as_unfair": syn.rejected},
        }
        store.close()
    outcomes = [judge(q, answers[q.text]) for q in queries]
    per_kind = {}
    for kind in KINDS:
        mine = [o for o in outcomes if o.query.kind == kind]
        hits = sum(o.hit for o in mine)
        per_kind[kind] = {"n": len(mine), "hits": hits, "top1": round(100 * hits / len(mine), 1) if mine else None}
    accepted = [(t, answers[t]) for t in OFF_TOPIC if answers[t]]
    hits = sum(o.hit for o in outcomes)
    return {
        "names": names,
        "queries": len(queries),
        "hits": hits,
        "top1": round(100 * hits / len(queries), 1),
        "right_entity_among_candidates": sum(any((c.kind, c.id) == o.query.target for c in o.candidates)
                                             for o in outcomes),
        "per_kind": per_kind,
        "off_topic": {"accepted": len(accepted), "total": len(OFF_TOPIC),
                      "sentences": [{"text": t, "candidates": _shown(c)} for t, c in accepted]},
        "latency_ms": {"samples": len(ms), "rounds": rounds, "p50": round(statistics.median(ms), 3),
                       "p99": round(percentile(ms, 0.99), 3), "max": round(max(ms), 3),
                       "slowest": [{"text": t, "max_ms": round(v, 3)}
                                   for t, v in sorted(worst.items(), key=lambda kv: -kv[1])[:5]]},
        "build_ms": {"synthetic": round(built_ms), "index": round(index_ms)},
        "misses": [{"kind": o.query.kind, "text": o.query.text, "expected": ":".join(o.query.target),
                    "reason": o.reason, "candidates": _shown(o.candidates)} for o in outcomes if not o.hit],
        "warnings": warnings,
    }


def _shown(candidates: list[Entity], n: int = 3) -> list[str]:
    return [f"{c.kind}:{c.id} {c.name} {c.score:.1f}" for c in candidates[:n]]


def report(figures: dict[str, Any], verbose: bool) -> None:
    """Print the figures for a person."""
    names = figures["names"]
    syn = names["synthetic"]
    print(f"names in the index: {names['index_keys']:,} keys ({names['builtin_keys']} built-in; synthetic "
          f"{syn['programs']:,} programs, {syn['tasks']:,} tasks, {syn['organisations']:,} organisations, "
          f"{syn['aliases']:,} aliases, {syn['near_distractors']} of them near-distractors; "
          f"{syn['rejected_as_unfair']} rejected as unfair); {names['name_rows']:,} name rows")
    print(f"top-1: {figures['hits']}/{figures['queries']} = {figures['top1']:.1f} %  "
          f"(right entity among the candidates: {figures['right_entity_among_candidates']}/{figures['queries']})")
    for kind, k in figures["per_kind"].items():
        print(f"  {kind:<9} {k['hits']:>3}/{k['n']:<3} {k['top1']:5.1f} %")
    off = figures["off_topic"]
    print(f"off-topic accepts: {off['accepted']}/{off['total']}")
    lat = figures["latency_ms"]
    print(f"latency per query ({lat['rounds']} rounds, {lat['samples']} samples, after a warm-up pass): "
          f"p50 {lat['p50']:.2f} ms  p99 {lat['p99']:.2f} ms  max {lat['max']:.2f} ms  "
          f"(synthetic names {figures['build_ms']['synthetic']} ms, index built in {figures['build_ms']['index']} ms)")
    for warning in figures["warnings"]:
        print(f"warning: {warning}", file=sys.stderr)
    if verbose:
        print("misses:")
        for m in figures["misses"]:
            print(f"  [{m['kind']}] {m['text']!r} → want {m['expected']}; {m['reason']}: "
                  f"{' | '.join(m['candidates']) or '-'}")
        print("off-topic accepted:")
        for s in off["sentences"]:
            print(f"  {s['text']!r}: {' | '.join(s['candidates'])}")
        print("slowest queries (max over the rounds):")
        for s in lat["slowest"]:
            print(f"  {s['max_ms']:6.2f} ms  {s['text']!r}")


def main(argv: list[str] | None = None) -> int:
    """Parse the options, run the benchmark and print its figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--verbose", action="store_true", help="list the misses and off-topic accepts")
    parser.add_argument("--json", action="store_true", help="print one JSON object with the figures")
    parser.add_argument("--rounds", type=int, default=ROUNDS, help="timed passes over the queries")
    args = parser.parse_args(argv)
    figures = run(max(1, args.rounds))
    if args.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        report(figures, args.verbose)
    return 0


if __name__ == "__main__":
    sys.exit(main())
