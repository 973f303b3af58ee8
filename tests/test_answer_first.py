"""Answer what was asked: the asked fact on the first line after the header; what the data lacks, said so."""

import pytest

from intents.engine import Engine
from tests.conftest import ask
from tests.scoring import lead


@pytest.mark.parametrize("question, first", [
    # courtesy, context clauses, office nouns and colloquial endings do not veto; the asked fact leads
    ("부산 지역사업평가단 전화번호 좀 알려주세요", "051-315-9263"),
    ("다음 주 대구 평가단 현장방문 가는데 사무실 주소가 어떻게 돼요?", "경대로17길 47"),
    ("대전평가단 문의전화 몇 번이야", "864-4271"),
    ("보고서 쓰는 중인데 대구지역사업평가단 대표번호 좀", "818-9564"),
    ("충북 지역사업평가단 사무실 위치 알 수 있을까요? 오송이라고 들은 것 같은데", "오송생명1로"),
    ("중기부 지역혁신정책과 담당자 누구야", "최정민"),
    # a 협업과제's lead organisation, asked by region, agency alias or in words
    ("울산 혁신도시 협업과제 주관기관 어디예요?", "석유공사"),
    ("대구 협업과제는 어느 기관이 맡고 있어요?", "가스공사"),
    ("캠코가 주관하는 협업과제 뭐예요?", "부산형 청년창업허브 조성"),
    ("가스공사가 맡은 혁신도시 협업과제는?", "그린에너지 캠퍼스"),   # the organisation leads a part of the program
    ("중기부 지역산업진흥계획 총 투입 예산", "2,864억"),              # … or the program itself
    ("클러스터 2단계 보도자료 관련 문의는 누구한테 하면 돼?", "정병찬"),   # 관련 with 누구: its people, no list
    ("TIPA 누리집 알려줘", "tipa.or.kr"),                             # a fact kept under a program names it
    ("지식산업센터 건축비 지원 한도 얼마야", "70%"),                  # no budget rows: the fact that says it
    ("스테이션K는 어느 협업과제 소속이야?", "기업이전·산학연 클러스터 선도모델"),
    # lists name their rows in the first line; fields and types lead a card
    ("도심융합특구 지정된 데 어디어디냐", "광주, 대전, 부산"),
    ("제주 클러스터 분야 좀 알려주셈", "화장품"),
    ("도심융합특구 대전은 어떤 유형이야", "도시재생형"),
    ("지역경제위원회 모두발언 시간", "14:05~14:10"),
    # the whole entity asked: what it is, in one line (who leads it, where, its field, what it does)
    ("전남 클러스터", "에너지 신산업"),
    ("스테이션 K", "토지주택공사 · 경남 진주"),
    ("부산평가단", "엄궁로 70-16"),
    ("실버의료기 메카 어디야", "혁신도시 강원 원주"),
    # a typo after a region, a region choosing among tied names, a place said only in a clause of context
    ("강원 평가딘 전번 있나요", "258-2681"),
    ("전북 협엽과제 뭐였더라", "자산운용 중심 금융도시 조성"),   # found by its region: its name leads
    ("클러스터 1단계 일자리 창출 몇명이었지? 장관님 보고자료에 넣으려고요", "649명"),
    ("경북 사업평가단 문의전화 몇 번인가요? 경산에 있는 데요", "818-9503"),
    ("세종도 지역사업평가단 있어? 있으면 연락처", "863-9367"),
    ("대구 평가단 주소가 어디였더라? 경북대 안에 있다던데", "경대로17길 47"),
    # a result named by its note, or by a kind word beside its metric; the one that says most comes first
    ("클러스터 1단계 신규 일자리 중 정규직 비율", "87.2%"),
    ("국가혁신클러스터 1단계 청년 일자리 비중 몇 %던데", "70.0%"),
    ("1단계 클러스터 사업으로 중핵기업 몇 개 유치했냐", "122건"),
    ("클러스터 1단계 기업유치 중에 수도권 기업은 몇 건?", "47건"),
    # among names that fit alike, the one that also says another word of the question; the 협업과제 that has
    # 대표 프로젝트 when they are asked
    ("산업부 차관 실물경제 현장점검회의 바이오 분야는 언제 했어?", "2023년 2월 23일"),
    ("지역특화산업 온라인 사업설명회 날짜랑 시간 좀", "2023년 3월 6일"),
    ("지역특화산업 신청 접수 언제부터 받아요?", "2023년 3월 15일"),
    ("김천 스마트물류 과제 대표 프로젝트 알려줘", "스마트 물류시설 구축, 스마트 물류정보센터 조성"),
    # a program's budget, funding unsaid: every source of the same cell on the first line
    ("지능형 특성화 기반구축 사업 예산", "2023년: 국비 1,607억원 · 지방비 689억원"),
    ("국가혁신클러스터 2019년 예산", "2019년 · 1단계: 합계 724억원 · 국비 507억원 · 지방비 217억원"),
    # a word every row of a kind says of itself describes the kind, it does not veto the list
    ("초광역 협력권 중에 충북 강원 제주 묶인 거 협력산업이 뭐임", "생명공학(바이오)진단치료의료기기"),
    # a phase's own period, and a dated step of that phase
    ("국가혁신클러스터 3단계 기간", "3단계 기간: 2023~2027"),
    ("국가혁신클러스터 2단계 사업기간 어떻게 됐지?", "2단계 기간: 2021~2022"),
    ("국가혁신클러스터 3단계 착수 목표 시점", "3단계 사업 착수 목표 — 2023년"),
    # 모두 inside a name (모두발언) does not ask for a list
    ("위원회 모두발언 몇 시였는지 알려줘", "모두발언 시간: 14:05~14:10"),
    # words read as the nouns they are made of narrow a list (펀드임 → 펀드)
    ("가스공사 협업과제에 펀드 조성하는거 있었나? 무슨 펀드임", "중소기업 상생펀드 조성"),
    # a person named beside their ministry; a document's people; the desk line for 대표번호; an amount a
    # description states; a count a description states
    ("중기부 최정민 사무관 직통번호 알수있을까요", "044-204-7584"),
    ("23년 지역경제위원회 보도자료에 나온 산업부 지역경제총괄과장 이름 뭐냐", "송주호 과장"),
    ("팀장님이 물어보셔서요, 21년 3월 국가혁신클러스트 보도자료 담당 사무관 이름이 뭐임?", "정병찬 사무관"),
    ("지역혁신정책과 대표번호", "대표 연락처 — 중소벤처기업부 지역혁신정책과 (주관부처) ☎ 044-204-7587"),
    ("우수과제 중에 부산 청년 체험형 인턴 월 얼마 준다고 돼있었나", "월185만원"),
    ("수력원자력 기술이전 우수사례 몇 건 대상이었지", "총 67건 대상"),
    ("혁신도시 TF 킥오프 대면회의였나?", "방식: 영상회의"),
    # a year that dates a document says which document, not which year's figure
    ("21년 산업부 보도자료 표 기준으로 국가혁신클러스터 1,2단계 합계 총액은?", "합계 3,529억원"),
    ("23년 지역경제위 자료에 나온 지역혁신협력지구 지난 5년간 총 지원액", "6,418억원"),
    # a meeting with no date that meets as needed says so; a list asked for its fields names them
    ("권역별 TF 회의는 언제 열리는 거야? 정기회의임?", "정해진 날짜 없음 — 수시로 개최할 예정"),
    ("중점 확산 우수과제 3대 분야가 뭐뭐임", "분야 3개: 지역산업육성, 지역인재양성, 지역사회상생"),
    # a whole name typed with a typo after its region; a count asked of a result is not a status question
    ("팀장님이 물어봐서 그런데 전남지역사업평가딴 위치가 어디예요?", "그린로 370"),
    ("강원 디지털헬스케어 클러스터 기업 몇 개 유치했대요?", "기업 유치: 31건"),
    ("23년 지경위 보도자료에 산업부쪽 책임자 과장 누구임?", "송주호 과장"),   # that document's people
    ("23년 지경위 보도자료에 산업부 쪽 책임자 과장 누구로 돼있어?", "송주호 과장"),   # 돼있어 asks no list
    ("클러스터 1단계에서 일자리 몇 명 만들었어?", "일자리 창출: 649명"),   # the count, not a share of it
    ("광주전남 초광역 협력산업은 뭐로 돼있어?", "신재생에너지기반 지능형전력시스템"),   # the one row there saying so
    ("협업과제 실적 경영평가 반영하는 거 어디 담당이야? 진행 중이야?", "반영(기재부)"),   # a fact said whole
    ("지역혁신협력지구 경북 2단계 과제 뭐였지?", "경북 국가혁신클러스터 — 육성분야 2단계"),   # name, then answer
    # the last sentence asks; the one before checks a name
    ("지역혁신협력지구 예전 이름이 국가혁신클러스터 맞죠? 그거 21년 국비 얼마였어요", "716억원"),
    # a search names what it found on its first line
    ("석유공사 대표사업 중 풍력발전 관련된거 정확한 명칭?", "부유식 해상 풍력발전 개발"),
    # a count asked: the line that states one leads
    ("공공기관 중점 확산 우수과제 몇 개였죠", "16개 과제"),
    ("시군구연고산업 지원대상 기초지자체 몇 곳으로 한정했지?", "132"),
    # a word naming the subject's own kind asks nothing of it
    ("지역주력산업지원 내역사업 예산 얼마야", "259.1억원"),
    # 신규/계속 are the budget table's own split: said alone, they ask for that amount
    ("지역스타기업 R&D 계속 과제 쪽은?", "89억원"),
    # no budget cells, but its description says the funding asked
    ("그린스타트업타운은 국비로 뭘 지원해줘?", "복합허브센터 설계·조성비 국비 지원"),
    # a 내역사업 asked when its 사업's 신청 접수 is: that schedule, whose title's own words were said
    ("지역스타기업 R&D 신청 접수 마감 언제?", "2023년 3월 15일(수) ~ 3월 29일(수)"),
    # the law's name for the cluster program (seed 002, 근거: 국가혁신융복합단지의 육성)
    ("국가혁신융복합단지 2단계 사업비 총 얼마", "1,812억원"),
])
def test_the_asked_fact_is_on_the_first_line(ro_engine: Engine, question: str, first: str) -> None:
    reply = ask(ro_engine, question)
    assert first in lead(reply.text, 1), reply.text


