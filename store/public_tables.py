"""What the read-only web view may show, declared once: each public table, its columns in Korean with the SQL
that reads them from the live database (attached as `live`), and the saved queries. Nothing else reaches the
view-only copy: no users, audit, choices, chats, settings, links, and no column holding a Telegram id."""

from dataclasses import dataclass

from store.people import LOCAL_OPERATOR


@dataclass(frozen=True)
class Column:
    """One column of a public table: its Korean name, the SQL over the live tables, what it means."""

    name: str
    expr: str
    about: str          # shown under the table when it says more than the name
    type: str = "TEXT"
    refers: str | None = None   # a public table whose primary key this column holds (Datasette shows its label)


@dataclass(frozen=True)
class PublicTable:
    """One table of the view-only copy: its rows are `SELECT <columns> FROM <source>` over the live database."""

    name: str
    title: str
    about: str
    source: str
    columns: tuple[Column, ...]
    key: str | None = None              # the primary key column (the first column when set)
    label: str | None = None            # the column shown for a row where another table refers to it
    facets: tuple[str, ...] = ()
    sort_desc: str | None = None
    # an append-only history: live rows are only ever added, under a growing id (`grows`), so a refresh copies
    # the new ones, and again the older rows a new one changes (`touches`: the id of the row it takes back)
    grows: str | None = None
    touches: str | None = None


@dataclass(frozen=True)
class SavedQuery:
    """A query over the view-only copy offered by name (Datasette's canned queries)."""

    name: str    # its address: /tfbot/<name>
    title: str
    about: str
    sql: str


def _c(name: str, expr: str, about: str = "", type: str = "TEXT", refers: str | None = None) -> Column:
    return Column(name, expr, about, type, refers)


_SOURCE = _c("출처", "{a}.source", refers="sources")
# who logged an entry, as the bot names them: never the Telegram id
_WRITER = (f"CASE WHEN coalesce(p.user_name, '') != '' THEN p.user_name WHEN p.user_id = {LOCAL_OPERATOR} "
           "THEN '로컬 운영자' WHEN p.user_id IS NULL THEN 'tfbot(자동)' ELSE '이름 없는 사용자' END")
# a task's latest entry that was not taken back (store/progress.py), found newest first through progress_task
_LATEST = ("(SELECT q.id FROM live.progress q WHERE q.task = t.id AND q.reverses IS NULL AND NOT EXISTS "
           "(SELECT 1 FROM live.progress r WHERE r.reverses = q.id) ORDER BY q.id DESC LIMIT 1)")


def _when(column: str) -> str:
    """A time the bot wrote (ISO, with its offset) as `2026-11-23 10:00`, local to the TF as the bot shows it."""
    return f"substr(replace({column}, 'T', ' '), 1, 16)"


def _phones(kind: str, alias: str) -> str:
    return (f"(SELECT group_concat(display, ', ') FROM live.phones WHERE owner_kind = '{kind}' "
            f"AND owner_id = {alias}.id)")


def _with_source(alias: str, *columns: Column) -> tuple[Column, ...]:
    return (*columns, Column(_SOURCE.name, _SOURCE.expr.format(a=alias), _SOURCE.about, refers="sources"))


