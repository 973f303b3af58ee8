"""Understanding once: one frozen Query per message with the intents it may mean, read and write together."""

from dataclasses import FrozenInstanceError

import pytest

from intents.engine import Engine
from intents.reading.morph import noun_head
from intents.reading.understand import understand
from tests.conftest import ask
from tests.scoring import lead


@pytest.mark.parametrize("text, worded, intent", [
    ("그린에너지 캠퍼스 구축 60% 실시설계 착수", "log", "other"),
    ("에너지밸리 조성 지연 - 부지 협의 중", "log", "status"),
    ("그린에너지 캠퍼스 구축 진행률 40% 맞아?", None, "status"),
    ("에너지밸리 조성 지연, 이유 알려줘", None, "status"),
    ("12월 3일 오후 2시 권역별 TF회의 잡아줘", "schedule", "meeting"),
    ("권역별 TF회의 잡아줘", None, "meeting"),          # no date: not a meeting to schedule
    ("업데이트 안 된 과제 알려줘", "stale", "other"),
    ("부산 지역사업평가단 전화번호 좀 알려주실 수 있을까요", None, "contact"),
    ("국가혁신클러스터 2020년 국비", None, "budget"),
    ("장관님 보고자료용인데 클러스터 2단계 국비 얼마야", None, "budget"),   # a clause of context asks nothing
    ("에너지밸리 조성 지연되고 있다던데 이유가 뭐야?", None, "status"),    # unless the question asks nothing else
])
def test_the_intents_a_message_may_mean(ro_engine: Engine, text: str, worded: str | None, intent: str) -> None:
    q = understand(text, ro_engine.index)
    assert (q.worded, q.intent) == (worded, intent), q.intents
    assert [score for _, score in q.intents] == sorted((score for _, score in q.intents), reverse=True)


def test_a_query_is_made_once_and_not_changed(ro_engine: Engine) -> None:
    q = understand("부산 평가단 주소", ro_engine.index)
    with pytest.raises(FrozenInstanceError):
        q.year = 2020   # type: ignore[misc]


@pytest.mark.parametrize("text, aspects, unexplained", [
    ("다음 주 대구 평가단 현장방문 가는데 사무실 주소가 어떻게 돼요?", ("address",), ()),   # context, office nouns
    ("충북 평가단 번호 좀 알려줘요", ("phone",), ()),                                 # courtesy
    ("울산 평가단 이메일 주소 알려줄 수 있어?", ("email",), ()),                        # the longer word asks
    ("국토부 스마트시티 사업 담당자", (), ("스마트시티",)),                              # a topic noun stays
    ("김규현 부단장 소속", ("parent",), ()),                                           # not 장소 across words
])
def test_what_is_asked_and_what_is_left_unexplained(ro_engine: Engine, text: str, aspects: tuple[str, ...],
                                                    unexplained: tuple[str, ...]) -> None:
    q = understand(text, ro_engine.index)
    assert q.aspects == aspects and q.unexplained == unexplained


@pytest.mark.parametrize("question, intent", [
    ("김천 스마트물류 거점도시 착수했나요?", "status"),      # whether something happened: its status
    ("클러스터 성과평가 도입됐나", "status"),
    ("국혁클 1단계는 완료됐잖아 일자리 몇 명 만들었대?", "other"),   # a result asked beside a reported status
])
def test_a_question_whether_something_happened_asks_the_status(question: str, intent: str,
                                                                ro_engine: Engine) -> None:
    assert understand(question, ro_engine.index).intent == intent



@pytest.mark.parametrize("word, head", [
    ("조성하는거", "조성"), ("펀드임", "펀드"), ("협력산업이", "협력산업"), ("중대본", "중대본"), ("빼면", "빼면"),
])
def test_a_word_is_read_as_the_noun_it_is_made_of_when_the_rest_is_grammar(word: str, head: str) -> None:
    assert noun_head(word) == head


def test_a_name_said_as_the_documents_points_to_the_source(ro_engine: Engine) -> None:
    # "지경위 자료에 나온 클러스터": the 클러스터 is asked, the 2023 지역경제위원회 document says which figure
    q = understand("23년 지경위 자료에 나온 클러스터 18~22 지원 총액 얼마", ro_engine.index)
    assert not q.mentions and ("programs", "클러스터") in q.kind_words
    assert "6,418억원" in lead(ask(ro_engine, "지역경제위 보도자료 기준 클러스터 18~22년 총 얼마?").text, 1)
    # but a document's people are the document's: "클러스터 보도자료에 담당과장"
    q = understand("21년 클러스터 보도자료에 담당과장 누구", ro_engine.index)
    assert any(c.kind == "meeting" for m in q.mentions for c in m.candidates)


