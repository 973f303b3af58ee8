"""Arithmetic over budget cells: operands shown and cited, refusals where adding would be wrong."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from intents.engine import Engine
from tests.conftest import ask
from tests.scoring import lead


@pytest.mark.parametrize("question, first_line", [
    ("19년도 국가혁신클러스터 국비랑 지방비 합치면 얼마임?",
     "2019년 · 1단계 · 국비 507억원 + 2019년 · 1단계 · 지방비 217억원 = 724억원"),
    ("클러스터 비알앤디 1단계→2단계 몇억 줄었냐",
     "2018~2020년 · 1단계 소계 · 비R&D 213억원 − 2021~2022년 · 2단계 소계 · 비R&D 172억원 = 41억원"),
    ("지역협력혁신성장 국비 지방비 합치면?", "2023년 · 국비 107억원 + 2023년 · 지방비 459억원 = 566억원"),
    ("사회적경제혁신성장 올해 총 얼마 들어가요?", "2023년 · 국비 210억원 + 2023년 · 지방비 210억원 = 420억원"),
    ("지역주력산업 R&D 신규랑 지역스타기업 R&D 신규 합치면 얼마야",
     "지역주력산업 R&D 2023년 · 신규 879억원 + 지역스타기업 R&D 2023년 · 신규 234억원 = 1,113억원"),
    ("지역스타기업 R&D 신규가 계속보다 얼마 많은지 계산 좀", "2023년 · 신규 234억원 − 2023년 · 계속 89억원 = 145억원"),
    ("국가혁신클러스터 1단계 중에 총사업비 제일 컸던 해가 언제냐",
     "가장 많은 것: 2020년 · 1단계 · 합계 785억원 (비교한 3개 중)"),
    ("2023 산업부 지역사업 4개 중 국비 젤 많은 사업 뭐에요",
     "가장 많은 것: 지능형(스마트)특성화기반구축 2023년 · 국비 1,607억원 (비교한 4개 중)"),
    ("18~22년 중에 클러스터 총사업비 제일 많았던 해 언제야",
     "가장 많은 것: 2021년 · 2단계 · 합계 969억원 (비교한 5개 중)"),
    ("산업부 23년 4개 사업 중 국비 젤 큰 사업 뭐야",
     "가장 많은 것: 지능형(스마트)특성화기반구축 2023년 · 국비 1,607억원 (비교한 4개 중)"),
    ("산업부 4개 사업 중에 지방비가 국비보다 많은 사업도 있나?",
     "지방비가 국비보다 많은 사업: 지역협력혁신성장 (비교한 4개 중)"),
    ("클러스터 2단계 국비 중에 R&D가 차지하는 비율 몇 프로?",
     "2021~2022년 · 2단계 소계 · R&D 1,134억원 ÷ 2021~2022년 · 2단계 소계 · 국비 1,306억원 = 86.8%"),
    ("클러스터 2단계 국비를 14개 시도로 나누면 시도당 얼마꼴?",
     "2021~2022년 · 2단계 소계 · 국비 1,306억원 ÷ 14 = 93.3억원"),
    ("22년 클러스터 R&D + 비R&D + 지방비 다 더하면 얼마",
     "2022년 · 2단계 · R&D 504억원 + 2022년 · 2단계 · 비R&D 86억원 + "
     "2022년 · 2단계 · 지방비 253억원 = 843억원"),
    ("중기부 진흥계획 2864억이랑 산업부 추진계획 합하면 정확히 얼마야",
     "2023년도 지역산업진흥계획 2023년 · 합계 2,864억원 + "
     "2023년도 지역사업추진계획 2023년 · 합계 4,232억원 = 7,096억원"),
    # a program with no cells of its own: over its parts, the measure asked ("선정규모", "지원규모") of each,
    # a part lacking that measure looked for in its own parts (never added to them)
    ("지역특화산업육성사업 내역사업들 선정규모 합계 얼마?",
     "지역주력산업 R&D 2023년 1,207억원 + 지역스타기업 R&D 2023년 323억원 + "
     "지역주력산업지원 2023년 · 신규 259.1억원 = 1,789.1억원"),
    ("지역특화산업육성 세부사업 중 지원규모 가장 큰 건?",
     "가장 많은 것: 지역주력산업 R&D 자유공모 2023년 688억원 (비교한 5개 중)"),
    ("주력산업R&D랑 스타기업R&D 선정규모 더하면",
     "지역주력산업 R&D 2023년 1,207억원 + 지역스타기업 R&D 2023년 323억원 = 1,530억원"),
    # a kind word beside a named program names the program of that kind (클러스터 → 국가혁신클러스터육성사업)
    ("지역협력혁신성장이랑 클러스터 23년 국비 더하면",
     "지역협력혁신성장 2023년 · 국비 107억원 + 국가혁신클러스터육성사업 2023년 · 국비 929억원 = 1,036억원"),
    ("국가혁신클러스터 지방비 가장 많이 들어간 연도 어디?",
     "가장 많은 것: 2020년 · 1단계 · 지방비 273억원 (비교한 5개 중)"),
    # each name reads the figures of the documents that use it
    ("국가혁신클러스터 18~22년 국비랑 지방비 차이",
     "2018~2022년 · 국비 2,509억원 − 2018~2022년 · 지방비 1,020억원 = 1,489억원"),
    ("지역혁신협력지구 18~22년 국비랑 지방비 차이",
     "2018~2022년 · 국비 3,759억원 − 2018~2022년 · 지방비등 2,659억원 = 1,100억원"),
])
def test_the_computed_figure_comes_first_with_its_operands(ro_engine: Engine, question: str, first_line: str) -> None:
    reply = ask(ro_engine, question)
    lines = reply.text.splitlines()
    assert lines[1] == first_line, reply.text
    assert "출처:" in reply.text and reply.sources


def test_operands_are_listed_with_their_cells(ro_engine: Engine) -> None:
    text = ask(ro_engine, "19년도 국가혁신클러스터 국비랑 지방비 합치면 얼마임?").text
    assert "• 2019년 · 1단계 · 국비: 507억원 (1단계 '19 국비)" in text
    assert "• 2019년 · 1단계 · 지방비: 217억원 (1단계 '19 지방비)" in text


@pytest.mark.parametrize("question, why", [
    ("국가혁신클러스터 2019년 국비랑 지방비랑 합계 다 더하면", "두 번"),          # a subtotal and its own parts
])
def test_a_sum_that_would_be_wrong_is_refused_saying_why(ro_engine: Engine, question: str, why: str) -> None:
    reply = ask(ro_engine, question)
    assert reply.text.startswith("계산하지 않았습니다: ") and why in reply.text, reply.text
    assert "억원 =" not in reply.text


def test_units_are_converted_exactly(ro_engine: Engine) -> None:
    from decimal import Decimal

    from intents.answers.compute import eok, show
    assert show(eok({"amount": 25910, "unit": "백만원"}) or Decimal(0)) == "259.1억원"
    assert eok({"amount": 3, "unit": "조원"}) == Decimal(30000)
    assert eok({"amount": 5, "unit": "명"}) is None   # not money: never added to 억원


@pytest.mark.parametrize("question, computed", [
    ("1단계 신규 일자리 중 정규직은 대략 몇 명이야?", "약 566명 = 649명 × 87.2% (565.9명; 정규직 비율)"),
    ("클러스터 1단계 일자리 중 청년 일자리는 몇 명 정도 돼?", "약 454명 = 649명 × 70% (454.3명; 청년 일자리 비율)"),
    ("국가혁신클러스터 1단계 기업유치 중 수도권 아닌 기업은 몇 건이야",
     "중핵기업 유치 122건 − 수도권 기업 유치 47건 = 75건"),
    ("1단계 기업유치 122건에서 수도권 기업 빼면 몇 건이야", "중핵기업 유치 122건 − 수도권 기업 유치 47건 = 75건"),
    ("지역주력산업 개편후 주축산업이랑 미래신산업 합치면 몇 개?", "주축산업 수 41개 + 미래신산업 수 19개 = 60개"),
    ("주축산업이랑 미래신산업 개수 합치면 기존 주력산업 48개보다 몇 개 많아?",
     "(주축산업 수 41개 + 미래신산업 수 19개) = 60개; − 기존 주력산업 수 48개 = 12개"),
])
def test_results_are_computed_with_their_operands(ro_engine: Engine, question: str, computed: str) -> None:
    reply = ask(ro_engine, question)
    assert reply.text.splitlines()[1].split(" · ")[0] == computed, reply.text
    assert "출처:" in reply.text


def test_of_two_documents_that_disagree_the_one_the_question_points_to_is_used(
        ro_engine: Engine) -> None:
    text = ask(ro_engine, "지역경제위원회 자료 기준으로 국가혁신클러스터 18~22 국비랑 지방비 차이").text
    assert text.splitlines()[1] == "2018~2022년 · 국비 3,759억원 − 2018~2022년 · 지방비등 2,659억원 = 1,100억원"
    assert "출처: 2023년 제1차 지역경제위원회 공동개최" in text


def test_a_total_the_table_does_not_print_is_the_sum_of_its_sources_and_each_figure_names_its_document(
        ro_engine: Engine) -> None:
    text = ask(ro_engine, "국가혁신클러스터 총사업비 2023년이 2022년보다 얼마 많아?").text
    assert text.splitlines()[1] == ("2023년 · 국비+지방비(929억원+433억원) 1,362억원 − "
                                    "2022년 · 2단계 · 합계 843억원 = 519억원")
    assert "[중소벤처기업부·산업통상자원부 2023-02-27]" in text and "[산업통상자원부 2021-03-02]" in text


def test_figures_from_two_documents_each_name_their_own(ro_engine: Engine) -> None:
    lines = ask(ro_engine, "클러스터 18~22 국비").text.splitlines()
    assert "• 2018~2022년 · 국비: 2,509억원 [산업통상자원부 2021-03-02]" in lines
    assert "• 2018~2022년 · 국비: 3,759억원 [중소벤처기업부·산업통상자원부 2023-02-27]" in lines


def test_two_amounts_the_asker_gives_are_computed_and_each_found_in_the_data(ro_engine: Engine) -> None:
    text = ask(ro_engine, "중기부 2864억이랑 산업부 4232억 더하면 정확히 얼마?").text
    assert text.splitlines()[1] == "2,864억원 + 4,232억원 = 7,096억원"
    assert "• 4,232억원: 2023년도 지역사업추진계획 2023년 · 합계" in text


def test_this_year_is_the_messages_year_or_the_latest_the_data_has(ro_engine: Engine) -> None:
    seoul = ZoneInfo("Asia/Seoul")
    later = ask(ro_engine, "지역혁신협력지구 올해 지방비", now=datetime(2026, 12, 2, 10, tzinfo=seoul)).text
    assert "2023년 · 지방비: 433억원" in later.splitlines()[1]
    assert "올해(2026년) 예산은 자료에 없어, 자료의 가장 최근 연도인 2023년" in later
    same = ask(ro_engine, "지역혁신협력지구 올해 국비가 지방비보다 얼마 많아",
               now=datetime(2023, 3, 2, 10, tzinfo=seoul)).text
    assert same.splitlines()[1] == "2023년 · 국비 929억원 − 2023년 · 지방비 433억원 = 496억원"
    assert "올해(" not in same


def test_documents_that_disagree_are_computed_each_on_its_own(ro_engine: Engine) -> None:
    # the 2021 release and the 2023 지역경제위원회 give other 18~22 totals: each document's arithmetic, cited,
    # never an operand of one with an operand of the other
    text = ask(ro_engine, "클러스터 18~22년 국비랑 지방비 차이").text
    assert lead(text, 1) == ("2018~2022년 · 국비 2,509억원 − 2018~2022년 · 지방비 1,020억원 = 1,489억원 "
                             "[산업통상자원부 2021-03-02] / 2018~2022년 · 국비 3,759억원 − 2018~2022년 · 지방비등 "
                             "2,659억원 = 1,100억원 [중소벤처기업부·산업통상자원부 2023-02-27]")
    assert "자료마다 금액이 달라 자료별로 계산했습니다" in text
    pointed = ask(ro_engine, "23년 지역경제위 자료 기준 클러스터 18~22년 국비랑 지방비 차이").text
    assert lead(pointed, 1).startswith("2018~2022년 · 국비 3,759억원 − ") and "2,509" not in pointed


def test_a_funding_said_as_included_in_a_total_is_added_not_a_filter(ro_engine: Engine) -> None:
    first = lead(ask(ro_engine, "2단계 클러스터 지방비 까지 합친 총액은?").text, 1)
    assert "1,306억원" in first and "506억원" in first and "1,812억원" in first
    assert "1,812" not in lead(ask(ro_engine, "클러스터 2단계 지방비 얼마").text, 1)


@pytest.mark.parametrize("question", ["1단계 중핵기업 유치 중 수도권 기업 빼면 몇 건임?",
                                      "1단계 중핵기업 유치한 것 중 수도권 아닌 기업은 몇 건이야?"])
def test_two_results_named_without_their_program_are_computed(ro_engine: Engine, question: str) -> None:
    text = ask(ro_engine, question).text
    assert "중핵기업 유치 122건 − 수도권 기업 유치 47건 = 75건" in text.splitlines()[1]


@pytest.mark.parametrize("question, line", [
    # 거야 (the bound noun 것 with a copula) is no topic; 1단계 대비 2단계 is a difference
    ("클러스터 R&D 1단계 대비 2단계 몇억 늘어난 거야?", "= 144억원"),
    # a + between names lists them; 선도기업 is the sibling 지역혁신 선도기업
    ("지역주력산업 R&D 자유공모+품목지정+선도기업 지원규모 합계",
     "688억원 + 지역주력산업 R&D 품목지정 2023년 108억원 + 지역주력산업 R&D 지역혁신 선도기업 2023년 83억원 = 879억원"),
])
def test_sums_and_differences_said_tersely(ro_engine: Engine, question: str, line: str) -> None:
    assert line in ask(ro_engine, question).text.splitlines()[1]


def test_a_region_said_with_a_particle_before_another_regions_name_shares_it(ro_engine: Engine) -> None:
    # 경북이랑 강원 클러스터: both clusters; 합치면? asks the sum, not whether
    text = ask(ro_engine, "경북이랑 강원 클러스터 성과사례 국비 합치면?").text
    line = text.splitlines()[1]
    assert "국비 70.7억원 + 강원 국가혁신클러스터" in line and line.endswith("국비 15.2억원 = 85.9억원")


def test_a_name_under_two_parents_is_the_one_under_the_parent_most_named_beside_it(ro_engine: Engine) -> None:
    # 지역혁신 선도기업: the 진흥계획's item and the R&D 내역사업; 자유공모 and 품목지정 are under the R&D one
    text = ask(ro_engine, "지특 지역주력산업 R&D 자유공모, 품목지정, 지역혁신 선도기업 예산 다 더하면?").text
    assert text.splitlines()[1].endswith("지역주력산업 R&D 지역혁신 선도기업 2023년 83억원 = 879억원")


@pytest.mark.parametrize("question, line", [
    # 국비+지방비 합치면 of a kind's program: computed before its facts; 육성, a word of its own names, says nothing
    ("23년 클러스터 육성 국비+지방비 합치면?", "2023년 · 국비 929억원 + 2023년 · 지방비 433억원 = 1,362억원"),
    # a clause that says what to compute (…합쳐서) is no context
    ("주력산업 개편하면 주축산업+미래신산업 합쳐서 몇개 분야?", "주축산업 수 41개 + 미래신산업 수 19개 = 60개"),
])
def test_computations_asked_of_a_kind_or_in_a_clause(ro_engine: Engine, question: str, line: str) -> None:
    assert line in ask(ro_engine, question).text.splitlines()[1]


def test_two_ministries_budgets_are_each_ones_plan_total_added(ro_engine: Engine) -> None:
    first = lead(ask(ro_engine, "중기부랑 산업부 23년 예산 합치면 얼마야").text, 1)
    assert "2,864억원" in first and "4,232억원" in first and "7,096억원" in first, first


@pytest.mark.parametrize("question, first", [
    ("클러스터 사업기간 몇 년짜리야?", "10년"),
    ("국가혁신클러스터 사업 기간 당초보다 몇 년 늘었어", "10년 − 7년 = 3년"),
])
def test_a_length_in_years_is_read_from_the_facts_and_a_change_computed(ro_engine: Engine, question: str,
                                                                        first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


def test_of_two_programs_named_for_a_budget_the_one_with_budget_rows_is_asked(ro_engine: Engine) -> None:
    assert "15.2억원" in lead(ask(ro_engine, "강원 클러스터 디지털헬스케어 성과 사례 예산 얼마").text, 1)


@pytest.mark.parametrize("question", [
    "TF 협업과제 국비 새로 얼마 반영됐어?",                       # a program of another kind, naming the kind
    "기재부랑 국토부가 협업과제 지원용으로 반영한 내년 국비 얼마야",   # organisations leading none of them
])
def test_the_money_of_a_kind_named_is_its_programs(ro_engine: Engine, question: str) -> None:
    assert "450억원" in lead(ask(ro_engine, question).text, 1)


@pytest.mark.parametrize("question", ["협업과제 450억 중에 부산에 배정된 건 얼마야", "에너지밸리 협업과제 예산 얼마야"])
def test_a_part_or_a_place_does_not_take_its_programs_money(ro_engine: Engine, question: str) -> None:
    assert "450억" not in lead(ask(ro_engine, question).text, 1)


def test_daebi_before_rnd_is_compared_with_not_non_rnd(ro_engine: Engine) -> None:
    first = lead(ask(ro_engine, "클러스터 1단계 국비 소계 대비 R&D 소계 비중 몇 %야? 계산 좀").text, 1)
    assert "990억원 ÷" in first and "82.3%" in first, first


def test_two_results_asked_at_once_are_both_on_the_first_line(ro_engine: Engine) -> None:
    first = lead(ask(ro_engine, "클러스터 1단계 일자리 몇 명이랑 중핵기업 몇 개 유치했어?").text, 1)
    assert "649명" in first and "122" in first, first


@pytest.mark.parametrize("question, first", [
    ("23년 지역사업추진계획 4개 사업 중에 국비 제일 많은 게 뭐야?",
     "특성화기반구축 2023년 · 국비 1,607억원 (비교한 4개 중)"),
    ("지역사업추진계획 4개 사업 중에 국비 젤 적은 건?", "지역협력혁신성장 2023년 · 국비 107억원 (비교한 4개 중)"),
])
def test_a_plans_programs_are_compared_in_one_year_including_those_filed_under_it(ro_engine: Engine, question: str,
                                                                                  first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


@pytest.mark.parametrize("question, first", [
    ("1단계 유치한 중핵기업 122건 중에 수도권 기업 빼면 몇 건?", "122건 − 수도권 기업 유치 47건 = 75건"),
    ("클러스터 2단계('21~'22) 국비 지방비 다 합쳐서 얼마야?", "= 1,812억원"),   # a phase's subtotal is its period's
    ("산업부 지역사업 4개중에 지방비 젤 많은거 뭐임", "특성화기반구축 2023년 · 지방비 689억원"),
    ("산업부 올해 지역사업 4개 중에 지방비가 국비보다 많은 사업 있어?", "지역협력혁신성장"),
])
def test_computations_found_by_their_words(ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


@pytest.mark.parametrize("question, first", [
    ("국가혁신클러스터 국비 제일 많이 들어간 해가 언제였어 18년부터 22년 중에",
     "2021년 · 2단계 · 국비 716억원 (비교한 5개 중)"),
    ("국가혁신클러스터 2단계 총사업비 지방비까지 합쳐서 얼마야", "= 1,812억원"),
])
def test_a_span_of_years_and_a_source_of_money_added_in_other_words(ro_engine: Engine, question: str,
                                                                     first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)