TABLES: tuple[PublicTable, ...] = (
    PublicTable(
        "tasks", "과제", "협업과제·대표프로젝트·우수과제와 각각의 최근 진행 기록(상태·진행률·기록일시·메모·기록자: "
        "/undo로 되돌린 기록은 빼고 가장 최근 것).",
        f"live.tasks t LEFT JOIN live.progress p ON p.id = {_LATEST}",
        _with_source("t",
            _c("id", "t.id"),
            _c("과제명", "t.name"),
            _c("유형", "t.kind", "협업과제, 대표프로젝트, 우수과제"),
            _c("상태", "coalesce(p.status, '기록 없음')", "계획, 진행, 지연, 보류, 완료, 기록 없음"),
            _c("진행률", "p.percent", type="INTEGER"),
            _c("기록일시", _when("p.at")),
            _c("메모", "p.note"),
            _c("기록자", f"CASE WHEN p.id IS NULL THEN NULL ELSE {_WRITER} END"),
            _c("주관기관", "t.lead", refers="organisations"),
            _c("지역", "t.region"),
            _c("상위과제", "t.parent", "대표프로젝트가 속한 협업과제", refers="tasks"),
            _c("혁신도시", "t.innovation_city"),
            _c("분야", "t.area"),
            _c("부처", "t.ministry", refers="organisations"),
            _c("기간", "t.period"),
            _c("요약", "t.summary"),
        ),
        key="id", label="과제명", facets=("상태", "유형", "지역", "주관기관"), sort_desc="유형",   # 협업과제 first
    ),
    PublicTable(
        "progress", "진행 기록", "/log로 남긴 진행 기록 전체. 고쳐 쓰지 않고 쌓이며, /undo는 되돌리는 기록을 "
        "새로 남깁니다.",
        "live.progress p",
        (
            _c("id", "p.id", type="INTEGER"),
            _c("과제", "p.task", refers="tasks"),
            _c("기록일시", _when("p.at")),
            _c("진행률", "p.percent", type="INTEGER"),
            _c("상태", "p.status"),
            _c("메모", "p.note"),
            _c("기록자", _WRITER),
            _c("되돌린기록", "p.reverses", "이 기록이 되돌린 기록 (/undo)", "INTEGER", refers="progress"),
            _c("유효", "CASE WHEN p.reverses IS NOT NULL THEN '되돌림' WHEN EXISTS (SELECT 1 FROM live.progress r "
                     "WHERE r.reverses = p.id) THEN '되돌려짐' ELSE '유효' END",
               "유효, 되돌려짐(나중에 /undo로 취소됨), 되돌림(취소하는 기록)"),
        ),
        key="id", facets=("상태", "과제", "유효"), sort_desc="id", grows="p.id", touches="p.reverses",
    ),
    PublicTable(
        "programs", "사업", "사업·계획·클러스터·특구 등 과제 밖의 사업.", "live.programs g",
        _with_source("g",
            _c("id", "g.id"),
            _c("사업명", "g.name"),
            _c("유형", "g.kind"),
            _c("상위사업", "g.parent", refers="programs"),
            _c("주관기관", "g.lead", refers="organisations"),
            _c("부처", "g.ministry", refers="organisations"),
            _c("지역", "g.region", "시·도 (여러 곳이면 | 로 나눔)"),
            _c("기간", "g.period"),
            _c("분야", "g.area"),
            _c("요약", "g.summary"),
        ),
        key="id", label="사업명", facets=("유형", "상위사업"),
    ),
    PublicTable(
        "budgets", "예산", "사업별 예산 (억원 또는 백만원). 소계·합계 행과 그 항목 행이 함께 있으니 "
        "더할 때는 '합계행'으로 나누어 보세요.",
        "live.budgets b LEFT JOIN live.programs g ON g.id = b.program",
        _with_source("b",
            _c("id", "b.id"),
            _c("사업", "b.program", refers="programs"),
            _c("지역", "CASE WHEN g.region LIKE '%|%' THEN '여러 지역' ELSE coalesce(g.region, '지역 미지정') END",
               "사업의 시·도 (여러 시·도에 걸친 사업은 '여러 지역', 시·도가 없는 사업은 '지역 미지정')"),
            _c("대상지역", "g.region"),
            _c("연도", "b.year", type="INTEGER"),
            _c("단계", "b.phase", type="INTEGER"),
            _c("기간", "b.period"),
            _c("재원", "b.funding"),
            _c("분류", "b.category"),
            _c("신규계속", "b.scope"),
            _c("금액", "b.amount", "단위 열의 단위로", "INTEGER"),
            _c("단위", "b.unit"),
            _c("합계행", "CASE WHEN b.is_total THEN '소계·합계' ELSE '항목' END",
               "소계·합계 행인지, 항목 행인지"),
            _c("항목명", "b.label"),
            _c("비고", "b.note"),
        ),
        key="id", label="항목명", facets=("사업", "지역", "연도", "재원", "합계행"),
    ),
    PublicTable(
        "organisations", "기관", "부처·지자체·공공기관·평가단 등.", "live.organisations o",
        _with_source("o",
            _c("id", "o.id"),
            _c("기관명", "o.name"),
            _c("유형", "o.kind"),
            _c("지역", "o.region"),
            _c("주소", "o.address"),
            _c("상위기관", "o.parent", refers="organisations"),
            _c("전화", _phones("organisation", "o")),
            _c("비고", "o.note"),
        ),
        key="id", label="기관명", facets=("유형", "지역"),
    ),
    PublicTable(
        "contacts", "담당자", "원문 자료와 가져오기·문서로 더해진 담당자와 연락처.", "live.contacts c",
        _with_source("c",
            _c("id", "c.id"),
            _c("이름", "c.person"),
            _c("직위", "c.title"),
            _c("역할", "c.role"),
            _c("기관", "c.organisation", refers="organisations"),
            _c("부서", "c.department"),
            _c("전화", _phones("contact", "c")),
            _c("비고", "c.note"),
            _c("기준일", "c.as_of", "이 정보의 기준일"),
        ),
        key="id", label="이름", facets=("기관", "역할"),
    ),
    PublicTable(
        "meetings", "회의", "원문 자료의 회의·일정과 /meeting으로 잡은 회의. 참석·불참은 답한 사람 수만 보입니다.",
        "live.meetings m",
        _with_source("m",
            _c("id", "m.id"),
            _c("회의명", "m.title"),
            _c("유형", "m.kind"),
            _c("시작", _when("m.start"), "날짜만, 또는 달만 있을 수 있음"),
            _c("종료", _when('m."end"')),
            _c("장소", "m.place"),
            _c("방식", "m.mode"),
            _c("주재", "m.chairs"),
            _c("참석대상", "m.attendees"),
            _c("사업", "m.program", refers="programs"),
            _c("상태", "m.status"),
            _c("참석", "(SELECT count(*) FROM live.meeting_responses r WHERE r.meeting = m.id "
                     "AND r.response = '참석')", "참석한다고 답한 사람 수", "INTEGER"),
            _c("불참", "(SELECT count(*) FROM live.meeting_responses r WHERE r.meeting = m.id "
                     "AND r.response = '불참')", "불참한다고 답한 사람 수", "INTEGER"),
            _c("비고", "m.note"),
        ),
        key="id", label="회의명", facets=("상태", "유형", "방식"), sort_desc="시작",
    ),
    PublicTable(
        "agenda_items", "회의 안건", "회의의 세부 일정과 안건.", "live.agenda_items a",
        _with_source("a",
            _c("id", "a.id"),
            _c("회의", "a.meeting", refers="meetings"),
            _c("시작", "a.start"),
            _c("종료", 'a."end"'),
            _c("안건", "a.item"),
            _c("담당", 'a."by"'),
            _c("비고", "a.note"),
        ),
        key="id", label="안건", facets=("회의",),
    ),
    PublicTable(
        "task_owners", "과제 담당", "과제마다 따로 지정된 담당자·담당 기관 (없으면 과제의 주관기관이 담당). "
        "텔레그램 사용자로 지정된 담당은 보이지 않습니다.",
        "live.task_owners w WHERE w.owner_kind IN ('contact', 'organisation')",
        (
            _c("과제", "w.task", refers="tasks"),
            _c("담당자", "CASE WHEN w.owner_kind = 'contact' THEN w.owner_id END", refers="contacts"),
            _c("기관", "CASE WHEN w.owner_kind = 'organisation' THEN w.owner_id END",
               refers="organisations"),
            _c("지정일시", _when("w.added_at")),
        ),
        facets=("과제",),
    ),
    PublicTable(
        "fields", "육성 분야", "클러스터의 단계별 육성 분야.", "live.fields f",
        _with_source("f",
            _c("id", "f.id"),
            _c("사업", "f.program", refers="programs"),
            _c("단계", "f.phase", type="INTEGER"),
            _c("분야", "f.area"),
            _c("세부분야", "f.field"),
            _c("설명", "f.description"),
        ),
        key="id", label="세부분야", facets=("사업", "단계"),
    ),
    PublicTable(
        "results", "성과", "사업의 성과 지표.", "live.results r",
        _with_source("r",
            _c("id", "r.id"),
            _c("사업", "r.program", refers="programs"),
            _c("기간", "r.period"),
            _c("지표", "r.metric"),
            _c("값", "r.value"),
            _c("단위", "r.unit"),
            _c("비고", "r.note"),
        ),
        key="id", label="지표", facets=("사업",),
    ),
    PublicTable(
        "facts", "사실", "사업·회의에 대해 원문이 말하는 그 밖의 사실.", "live.facts x",
        _with_source("x",
            _c("id", "x.id"),
            _c("대상", "x.subject", "무엇에 대한 사실인지 (ID)"),
            _c("대상명", "coalesce((SELECT name FROM live.programs WHERE id = x.subject), (SELECT title FROM "
                        "live.meetings WHERE id = x.subject), (SELECT name FROM live.tasks WHERE id = x.subject), "
                        "(SELECT name FROM live.organisations WHERE id = x.subject))", "대상의 이름"),
            _c("항목", "x.attribute"),
            _c("내용", "x.value"),
        ),
        key="id", facets=("대상명", "항목"),
    ),
    PublicTable(
        "regions", "지역", "시·도.", "live.regions g",
        (
            _c("지역", "g.name"),
            _c("정식명칭", "g.full_name"),
            _c("유형", "g.kind"),
        ),
        key="지역", label="정식명칭",
    ),
    PublicTable(
        "sources", "출처 문서", "답과 자료의 출처: 원문 문서 네 건과 코디네이터가 보낸 보도자료.", "live.sources s",
        (
            _c("id", "s.id"),
            _c("제목", "s.title"),
            _c("발행", "s.issuer"),
            _c("날짜", "s.date"),
            _c("날짜비고", "s.date_note"),
            _c("파일", "s.file"),
        ),
        key="id", label="제목", facets=("발행",),
    ),
    PublicTable(
        "documents", "보도자료", "코디네이터가 보낸 보도자료(HWP, HWPX, PDF, 텍스트)의 본문.", "live.documents d",
        (
            _c("출처", "d.source", refers="sources"),
            _c("형식", "d.kind"),
            _c("글자수", "d.chars", type="INTEGER"),
            _c("등록일시", _when("d.added_at")),
            _c("본문", "d.text"),
        ),
        key="출처", facets=("형식",), sort_desc="등록일시",
    ),
)