@pytest.mark.parametrize("question", [
    "울산 평가단 담당자 이메일 주소 알려줄 수 있어?",
    "울산 평가단 팩스번호 알아?",
    "그린에너지 캠퍼스 구축 준공 예정일 알려줘",
    "협업과제 성과 보고대회 날짜 나왔어?",
    "도심융합특구 국비 지원 규모 얼마야",
    "기재부 쪽 혁신도시 TF 담당 사무관 연락처 있나요",
    "국가혁신클러스터 2단계 일자리 창출 실적 나왔어?",
    "2019년 지역특화산업육성사업 예산 얼마였음",   # its 세부사업 have 2023 cells only
    "기회발전특구 지정 요건",   # a kind word joined to what it is said of: 기회발전 is not in the data
    "지역스타기업 R&D 올해 몇 개 기업 뽑는대?",   # a count the card does not state
    "에너지밸리 입주기업 지금 몇 개야",
    "부산권 권역별 TF 회의 언제 어디서 했었지?",   # a meeting that says nothing of 부산
    "대구 그린에너지 캠퍼스 준공 언제 된대요?",   # two names fit and neither has a date: nothing to choose
    "450억 중에 대구 그린에너지 캠퍼스에 배정된 금액 얼마야",
    "경북 지역사업평가단 담당자 이름 뭐예요",   # the data names no person there
    "KIAT 산업혁신본부장 성함이 어떻게 되시죠",
])
def test_what_the_data_lacks_is_said_with_no_card(ro_engine: Engine, question: str) -> None:
    reply = ask(ro_engine, question)
    assert reply.entities == [] and reply.missed, reply.text
    assert "없습니다" in reply.text or "찾지 못했습니다" in reply.text


