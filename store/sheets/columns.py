"""The spreadsheet layout, declared once: one sheet per kind of row, its Korean headers, each column's type and
whether it is required. The template, the importer's validation and the exporter all read these definitions."""

import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache

# column types
TEXT, INTEGER, AMOUNT, DATE, PHONE, REF, FLAG = "text", "integer", "amount", "date", "phone", "ref", "flag"
DAY = "day"   # a whole day, no time: a due date
TYPE_NAMES = {TEXT: "텍스트", INTEGER: "정수", AMOUNT: "금액(정수, 단위 열의 단위; 보통 억원)",
              DATE: "날짜 (2026-12-03, 2026-12-03 14:00, 2026-12, 2026)", DAY: "날짜 (2026-12-20, 시각 없이)",
              PHONE: "전화번호 (044-203-4418)",
              REF: "다른 시트의 ID 또는 이름", FLAG: "예 또는 빈칸"}
SEP = " | "   # several values in one cell, as the built-in dataset writes them


@dataclass(frozen=True)
class Column:
    """One column of a sheet: its Korean header, the row field it fills (`phones`, `aliases`, a task's `due`
    date and `table` are kept outside the row's own table), its type, whether a row must fill it, whether a
    cell holds several values (` | `), the tables a reference may name, the values it allows, and the one table
    it belongs to when a sheet holds two (None: all)."""

    header: str
    key: str
    type: str = TEXT
    required: bool = False
    multi: bool = False
    targets: tuple[str, ...] = ()
    choices: tuple[str, ...] = ()
    only: str | None = None
    width: int = 0   # export column width in characters; 0: from the header and the data

    def describe(self) -> str:
        """The column's rule in one line, for the template."""
        parts = [TYPE_NAMES[self.type]]
        if self.type == REF:
            parts = [f"{'·'.join(TARGET_NAMES[t] for t in self.targets)}의 ID 또는 이름"]
        if self.choices:
            parts.append("다음 중 하나: " + ", ".join(self.choices))
        if self.multi:
            parts.append("여러 개는 ' | '로 구분")
        if self.only:
            parts.append(f"{TABLE_WORDS[self.only]}만")
        parts.append("필수" if self.required else "선택")
        return " · ".join(parts)


@dataclass(frozen=True)
class Sheet:
    """One importable sheet: its name, the table(s) its rows live in, its columns in order, the columns whose
    values name a row when it has no ID, and the kind its phones and aliases are kept under."""

    name: str
    tables: tuple[str, ...]
    columns: tuple[Column, ...]
    match: tuple[str, ...]
    owner: dict[str, str]
    by_key: dict[str, Column] = field(init=False, repr=False, compare=False)
    headers: dict[str, str] = field(init=False, repr=False, compare=False)   # key -> header
    references: frozenset[str] = field(init=False, repr=False, compare=False)   # keys naming rows of a sheet
    only: tuple[Column, ...] = field(init=False, repr=False, compare=False)   # columns of one of its tables

    def __post_init__(self) -> None:
        object.__setattr__(self, "by_key", {c.key: c for c in self.columns})
        object.__setattr__(self, "headers", {c.key: c.header for c in self.columns})
        object.__setattr__(self, "references", frozenset(c.key for c in self.columns
                                                         if c.type == REF and c.targets != ("regions",)))
        object.__setattr__(self, "only", tuple(c for c in self.columns if c.only))

    def column(self, key: str) -> Column:
        """The column that fills `key`."""
        return self.by_key[key]

    @property
    def required(self) -> list[Column]:
        """The columns every row must fill (and every sheet must have)."""
        return [c for c in self.columns if c.required]


TARGET_NAMES = {"organisations": "기관", "programs": "사업", "tasks": "과제", "meetings": "회의", "regions": "지역"}
TABLE_WORDS = {"programs": "사업", "tasks": "과제"}   # the 구분 column of 사업·과제
ORG_KINDS = ("부처", "위원회", "지자체", "공공기관", "지원기관", "평가단", "연구기관", "기타")
PROGRAM_KINDS = ("사업", "내역사업", "클러스터", "협력권", "특구", "특구지구", "연계사업", "계획", "협업과제",
                 "대표프로젝트", "우수과제")
MEETING_KINDS = ("회의", "위원회", "설명회", "공고", "접수", "선정", "발표", "일정")
FUNDINGS = ("국비", "지방비", "정부", "지방비등", "합계")

ID = Column("ID", "id", width=26)

ORGANISATIONS = Sheet("기관", ("organisations",), (
    ID,
    Column("기관명", "name", required=True),
    Column("종류", "kind", required=True, choices=ORG_KINDS),
    Column("별칭", "aliases", multi=True),
    Column("지역", "region", REF, multi=True, targets=("regions",)),
    Column("주소", "address"),
    Column("전화", "phones", PHONE, multi=True),
    Column("상위 기관", "parent", REF, targets=("organisations",)),
    Column("비고", "note"),
), match=("name",), owner={"organisations": "organisation"})