def test_a_compound_of_explained_words_is_explained(ro_engine: Engine) -> None:
    # 주요기관 = 주요 + 기관: nothing left to contradict the city's listing
    q = understand("충북 진천음성 혁신도시 주요기관이 어디야", ro_engine.index)
    assert "주요기관" not in q.unexplained
    assert "정보통신산업진흥원" in lead(ask(ro_engine, "진천음성 혁신도시 주요기관 알려줘").text, 1)


def test_a_result_is_found_by_its_words_not_by_the_question_words_around_them(ro_engine: Engine) -> None:
    # 얼마라고 했었나: a question word and a verb, not topic words that a result must also say
    assert "87.2%" in lead(ask(ro_engine, "1단계 일자리 중 정규직 비중 얼마라고 했었지").text, 1)


@pytest.mark.parametrize("text, kept, dropped", [
    ("평가단 말고 중기부 담당 부서 번호", "중기부", "평가단"),
    ("경남은 LH 산학연 클러스터 말고 국가혁신클러스터 분야가 뭐였지", "국가혁신클러스터", "lh"),
])
def test_a_name_set_aside_is_not_what_is_asked(ro_engine: Engine, text: str, kept: str, dropped: str) -> None:
    named = [m.text for m in understand(text, ro_engine.index).mentions]
    assert kept in named and dropped not in named


@pytest.mark.parametrize("text, contact", [
    ("예전 이름 국가혁신클러스터일 때 21년 국비 얼마", False),   # the name of a thing
    ("협력권 협력산업 이름 뭐로 돼있어", False),
    ("대전 평가단 담당자 이름 알려줘", True),                   # the name of a person
    ("이름이 뭐였더라 산업부 지역경제총괄과 과장", True),
])
def test_a_name_asked_is_a_persons_only_after_a_person(ro_engine: Engine, text: str, contact: bool) -> None:
    assert (understand(text, ro_engine.index).intent == "contact") is contact


def test_a_clause_ending_in_ira_is_context(ro_engine: Engine) -> None:
    # "방문 예정이라": the reason the asker gives, not a contact to look for
    answer = ask(ro_engine, "대전평가단 사무실 주소랑 전화 같이 알려주세요, 다음 주 방문 예정이라").text
    assert "테크노9로 35" in lead(answer, 1)


def test_a_role_said_in_other_words_puts_its_desk_first(ro_engine: Engine) -> None:
    # 주관부처 asked as 주관과: the ministry's desk for the program, before its officers
    assert "044-204-7587" in lead(ask(ro_engine, "지역특화산업육성 중기부 주관과 전화 몇 번?").text, 1)


def test_a_computation_over_named_parts_is_not_a_listing(ro_engine: Engine) -> None:
    text = ask(ro_engine, "지특 내역사업(지역주력산업R&D, 지역스타기업R&D, 지역주력산업지원) 선정규모 합치면").text
    assert "= 1,789.1억원" in lead(text, 1)


def test_a_name_said_with_its_parents_is_the_one_under_it(ro_engine: Engine) -> None:
    # 지역혁신 선도기업 is a 사업 of its own and a 내역사업 of 지역주력산업 R&D: said with the latter, the 내역사업
    text = ask(ro_engine, "지역주력산업 R&D 쪽 지역혁신 선도기업 지원규모 얼마").text
    assert text.startswith("[지역주력산업 R&D 지역혁신 선도기업]") and "83억원" in lead(text, 1)


def test_two_names_guessed_side_by_side_are_both_found(ro_engine: Engine) -> None:
    found = ro_engine.index.find("지경위 보도자료에 산업부 과장 누구")
    assert [m.text for m in found][:2] == ["지경위", "보도자료"]
    # words of one name said in parts stay one guess ("지역특화산업 온라인 사업설명회")
    assert len(ro_engine.index.find("지역특화산업 온라인 사업설명회 날짜랑 시간 좀")) == 1


def test_a_document_pointed_at_by_its_meetings_short_name_gives_its_people(ro_engine: Engine) -> None:
    first = lead(ask(ro_engine, "지경위 보도자료에 산업부 책임자로 나온 과장이 누구였지").text, 1)
    assert "송주호" in first and "서가람" not in first