def saved_queries(stale_days: int, utc_offset_minutes: int = 540) -> tuple[SavedQuery, ...]:
    """The saved queries; `stale_days` is when a 협업과제 with no new record counts as late (config [progress]),
    and the offset is the TF's time zone's, in which the copy shows times (Asia/Seoul: +540)."""
    now = f"julianday('now', '{utc_offset_minutes:+d} minutes')"
    return (
        SavedQuery(
            "late_tasks", "지연 과제",
            f"상태가 지연인 과제와, 완료되지 않았는데 {stale_days}일 넘게 진행 기록이 없는 협업과제 "
            "(tfbot이 담당자에게 알리는 것과 같은 기준). 지연이 먼저, 그다음 오래된 순서입니다.",
            "SELECT t.id, t.과제명, t.유형, t.지역, o.기관명 AS 주관기관, t.진행률, t.상태, t.기록일시, t.메모,\n"
            "  CASE WHEN t.상태 = '지연' THEN '상태: 지연'\n"
            "       WHEN t.기록일시 IS NULL THEN '진행 기록 없음'\n"
            f"       ELSE CAST({now} - julianday(t.기록일시) AS INTEGER) || '일째 기록 없음' END AS 사유\n"
            "FROM tasks t LEFT JOIN organisations o ON o.id = t.주관기관\n"
            "WHERE t.상태 = '지연'\n"
            f"   OR (t.유형 = '협업과제' AND t.상태 != '완료'\n"
            f"       AND (t.기록일시 IS NULL OR julianday(t.기록일시) < {now} - {stale_days}))\n"
            "ORDER BY t.상태 != '지연', t.기록일시 IS NOT NULL, t.기록일시, t.과제명",
        ),
        SavedQuery(
            "budgets_by_region", "지역별 예산",
            "예산 행을 사업의 시·도별로 (여러 시·도에 걸친 사업은 '여러 지역'). 지역을 적으면 그 시·도가 포함된 사업만 "
            "봅니다. 소계·합계 행과 항목 행이 함께 있어 더하지 않고 나열합니다.",
            "SELECT b.지역, g.사업명, b.연도, b.단계, b.기간, b.재원, b.분류, b.신규계속, b.금액, b.단위, b.합계행,\n"
            "  b.항목명, s.제목 AS 출처\n"
            "FROM budgets b LEFT JOIN programs g ON g.id = b.사업 LEFT JOIN sources s ON s.id = b.출처\n"
            "WHERE :지역 = '' OR b.대상지역 LIKE '%' || :지역 || '%'\n"
            "ORDER BY b.지역 IN ('여러 지역', '지역 미지정'), b.지역, g.사업명, b.연도 IS NULL, b.연도, b.단계, b.id",
        ),
    )
