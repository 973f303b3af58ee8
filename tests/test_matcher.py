"""Korean name matching: spacing, typos, partial names, 초성, full-width, names inside sentences, off-topic."""

import pytest

from intents.engine import Engine
from intents.reading.normalize import choseong, compact, fold, strip_particle
from tests.conftest import ask
from tests.scoring import lead

FOUND = [
    ("그린에너지캠퍼스", "d000-task-daegu"),            # spacing
    ("그린에너지 캠퍼쓰", "d000-task-daegu"),           # one-syllable typo
    ("에너지벨리", "d000-task-naju"),                   # jamo-level typo (ㅐ/ㅔ)
    ("국가혁신클러스타", "prog-nic"),
    ("지역혁신협력지구(클러스터)", "prog-nic"),          # the newer name of the same program
    ("ＬＨ", "d000-org-lh"),                            # full-width latin
    ("중기부", "org-mss"),                              # abbreviations from the alias table
    ("균형위", "org-balance"),
    ("ㄱㄹㅇㄴㅈ ㅋㅍㅅ", "d000-task-daegu"),            # typed 초성
    ("울산지역사업평가단", "d004-org-eval-ulsan"),
]


@pytest.mark.parametrize("text, entity", FOUND)
def test_names_are_found(ro_engine: Engine, text: str, entity: str) -> None:
    found = ro_engine.match(text)
    # 대구's project is named 그린에너지 캠퍼스, an alias of its task: the two stay within a point of each other
    best = [c.id for c in found if c.score >= found[0].score - 1]
    assert entity in best, [(c.id, c.score) for c in found[:3]]


@pytest.mark.parametrize("sentence, entity", [
    ("한국전력이 맡은 협업과제 알려줘", "d000-org-kepco"),
    ("혹시 장용희 사무관 연락처 아세요?", "d004-ct-jang-yonghee"),
])
def test_a_name_inside_a_sentence(ro_engine: Engine, sentence: str, entity: str) -> None:
    from intents.reading.understand import understand

    query = understand(sentence, ro_engine.index)
    assert entity in {c.id for m in query.mentions for c in m.candidates}


@pytest.mark.parametrize("sentence", [
    "오늘 점심 뭐 먹지", "날씨가 좋네요", "우주항공 위성 발사 일정", "반도체 공장 증설", "주식 시장 전망",
    "축구 경기 결과 알려줘", "비트코인 가격", "영화 추천해줘", "스마트팜 지원금", "강남 아파트 시세",
    "점심시간 몇 시야", "hello world",
])
def test_off_topic_sentences_match_nothing(ro_engine: Engine, sentence: str) -> None:
    from tests.conftest import ask

    assert ask(ro_engine, sentence).entities == []


def test_normalisation_helpers() -> None:
    assert compact("그린 에너지, 캠퍼스!") == "그린에너지캠퍼스"
    assert fold("ＬＨ　Ｒ＆Ｄ") == "lh r&d"
    assert fold("ㄱㄴ") == "ㄱㄴ"                      # typed 초성 survive NFKC
    assert choseong("그린에너지") == "ㄱㄹㅇㄴㅈ"
    assert strip_particle("한국전력이") == "한국전력" and strip_particle("국가") == "국가"


def test_topic_search_lists_what_is_named_for_a_word(ro_engine: Engine) -> None:
    from tests.conftest import ask

    reply = ask(ro_engine, "바이오 관련 사업")
    assert reply.intent == "search"
    for name in ("생명공학(바이오)진단치료의료기기", "대구 국가혁신클러스터", "제주 국가혁신클러스터"):
        assert name in reply.text   # by name, and by area (바이오 헬스)
    assert len(reply.entities) == 5


@pytest.mark.parametrize("text, entity", [
    ("공동 알앤디", "d000-best-02"),                        # 알앤디 / RnD / R&D are one spelling
    ("공동 RnD", "d000-best-02"),
    ("알앤디특구", "d003-link-rdz"),
    ("해상풍력은", "d000-proj-ulsan-1"),                    # a partial name followed by a particle
    ("그린에너지 캠퍼스 구축 진행상황 알려줘", "d000-task-daegu"),   # the longer span, not the shorter name in it
    ("대구 국가혁신클러스터 육성분야", "d002-cl-daegu"),       # not the generic program the name contains
    ("제주 EV랩 구축 일정 알려줘", "d000-proj-jeju-2"),       # not the region the name begins with
    ("부산형 청년창엄허브 조성", "d000-task-busan"),           # a typo'd name is named; 부산 only qualifies it
])
def test_the_named_entity_is_strictly_first(ro_engine: Engine, text: str, entity: str) -> None:
    found = ro_engine.match(text)
    assert found and found[0].id == entity, [(c.id, c.score) for c in found[:3]]
    assert all(c.score < found[0].score for c in found[1:] if c.id != entity), [(c.id, c.score) for c in found[:3]]


def test_spelling_variants_fold_to_one_form() -> None:
    assert compact("지역주력산업 알앤디") == compact("지역주력산업 R&D") == compact("지역주력산업 RnD")
    assert compact("에너지벨리") == compact("에너지밸리")


@pytest.mark.parametrize("text, entity", [
    ("지경위", "d004-mtg-rec-2023-1"),     # 지(역)·경(제)·위(원회): the first syllables of its nouns
    ("국혁클", "prog-nic"),                 # 국(가)·혁(신)·클(러스터)
])
def test_a_korean_abbreviation_names_what_it_clips(ro_engine: Engine, text: str, entity: str) -> None:
    assert entity in [c.id for c in ro_engine.match(text)[:2]]


@pytest.mark.parametrize("text", ["국가대표", "운전면허", "점심메뉴"])
def test_whole_words_are_not_read_as_abbreviations(ro_engine: Engine, text: str) -> None:
    assert ro_engine.match(text) == []


def test_a_place_name_one_letter_off_is_read_as_that_place(ro_engine: Engine) -> None:
    assert lead(ask(ro_engine, "경븍 평가단 주소").text, 1).endswith("삼풍로 27, 글로벌벤처동 4층 2403호")


def test_a_place_the_dictionary_knows_is_not_a_typo_for_another(ro_engine: Engine) -> None:
    reply = ask(ro_engine, "강남 평가단 주소")   # 강남 is one letter off 경남, and a place of its own
    assert reply.entities == [] and "경남" not in reply.text


def test_a_name_after_a_region_may_be_that_regions_own(ro_engine: Engine) -> None:
    # 디지털헬스케어 names a 협력권 of 대전·세종·충남; said after 강원 it may be 강원's cluster, whose alias says both
    mentions = ro_engine.index.find("강원 디지털헬스케어 사례 국비")
    named = [c.id for m in mentions for c in m.candidates if c.kind != "region"]
    assert named[:2] == ["d004-prog-coop-health", "d002-cl-gangwon"]
    answer = ask(ro_engine, "강원 디지털헬스케어 쪽 클러스터 예산 알려줘").text
    assert lead(answer, 1).startswith("• 2018~2020년 · 1단계 · 비R&D · 국비: 15.2억원")


def test_two_regions_share_the_name_after_them(ro_engine: Engine) -> None:
    # "경북 강원 클러스터": 경북 클러스터 and 강원 클러스터
    named = {c.id for m in ro_engine.index.find("경북 강원 클러스터 국비 합치면") for c in m.candidates}
    assert {"d002-cl-gyeongbuk", "d002-cl-gangwon"} <= named
    assert "= 85.9억원" in lead(ask(ro_engine, "경북 강원 클러스터 성과 사례 국비 더하면 얼마?").text, 1)
