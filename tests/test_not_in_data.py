"""What the data does not hold is said so, with no entity, rather than answered with something near it."""

import pytest

from intents.engine import Engine
from intents.reading.morph import is_person_name
from tests.conftest import ask
from tests.scoring import lead


@pytest.mark.parametrize("question", ["김철수 과장 연락처", "지역경제위원회 위원장 김철수", "박민수 사무관 번호 좀"])
def test_a_person_the_contacts_do_not_name_is_not_found(ro_engine: Engine, question: str) -> None:
    reply = ask(ro_engine, question)
    assert reply.entities == [] and reply.missed
    assert "명단에 없습니다" in reply.text.splitlines()[0]


def test_a_name_one_syllable_off_a_contact_is_suggested_not_answered(ro_engine: Engine) -> None:
    reply = ask(ro_engine, "정승운 과장 전화번호")
    assert reply.entities == [] and "비슷한 이름: 정승훈" in reply.text
    assert "044" not in reply.text


@pytest.mark.parametrize("word, person", [("김철수", True), ("이영희", True), ("바이오", False), ("드론", False),
                                          ("지원금", False), ("부산", False)])
def test_a_person_name_is_what_the_analyser_tags_as_one_and_reads_as_one(word: str, person: bool) -> None:
    assert is_person_name(word) is person


def test_a_question_mostly_unread_about_a_name_only_guessed_is_not_answered(ro_engine: Engine) -> None:
    reply = ask(ro_engine, "청년 창업 지원금 신청 방법")
    assert reply.entities == [] and reply.missed


def test_a_result_asked_without_a_place_is_the_whole_programmes(ro_engine: Engine) -> None:
    first = lead(ask(ro_engine, "기업유치 실적").text, 1)
    assert "122" in first and "31" not in first
    assert "31건" in lead(ask(ro_engine, "강원 클러스터 기업유치 실적").text, 1)


def test_a_title_the_organisation_has_no_one_with_is_not_answered_with_a_deputy(ro_engine: Engine) -> None:
    reply = ask(ro_engine, "혁신도시발전추진단 단장님 성함이 뭐였지?")
    assert reply.entities == [] and "김규현" not in reply.text
    assert "김규현 부단장" in lead(ask(ro_engine, "혁신도시발전추진단 부단장 누구야").text, 1)


@pytest.mark.parametrize("question", ["산업부 차관 누구", "산업부 1차관 이름"])
def test_a_numbered_title_is_that_title(ro_engine: Engine, question: str) -> None:
    assert "장영진" in lead(ask(ro_engine, question).text, 1)


def test_progress_asked_where_none_is_logged_is_not_found(engine: Engine) -> None:
    reply = ask(engine, "한전 에너지밸리 조성 과제 지금 진척률 몇 퍼센트쯤이에요?")
    assert reply.entities == [] and reply.missed and "기록된 진행상황이 없습니다" in reply.text
    listed = ask(engine, "클러스터 2단계 사업 진척률 지금 몇 %야?")
    assert listed.entities == [] and "기록된 진행상황이 없습니다" in listed.text
    ask(engine, "/log 에너지밸리 조성 40% 부지 협의")
    logged = ask(engine, "한전 에너지밸리 조성 과제 지금 진척률 몇 퍼센트쯤이에요?")
    assert "40%" in lead(logged.text, 1) and [e.name for e in logged.entities] == ["에너지밸리 조성"]


@pytest.mark.parametrize("question, said", [
    ("대전 도심융합특구 면적 몇 제곱킬로야?", "'대전 도심융합특구'의 면적은 자료에 없습니다."),
    ("가스공사 사장 이름 뭐야?", "'가스공사'의 사장 이름은 자료에 없습니다."),
    ("캠코 직원 수 몇 명이야", "'자산관리공사'의 직원 수는 자료에 없습니다."),
])
def test_the_noun_a_question_word_asks_that_nothing_of_the_subject_says_is_not_found(
        ro_engine: Engine, question: str, said: str) -> None:
    reply = ask(ro_engine, question)
    assert reply.missed and reply.text == said


@pytest.mark.parametrize("question, first", [
    ("가스공사 협업과제 뭐야?", "그린에너지 캠퍼스 구축"),   # 협업과제: a kind word, not an asked noun
    ("중기부 장관 누구야", "이영 장관"),                   # 장관: a title the contacts hold
    ("배은주 사무관 직통 몇번이에요?", "044-203-4413"),    # 직통: a phone word
])
def test_a_noun_the_data_says_of_the_subject_is_answered(ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


def test_a_chair_no_line_states_is_not_answered_with_the_meeting_card(ro_engine: Engine) -> None:
    reply = ask(ro_engine, "협업과제 450억 평가위원회 위원장은 누구야?")
    assert reply.missed and reply.text.endswith("주재는 자료에 없습니다.")
    # a meeting whose card states its chair answers it
    assert "조주현" in lead(ask(ro_engine, "지역경제위원회 위원장 누구야").text, 1)


def test_a_time_of_day_asked_of_a_meeting_dated_only_by_day_is_missing(ro_engine: Engine) -> None:
    reply = ask(ro_engine, "혁신도시 TF 킥오프 회의 몇 시에 시작했는지 아시나요?")
    assert reply.missed and reply.text.endswith("시각은 자료에 없습니다.")
    assert "14:00" in lead(ask(ro_engine, "지역경제위원회 몇시에 해?").text, 1)   # a clock time states it
    assert "14:35" in lead(ask(ro_engine, "지역별 건의사항 토론 몇 시부터야").text, 1)


def test_a_part_of_a_word_guessed_as_a_name_is_no_operand(ro_engine: Engine) -> None:
    # 지구 지정 is no 지식기반산업 집적지구, and 최대 면적 기준 is a fact, not the largest budget
    question = "3단계 클러스터 지구 재설계 검토 중이라서요, 1~2단계 때 지구 지정 최대 면적 기준이 얼마였는지 알려주세요"
    assert "총면적 15km² 이내" in lead(ask(ro_engine, question).text, 1)


def test_a_name_one_letter_off_with_the_title_said_is_that_person_and_says_so(ro_engine: Engine) -> None:
    reply = ask(ro_engine, "산업부 정병천 사무관님 번호 아시는 분")
    assert "044-203-4418" in lead(reply.text, 1)
    assert "'정병천' 대신 명단의 '정병찬 사무관'으로 찾았습니다." in reply.text
    # a title the near name does not hold (정승훈 is a 사무관): only suggested
    assert "044" not in ask(ro_engine, "정승운 과장 전화번호").text


def test_a_day_asked_of_a_meeting_known_only_by_its_month_is_not_in_the_data(ro_engine: Engine) -> None:
    reply = ask(ro_engine, "협업과제 평가위원회 정확히 며칠에 열렸어?")
    assert reply.entities == [] and "정확한 날짜는 자료에 없습니다" in reply.text and "2020년 9월" in reply.text
    assert "2020년 9월" in lead(ask(ro_engine, "협업과제 평가위원회 언제 열려?").text, 1)   # the month, when asked


@pytest.mark.parametrize("question, first", [
    ("시군구연고산업 지원대상 기초지자체 몇 곳으로 한정한 거예요?", "132"),   # a verb before 거, not a person
    ("충북 진천·음성 협업과제 명칭 정확하게 좀 알려줘", "스마트 교육시범도시"),   # an adverb names nothing
    ("국가혁신클러스터 요즘은 이름이 뭐야?", "지역혁신협력지구"),
    ("NIPA가 맡은 혁신도시가 어디였지", "진천"),
])
def test_words_that_name_nothing_do_not_veto(ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)