PROGRAMS = Sheet("사업·과제", ("programs", "tasks"), (
    ID,
    Column("구분", "table", required=True, choices=tuple(TABLE_WORDS.values())),
    Column("이름", "name", required=True),
    Column("종류", "kind", required=True, choices=PROGRAM_KINDS),
    Column("별칭", "aliases", multi=True),
    Column("상위 사업·과제", "parent", REF, targets=("programs", "tasks")),
    Column("주관기관", "lead", REF, targets=("organisations",)),
    Column("소관 부처", "ministry", REF, targets=("organisations",)),
    Column("지역", "region", REF, multi=True, targets=("regions",)),
    Column("혁신도시", "innovation_city", only="tasks"),
    Column("기간", "period"),
    Column("기한", "due", DAY, only="tasks", width=14),
    Column("분야", "area"),
    Column("개요", "summary", width=60),
), match=("name",), owner={"programs": "program", "tasks": "task"})

CONTACTS = Sheet("담당자·연락처", ("contacts",), (
    ID,
    Column("이름", "person"),
    Column("직급", "title"),
    Column("역할", "role"),
    Column("기관", "organisation", REF, targets=("organisations",)),
    Column("부서", "department"),
    Column("전화", "phones", PHONE, multi=True),
    Column("비고", "note"),
    Column("기준일", "as_of", DATE),
), match=("person",), owner={"contacts": "contact"})

BUDGETS = Sheet("예산", ("budgets",), (
    ID,
    Column("사업", "program", REF, required=True, targets=("programs", "tasks")),
    Column("연도", "year", INTEGER),
    Column("단계", "phase", INTEGER),
    Column("기간", "period"),
    Column("구분", "category", choices=("R&D", "비R&D")),
    Column("재원", "funding", choices=FUNDINGS),
    Column("신규·계속", "scope", choices=("신규", "계속")),
    Column("금액", "amount", AMOUNT),
    Column("단위", "unit", choices=("억원", "백만원", "조원")),
    Column("합계 여부", "is_total", FLAG),
    Column("항목", "label"),
    Column("비고", "note"),
), match=("program", "year", "phase", "period", "category", "funding", "scope", "label"), owner={})

MEETINGS = Sheet("회의", ("meetings",), (
    ID,
    Column("회의명", "title", required=True),
    Column("종류", "kind", required=True, choices=MEETING_KINDS),
    Column("시작", "start", DATE),
    Column("종료", "end", DATE),
    Column("장소", "place"),
    Column("방식", "mode", choices=("대면", "영상", "온라인")),
    Column("주재", "chairs"),
    Column("참석 대상", "attendees"),
    Column("관련 사업", "program", REF, targets=("programs", "tasks")),
    Column("상태", "status", choices=("예정", "취소")),
    Column("비고", "note"),
), match=("title",), owner={})

# in the order the importer reads them: a sheet may name rows of the sheets before it by name
SHEETS: tuple[Sheet, ...] = (ORGANISATIONS, PROGRAMS, CONTACTS, BUDGETS, MEETINGS)
# what a new row gets for an empty cell of a column its table requires
DEFAULTS: dict[tuple[str, str], str | int] = {("budgets", "unit"): "억원", ("budgets", "is_total"): 0,
                                             ("meetings", "status"): "예정"}
# sheets only the export writes (and the importer passes over)
PROGRESS_SHEET, ATTENDANCE_SHEET, AUDIT_SHEET, GUIDE_SHEET = "진행상황", "회의 참석", "감사 기록", "안내"
EXPORT_ONLY = (PROGRESS_SHEET, ATTENDANCE_SHEET, AUDIT_SHEET, GUIDE_SHEET)
OUTSIDE = ("phones", "aliases", "due")   # column keys kept in a table of their own, not in the row's
ID_PREFIX = {"organisations": "org", "programs": "prog", "tasks": "task", "contacts": "contact",
             "budgets": "budget", "meetings": "meeting"}


@lru_cache(maxsize=65536)   # the same names and headers are compared row after row
def normal(text: str) -> str:
    """A name or header as compared: width and compatibility forms folded, case and spacing ignored, the
    middle dots Korean writes several ways (· ‧ ・ ㆍ) as one."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    for dot in ("‧", "・", "ㆍ", "･", "•"):
        folded = folded.replace(dot, "·")
    return "".join(folded.split())


def sheet_named(name: str) -> Sheet | None:
    """The importable sheet a sheet name (or a CSV file's name) names, if any."""
    wanted = normal(name)
    return next((s for s in SHEETS if normal(s.name) == wanted), None)


def is_export_only(name: str) -> bool:
    """Whether a sheet name is one the export writes for reading only."""
    return normal(name) in {normal(n) for n in EXPORT_ONLY}