def test_a_decided_date_leads_before_an_undecided_one(ro_engine: Engine) -> None:
    first = lead(ask(ro_engine, "혁신도시 TF 회의 언제였어").text, 1)
    assert "2020년 9월 25일" in first and "미정" not in first


def test_a_sitting_a_program_never_held_is_not_in_the_data(ro_engine: Engine) -> None:
    reply = ask(ro_engine, "혁신도시 TF 2차 회의 날짜 나왔어?")
    assert reply.entities == [] and "2차 회의" in reply.text


@pytest.mark.parametrize("question, first", [
    ("혁신도시 활성화 TF 킥오프 언제였더라", "2020년 9월 25일"),
    ("10대 협업과제 처음 발표된 날이 언제야", "2020년 7월 30일"),
    ("TF 첫 회의 대면으로 했어 아니면 화상으로 했어?", "영상"),
])
def test_a_programs_dates_and_first_meeting_answer_when_and_how(ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


def test_a_result_that_says_more_of_the_question_leads_a_fact_that_says_less(ro_engine: Engine) -> None:
    # 기업 유치 (a result) names both words of "기업 유치"; 유치 의료 빅데이터 기관 (a fact) only one
    assert "기업 유치: 31건" in lead(ask(ro_engine, "강원 클러스터 기업 유치 실적 알려줘").text, 1)


def test_a_figure_a_fact_says_and_no_budget_cell_does_leads_the_budget(ro_engine: Engine) -> None:
    # 사업화매출 is no budget cell's word: the fact that states it is what "얼마" asks, before the 70.7억원 cell
    text = ask(ro_engine, "경북 전기차부품 사례 사업화매출 얼마나 나왔어").text
    assert "사업화 매출(296억원)" in lead(text, 1) and "70.7억원" in text
    # without such a word, the cell leads
    assert "국비: 70.7억원" in lead(ask(ro_engine, "경북 전기차부품 사례 국비 얼마였지").text, 1)


def test_the_name_a_subject_was_called_by_asks_nothing_of_its_facts(ro_engine: Engine) -> None:
    # 지역혁신협력지구 names the program; facts whose label says that name are not what "무슨 뜻" asks
    first = lead(ask(ro_engine, "지역혁신협력지구가 무슨 뜻이야").text, 1)
    assert "혁신거점들을 연계하여" in first and "14곳" not in first


def test_the_regions_of_a_listed_kind_are_counted_once_each(ro_engine: Engine) -> None:
    # 5개 협력권's 시·도, a region in two 협력권 counted once
    first = lead(ask(ro_engine, "협력권에 참여한 시도는 모두 몇 곳?").text, 1)
    assert "시·도 14곳 (겹치는 곳은 한 번)" in first


def test_a_phase_asked_picks_the_label_of_that_phase(ro_engine: Engine) -> None:
    # 지구 지정 기준 (1~2단계) and (3단계 예시): asked for 3단계, its own
    first = lead(ask(ro_engine, "클러스터 3단계 지구 지정 기준은 뭐야").text, 1)
    assert "3단계 예시" in first and "벨트형" in first


def test_the_measure_asked_picks_its_cell_and_the_programs_own_names_measure_nothing(ro_engine: Engine) -> None:
    # 선정규모 (a 신규 cell) beside 지원 규모 (the table's): the one asked
    assert "259.1억원 (선정규모" in lead(ask(ro_engine, "지역주력산업지원 선정규모 얼마?").text, 1)
    # 지역혁신협력지구, a name of the program found in some labels, is not a measure of them
    assert "150억원" in lead(ask(ro_engine, "지역혁신협력지구 2018년 R&D 얼마였어").text, 1)


def test_an_agenda_items_length_is_said_with_its_times(ro_engine: Engine) -> None:
    assert "14:35~15:25 (50분)" in lead(ask(ro_engine, "지역경제위원회 건의사항 토론은 몇 분 동안이야").text, 1)


@pytest.mark.parametrize("question, first", [
    # a field several rows share names them all, with or without a kind word; the plural 들 is grammar
    ("에너지 신산업 하는 곳 어디야", "충남 국가혁신클러스터, 광주 국가혁신클러스터, 전남 국가혁신클러스터"),
    ("클러스터 ICT융합 분야는 어느 지역들임", "부산 국가혁신클러스터, 대전 국가혁신클러스터"),
    # what the area is shown with (분류/유형) says it: not an unknown topic
    ("미래차 항공 유형 클러스터 어디어디", "울산 국가혁신클러스터, 경북 국가혁신클러스터"),
])
def test_a_shared_area_lists_its_rows(ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


def test_only_the_candidate_holding_the_asked_fact_is_meant(ro_engine: Engine) -> None:
    # 지역혁신 선도기업 names two programs; only the 내역사업 has 지원금 비중 (and 지원 기간)
    assert "지원금 비중: 80%" in lead(ask(ro_engine, "지역혁신 선도기업 지원금 비중은?").text, 1)
    # "몇 년까지 지원돼" asks how long: the fact whose label says 기간, not the card's year
    assert "지원 기간: 3년" in lead(ask(ro_engine, "지역혁신 선도기업 몇 년까지 지원돼?").text, 1)
    # a name said in a clause of context (… 자유공모는 2년이던데) picks none of the subject's facts
    text = ask(ro_engine, "지역주력산업R&D 자유공모는 2년이던데 지역혁신 선도기업 트랙은 몇년까지 지원돼?").text
    assert "지원 기간: 3년" in lead(text, 1) and "자유공모" not in lead(text, 1)


def test_a_name_listed_beside_its_siblings_is_the_sibling(ro_engine: Engine) -> None:
    text = ask(ro_engine, "지역주력산업 R&D 자유공모, 품목지정, 지역혁신 선도기업 중에 규모 젤 작은게 뭐임").text
    assert "지역혁신 선도기업 2023년 83억원 (비교한 3개 중)" in lead(text, 1)


@pytest.mark.parametrize("question, first", [
    ("대구는 가스공사잖아, 광주전남은 어디가 주도해?", "한국전력 (에너지밸리 조성)"),
    ("김천 협업과제 리드하는 공공기관 어디?", "도로공사"),   # 공공기관 어디: its last noun asks 기관 어디
])
def test_who_leads_a_region_or_city_is_the_first_line(ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


def test_a_region_with_no_task_names_no_lead(ro_engine: Engine) -> None:
    assert "주관기관" not in ask(ro_engine, "서울은 어디가 주도해?").text


def test_a_phone_asked_with_a_lead_word_is_the_organisations_phone_not_what_it_leads(ro_engine: Engine) -> None:
    # 주관 asks who leads; with 전화 of an organisation it names the 주관부처 desk line ("주관부서" its role)
    question = "지역특화산업육성사업 공고 관련해서 중기부 주관부서 문의 전화는 어디로 하면 돼요?"
    assert "044-204-7587" in lead(ask(ro_engine, question).text, 1)


def test_the_working_level_asked_by_its_name_is_the_meetings_document_desk(ro_engine: Engine) -> None:
    # 지역경제위원회 the body has no people; the meeting's document does: 실무 asks its 담당자 first
    first = lead(ask(ro_engine, "23년 지역경제위원회 건 산업부 실무 담당 사무관 연락처 좀 부탁드려요").text, 1)
    assert first.startswith("배은주 사무관") and "044-203-4413" in first


def test_which_city_is_asked_with_the_lead_said_of_the_task(ro_engine: Engine) -> None:
    assert "혁신도시 경북 김천" in lead(ask(ro_engine, "도공이 주도하는 협업과제는 어느 도시야?").text, 1)


@pytest.mark.parametrize("question, first", [
    ("도심융합특구 몇 군데 지정됐어?", "지역 3곳: 광주, 대전, 부산"),   # places counted: its 시·도
    ("지역주력산업 R&D 내역사업 몇 개야", "내역사업 3개"),
])
def test_a_count_no_line_states_counts_the_rows_under_it_or_its_places(
        ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


def test_a_count_of_something_the_data_does_not_hold_is_not_the_count_of_its_rows(ro_engine: Engine) -> None:
    reply = ask(ro_engine, "에너지밸리 입주기업 지금 몇 개야")
    assert "2개" not in lead(reply.text, 1)


def test_the_largest_of_a_listed_kind_is_computed_not_listed(ro_engine: Engine) -> None:
    first = lead(ask(ro_engine, "지역주력산업 R&D 내역사업 중에 젤 큰 거 뭐야").text, 1)
    assert "지역주력산업 R&D 자유공모 2023년 688억원 (비교한 3개 중)" in first


def test_asked_whether_a_named_program_is_in_a_region_it_is_not_in_the_answer_is_no(ro_engine: Engine) -> None:
    first = lead(ask(ro_engine, "전기자율차 협력권에 충남도 들어가 있나?").text, 1)
    assert first.startswith("아니요") and "전북, 대구, 경북" in first
    # a question word asks for something: not a yes/no question, and a region no row has is not found
    assert ask(ro_engine, "경기도 혁신도시 협업과제는 어느 기관이 주도해?").missed


def test_a_title_asked_of_a_programs_people_names_its_holder_without_a_phone(ro_engine: Engine) -> None:
    question = "회의록 정리하다 헷갈려서요, 혁신도시 TF 첫 회의 때 국토부 부단장 이름이 뭐였어요?"
    assert "김규현 부단장" in lead(ask(ro_engine, question).text, 1)


def test_a_count_asked_is_not_answered_by_a_fact_that_states_none(ro_engine: Engine) -> None:
    reply = ask(ro_engine, "지역혁신 선도기업 R&D 올해 선정 기업 몇 개야?")
    assert reply.missed and "평가 선정" not in reply.text


def test_the_same_cell_in_two_documents_leads_with_the_newer_unless_phases_are_named(ro_engine: Engine) -> None:
    assert "6,418억원" in lead(ask(ro_engine, "클러스터 지난 5년간 총 지원액 얼마였지?").text, 1)
    # 1~2단계 is the 2021 document's word: its cell
    assert "2,509억원" in lead(ask(ro_engine, "클러스터 1~2단계 국비 전체 합계 얼마야").text, 1)


def test_a_programs_name_asked_is_what_the_newest_document_calls_it(ro_engine: Engine) -> None:
    first = lead(ask(ro_engine, "국가혁신클러스터 지금은 이름 뭐로 바뀌었지?").text, 1)
    assert "지역혁신협력지구" in first and "(2023-02-27 자료)" in first and "이전: 국가혁신클러스터육성사업" in first
    # the name of someone no row names is still not found
    assert ask(ro_engine, "국토연구원 도심융합특구 브리프 쓴 연구위원 이름이 뭐에요").missed


@pytest.mark.parametrize("question, first", [
    ("지역경제위원회 모두발언 다음 순서 뭐야", "안건 의결 및 보고 시간: 14:10~14:35"),
    ("지경위 세부일정에서 지역별 건의사항 토론 끝나면 다음 순서 뭐야?", "마무리발언 시간: 15:25~15:30"),
    ("지경위 마무리발언 전에 뭐 했어", "지역별 건의사항 논의 및 토론"),
])
def test_the_agenda_item_after_or_before_a_named_one(ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


def test_a_clause_of_context_adds_no_topic_words(ro_engine: Engine) -> None:
    text = ask(ro_engine, "다음 주 장관님 보고자료 만드는 중인데요, 클러스터 1단계 사업화 매출 얼마였죠?").text
    assert "1446억원" in lead(text, 1)
    # a clause that asks itself (몇), or that ends the message, is the question, not context
    assert "70.0%" in lead(ask(ro_engine, "국가혁신클러스터 1단계 청년 일자리 비중 몇 %던데").text, 1)


def test_a_word_read_as_a_name_with_a_particle_of_a_thing_is_no_person(ro_engine: Engine) -> None:
    # 지원용으로: the analyser's person name, but said with 으로 in a question about money; 내년도 is no place
    question = "혁신도시 협업과제 지원용으로 내년도 정부안에 신규 반영된 국비가 얼마였는지 확인 부탁드립니다"
    assert "450억원" in lead(ask(ro_engine, question).text, 1)


def test_a_kind_word_naming_a_document_lists_nothing(ro_engine: Engine) -> None:
    question = ("지난번 클러스터 2단계 보도자료(21년 3월) 관련해서 산업부에 문의드리려고 하는데요, "
                "담당 사무관님이 누구셨는지 알 수 있을까요?")
    assert "정병찬 사무관" in lead(ask(ro_engine, question).text, 1)


def test_a_shared_area_lists_its_rows_when_their_program_is_named(ro_engine: Engine) -> None:
    first = lead(ask(ro_engine, "국가혁신클러스터 육성분야에서 에너지 신산업으로 묶인 시도는 어디어디인가요?").text, 1)
    assert "클러스터 4개: 충남 국가혁신클러스터, 광주 국가혁신클러스터" in first


def test_a_row_the_data_does_not_link_is_under_the_program_its_kind_names(ro_engine: Engine) -> None:
    # the 우수과제 are not linked to 공공기관 중점 확산 우수과제, whose name says their kind
    question = "중점 확산 우수과제에 청년 체험형 인턴십도 있어요? 있으면 인턴 월급이 얼마인지두요"
    assert "월185만원" in lead(ask(ro_engine, question).text, 1)


def test_an_organisation_said_as_the_doer_of_what_it_leads_is_not_the_subject(ro_engine: Engine) -> None:
    question = "지역 투자프로젝트 건의사항 정리하고 있는데요, 산업부가 지자체랑 발굴한 투자사업이 총 몇 건이었어요?"
    assert "550건" in lead(ask(ro_engine, question).text, 1)


@pytest.mark.parametrize("question, first", [
    ("혁신도시 TF 출범 보도자료 국토부 문의처 전화번호 아시는 분?", "044-201-4451"),   # 아시는 분: courtesy
    ("개편된 지역주력산업에서 미래신산업은 몇 개임?", "미래신산업 수: 19개"),   # facts naming the guess lack it
    ("강원 클러스터 2단계는 어떤 과제를 하나요", "개인재활 맞춤형 헬스케어 디바이스"),   # the phase's work
    ("저희 강원 클러스터 2단계 과제 내용 뭐로 돼 있었죠?", "개인재활 맞춤형 헬스케어 디바이스"),
])
def test_asked_after_courtesy_a_guess_or_a_phase(ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


@pytest.mark.parametrize("question, first", [
    # a reason said after the question (…물어봐서요) is context
    ("지특사업 전문기관 TIPA 쪽 문의전화 몇 번이에요? 저희 기관 입주기업이 물어봐서요", "044-300-0821"),
    # 과제명: a word for a name; the word before 이름 (정식) says which name, it narrows nothing
    ("그 에너지 쪽 협업과제 있잖아요 울산 석유공사가 하는 거, 과제명 정확히 뭐였지?", "친환경에너지융합클러스터조성"),
    ("건보공단 원주 협업과제 대표프로젝트 중에 센터 세우는 거 정식 이름이 뭐임?", "고령친화용품실증·연구센터설립"),
])
def test_names_asked_with_words_for_a_name_and_a_reason_after(ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


def test_words_of_context_ask_no_aspect_and_parentheses_gloss_a_name(ro_engine: Engine) -> None:
    # 지역 … 관련 said in a clause of context asks no region and lists no topic
    question = "지역 투자 애로 관련 보고서 쓰는 중인데요, 산업부랑 지자체가 같이 발굴한 투자사업 규모 몇 조였죠?"
    assert "65.2조원" in lead(ask(ro_engine, question).text, 1)
    # words in parentheses after a name describe it: the budget cell, not the fact that says them, leads
    glossed = "지역주력산업지원(시제품·인증 같은 기업지원서비스) 예산 얼마예요?"
    assert "259.1억원" in lead(ask(ro_engine, glossed).text, 1)


def test_words_the_date_or_qualifier_reader_took_name_nothing(ro_engine: Engine) -> None:
    # 내년도 (a date word), 신규 (a scope): the 협업과제 program's new 국비, not "nothing found"
    assert "450억원" in lead(ask(ro_engine, "내년도 정부안에 협업과제용으로 신규 반영된 국비 규모").text, 1)


@pytest.mark.parametrize("question, first", [
    ("광주 클러스터 1단계 때 뭐 개발했었지", "빌딩용 전력시스템(BEMS)"),   # 뭐 asks what: not whether it is done
    ("3단계 준비 일정 중에 시도별 세부 추진계획 수립은 언제쯤", "2021년 7월 ~ 12월"),   # the year said once
    ("경남도 전기자율차 초광역 협력권에 들어감?", "경남: 친환경지능형(스마트)조선해양"),   # no, and where it is
])
def test_what_was_done_a_span_in_one_year_and_where_a_place_is_instead(
        ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


def test_a_guessed_name_whose_candidate_says_more_is_not_a_facts_label(ro_engine: Engine) -> None:
    # 지역특화산업 guessed: not the 선도기업 fact whose label holds 지역특화산업 (지원 기간 3년 is no answer)
    assert "지원 기간 3년" not in lead(ask(ro_engine, "지역특화산업 신청 접수 기간").text, 1)


@pytest.mark.parametrize("question, first", [
    ("지역사업평가단 전국에 몇 군데야", "평가단 14개"),   # a name many rows end with is their kind; 전국 no 전북
    ("내일 균형위 회의 때문에 그러는데 클러스터 3단계는 언제까지야", "3단계 기간: 2023~2027"),   # context names known
    ("클러스터에 18~22년 5년 동안 총 얼마 지원했대?", "6,418억원"),   # 동안 names nothing
    ("주력산업 개편 후 주축산업하고 미래신산업 다 합치면 몇 개야", "주축산업 수 41개 + 미래신산업 수 19개 = 60개"),
    ("석유공사 주관 협업과제는 어느 혁신도시 거임?", "혁신도시 울산"),
    ("클러스터 육성분야 중 에너지 신산업은 어디어디 시도임?", "클러스터 4개: 충남 국가혁신클러스터"),
    ("제주에도 지역사업평가단 있어?", "첨단로 213-3"),   # a region before the name: that region's one
])
def test_after_the_last_file(ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


def test_what_a_meeting_holds_asked_as_a_list_is_its_agenda_not_a_topic(ro_engine: Engine) -> None:
    # 이번 names nothing; 지경위 only guessed, 안건 뭐뭐: the meeting's agenda, not programs on a topic
    first = lead(ask(ro_engine, "이번 지경위에서 의결된 안건 세 개 뭐뭐였지").text, 1)
    assert "의결안건: ①지역주력산업 개편 및 추진방향" in first


@pytest.mark.parametrize("question, first", [
    ("JDC 서귀포 협업과제 주제가 뭐죠?", "스마트 MICE 활성화"),   # 주제, like 내용, names nothing
    ("건보 원주 협업과제 명칭 정확히 알려줘", "실버의료기기 메카 조성"),   # 명칭 asks the name
])
def test_words_that_ask_what_a_row_is_called_or_about_narrow_nothing(
        ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


def test_a_period_no_label_states_is_the_line_that_says_how_long(ro_engine: Engine) -> None:
    question = "교육부 협의 들어가기 전에 확인하려고요, 고등교육 혁신 특화지역이면 규제 몇 년간 배제되는 거죠?"
    assert "4년간 배제" in lead(ask(ro_engine, question).text, 1)
    # a labelled period still leads where there is one
    assert "지원 기간: 3년" in lead(ask(ro_engine, "지역혁신 선도기업 몇 년까지 지원돼?").text, 1)


def test_a_count_said_in_native_numerals_states_it(ro_engine: Engine) -> None:
    first = lead(ask(ro_engine, "도심융합특구 핵심기능 몇 가지고 뭐뭐야").text, 1)
    assert "혁신, 창업, 기업지원, 정주환경의 네 가지" in first


@pytest.mark.parametrize("question, first, second", [
    ("도심융합특구 지정된 곳 어디어디야? 대구도 있었나", "광주, 대전, 부산", "아니요"),
    ("클러스터 육성분야 중 바이오 헬스 쪽 어디어디야? 대구도 들어가?", "제주 국가혁신클러스터", "예 — 대구"),
])
def test_a_place_said_with_do_beside_a_listing_is_checked_not_filtered(ro_engine: Engine, question: str, first: str,
                                                                       second: str) -> None:
    text = ask(ro_engine, question).text
    assert first in lead(text, 1) and second in lead(text, 2), text


def test_a_place_said_with_do_asking_one_fact_of_it_is_that_places(ro_engine: Engine) -> None:
    assert "자율" in lead(ask(ro_engine, "국가혁신클러스터 세종도 있어? 있으면 분야 뭐").text, 1)
    assert ask(ro_engine, "도심융합특구 대구도 지정됐어? 유형이 뭐야").entities == []


@pytest.mark.parametrize("question, first", [
    ("협업과제 추진실적은 어디에 반영한다고 했더라?", "경영평가"),   # a fact of the kind's program saying the words
    ("클러스터 3단계는 몇 년 착수가 목표였지?", "'23년 착수"),     # of its facts, the one saying most of the question
])
def test_a_kinds_program_fact_that_says_the_question_leads(ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)


def test_an_organisations_programs_of_a_year_are_those_with_money_that_year(ro_engine: Engine) -> None:
    first = lead(ask(ro_engine, "산업부 23년 지역사업 4개 사업명 쭉 알려줘").text, 1)
    assert first.startswith("4개:") and "클러스터" in first and "지역사업추진계획" not in first, first


def test_what_a_name_is_confused_with_is_set_aside_only_when_said_with_it(ro_engine: Engine) -> None:
    text = ("지경위 후속 정리하다가 헷갈려서요ㅠ 기존 주력산업 48개를 주축산업이랑 미래신산업으로 나눴잖아요, "
            "그 중에 주축산업이 몇 개였죠?")
    assert "41" in lead(ask(ro_engine, text).text, 1)


@pytest.mark.parametrize("question, first", [
    ("부산 평가단 부산테크노파크 몇 층 몇 호예요?", "1층 112호"),          # an office's place is its address
    ("1차관 현장 점검회의 했던 업종들 어디어디야?", "디스플레이, 철강, 기계"),   # a series named by its middle
    ("산업부 지역사업 4개 사업 이름 쭉 알려줘", "4개: 지역협력혁신성장"),       # the count said picks the year's
])
def test_where_an_office_is_a_series_and_a_count_said(ro_engine: Engine, question: str, first: str) -> None:
    assert first in lead(ask(ro_engine, question).text, 1)