def test_a_phone_asked_with_a_context_clause_saying_related_is_not_a_topic_list(ro_engine: Engine) -> None:
    first = lead(ask(ro_engine, "지특 사업 관련해서 전문기관 TIPA 담당 본부 번호 좀 부탁드립니다").text, 1)
    assert "044-300-0821" in first


@pytest.mark.parametrize("question, fact", [
    ("부산평가단 번호는 315-9263이잖아, 대전 평가단은 몇번이야?", "042-864-4271"),
    ("대구지역사업평가단 번호가 053-818-95xx였던거 같은데 경북평가단이랑 헷갈려서ㅠ 대구꺼 알려주세요", "053-818-9564"),
])
def test_what_a_clause_of_context_names_is_not_what_is_asked(ro_engine: Engine, question: str, fact: str) -> None:
    assert fact in lead(ask(ro_engine, question).text, 1)


@pytest.mark.parametrize("question, fact", [
    ("클러스터 1단계 국비 들어간 거 얼마인지 확인 부탁해요", "1,203억"),   # the act requested is not a topic
    ("클러스터 '22년 R&D예산 얼마엿어?", "504억"),                     # a qualifier written into a word that asks
    ("균특법 몇조가 클러스터 근거였더라", "제18조의3"),                  # a fact of the kind word's programme
    ("경남은 혁신클러스터 육성분야가 뭐였는지", "항공 부품"),            # a programme and its child in the region
])
def test_words_that_ask_or_request_do_not_veto_and_the_fact_comes_first(ro_engine: Engine, question: str,
                                                                        fact: str) -> None:
    assert fact in lead(ask(ro_engine, question).text, 1)


@pytest.mark.parametrize("question, fact", [
    ("혁신도시 TF 관련해서 국토부 담당 사무관이 누구였죠", "정승훈"),     # a person asked: not a topic list
    ("23년 지경위 산업부 책임자 과장은 누구야", "송주호"),                # the year says which document's people
    ("산업부 지역사업 4개 중에 국비 젤 많이 받는 사업 뭐야?", "특성화기반구축"),   # a superlative over its programmes
])
def test_who_or_which_is_asked_first(ro_engine: Engine, question: str, fact: str) -> None:
    assert fact in lead(ask(ro_engine, question).text, 1)


@pytest.mark.parametrize("question, fact", [
    ("혁신도시 TF 킥오프 보도자료 국토부 문의처가 누구였지?", "정승훈"),   # words describing the document
    ("울산 클러스터는 초소형 전기차였고, 충남은 무슨 분야였지?", "수소"),   # the same thing, in the place asked
])
def test_a_document_described_or_a_thing_said_before_in_context(ro_engine: Engine, question: str, fact: str) -> None:
    assert fact in lead(ask(ro_engine, question).text, 1)


def test_places_set_aside_leave_the_one_asked(ro_engine: Engine) -> None:
    q = understand("도심융합특구 자료 보는 중인데, 부산이랑 달리 광주는 무슨 유형이야?", ro_engine.index)
    assert q.regions == ("광주",)
    first = lead(ask(ro_engine, "도심융합특구 자료 보는 중인데, 부산이랑 달리 광주는 무슨 유형이야?").text, 1)
    assert "신도시형" in first and "산업단지형" not in first


def test_a_last_sentence_with_a_question_word_asks_on_its_own(ro_engine: Engine) -> None:
    q = understand("담당자한테 문의가 많이 와서요. 시군구연고산업 지원대상 기초지자체 몇 곳이에요?", ro_engine.index)
    assert q.intent != "contact"
    assert "132" in lead(ask(ro_engine, q.text).text, 1)


@pytest.mark.parametrize("text, contact", [
    ("산업부 1차관 현장 점검회의 무슨 업종이었어", False),   # who held it; the 업종 is asked
    ("지역혁신정책과 과장 어떤 분이야", True),               # the title is asked
    ("국토부 국장님?", True),
])
def test_a_title_asks_for_the_person_only_when_it_is_what_is_asked(ro_engine: Engine, text: str,
                                                                    contact: bool) -> None:
    assert (understand(text, ro_engine.index).intent == "contact") is contact


def test_a_series_asked_in_the_plural_is_listed_not_offered(ro_engine: Engine) -> None:
    reply = ask(ro_engine, "1차관이 다닌 실물경제 현장 점검회의 업종들 알려줘")
    first = lead(reply.text, 1)
    assert reply.intent == "search" and not reply.buttons
    assert all(w in first for w in ("철강", "기계", "디스플레이", "바이오")), first
    assert ask(ro_engine, "실물경제 현장 점검회의 언제 했어?").intent == "clarify"   # one of them: which


@pytest.mark.parametrize("text, address", [
    ("LH 대표 프로젝트 중에 건물 짓는 거 이름이 뭐야", False),   # the object of what the thing asked does
    ("대구 평가단 건물 어디야", True),
    ("대구 평가단 건물 주소 아는 사람?", True),
])
def test_the_object_of_an_action_said_of_a_thing_asks_no_aspect(ro_engine: Engine, text: str, address: bool) -> None:
    assert ("address" in understand(text, ro_engine.index).aspects) is address


def test_a_length_asked_of_a_kind_is_its_programs(ro_engine: Engine) -> None:
    assert "10년" in lead(ask(ro_engine, "클러스터 사업기간 일몰관리로 몇 년짜리로 바뀌었어?").text, 1)


def test_an_auxiliary_state_is_no_listing(ro_engine: Engine) -> None:
    first = lead(ask(ro_engine, "도심융합특구 부산은 무슨 유형으로 분류돼 있어?").text, 1)
    assert "산업단지형" in first and "신도시형" not in first


def test_when_the_question_names_nothing_the_clause_it_is_about_names_the_subject(ro_engine: Engine) -> None:
    q = understand("클러스터 관련해서 기재부에서 연락이 왔는데, 사업기간이 몇 년짜리로 바뀐 거였죠?", ro_engine.index)
    assert not q.mentions and ("programs", "클러스터") in q.kind_words
    assert "10년" in lead(ask(ro_engine, q.text).text, 1)


@pytest.mark.parametrize("question, first", [
    ("클러스터 국비 1단계 대비 2단계 얼마나 늘었어? 차액만", "= 103억원"),      # why it is asked: context
    ("대구 평가단 주소 좀 알려줄 수 있어? 택시 타게", "경대로17길 47"),
    ("클러스터 2단계 예산은? 지방비만", "506억원"),                             # a source of money: asked
])
def test_a_last_sentence_that_asks_nothing_is_context(ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


def test_a_picture_spoken_of_in_a_clause_of_context_is_not_drawn(ro_engine: Engine) -> None:
    q = understand("클러스터 예산 추이 그래프 그리는 중인데 2단계 지방비 총액이 얼마였어?", ro_engine.index)
    assert not q.chart
    assert understand("국가혁신클러스터 예산 그래프 그려줘", ro_engine.index).chart


@pytest.mark.parametrize("question, first, not_first", [
    ("21년 클러스터 보도자료에 나온 산업부 지역경제총괄과 과장님이 송주호 과장님이었나? 누구였지", "서가람", "송주호"),
    ("TIPA 정식 명칭이 한국산업기술진흥원이었나?", "중소기업기술정보진흥원", "한국산업기술진흥원"),
    ("충북 혁신도시 협업과제가 스마트물류 거점이었나? 김천이랑 헷갈려", "스마트 교육시범도시", "물류"),
])
def test_a_name_said_as_a_guess_is_checked_not_asked_about(ro_engine: Engine, question: str, first: str,
                                                           not_first: str) -> None:
    line = lead(ask(ro_engine, question).text, 1)
    assert first in line and not_first not in line, line


def test_a_question_word_ending_like_a_guess_still_asks(ro_engine: Engine) -> None:
    assert "2월 16일" in lead(ask(ro_engine, "주력산업 개편 발표한 비상경제장관회의 며칠이었나요").text, 1)


def test_a_brief_named_as_where_to_look_is_no_subject(ro_engine: Engine) -> None:
    text = "저희 도심융합특구 관련해서 국토연 브리프에 광주가 무슨 유형으로 분류돼 있는지 알 수 있을까요?"
    assert "신도시형" in lead(ask(ro_engine, text).text, 1)


def test_can_is_no_request_for_a_list(ro_engine: Engine) -> None:
    text = "다음 주 보고 때문에 그러는데, 울산 클러스터 2단계 과제가 뭐였는지 좀 알려줄 수 있어?"
    assert "전기버스" in lead(ask(ro_engine, text).text, 1)
