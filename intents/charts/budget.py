"""What a budget chart shows: a program's cells by year, phase or period, split by one source of money.

The cells are read with the budget and compute answers' own rules (`rows_named`: the documents that use the name
asked; `cell`: one cell per combination, a funding's own cell and not its R&D part). Bars are the finest positions
that do not overlap — years, then the phases no year already shows, then the periods nothing shown covers — so a
phase subtotal or a multi-year total never stands beside (or on) the years it adds up. Each bar stacks the parts
of one split only (국비·지방비, else R&D·비R&D, else 신규·계속), never a total on its parts.
"""

from dataclasses import dataclass, replace
from decimal import Decimal

from intents.answers.common import Ask
from intents.answers.compute import FUNDING_NAMES, cell, eok, pointed_source, rows_named
from store.store import Row

# the ways a program's money is split, in the order they are tried; the first that splits a bar in two wins
SPLITS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("funding", ("국비", "지방비")), ("category", ("R&D", "비R&D")), ("scope", ("신규", "계속")))
WHOLE = ("whole", ("금액",))   # no split in the table: one part, the cell itself
_ADDS_UP = ("funding", "scope")   # splits whose parts together are the stored total (R&D·비R&D are only 국비's)


@dataclass(frozen=True)
class Position:
    """Where a bar stands: a year, a phase or a period, the years it covers (when known) and a year's phase."""

    kind: str   # 'year', 'phase' or 'period'
    value: int | str
    span: tuple[int, int] | None
    phase: int | None = None

    @property
    def label(self) -> str:
        """The bar's name: `2018년`, `1단계`, `2018~2022년`."""
        return f"{self.value}단계" if self.kind == "phase" else f"{self.value}년"

    @property
    def note(self) -> str:
        """What the bar's name leaves unsaid: a year's phase, a phase's years."""
        if self.kind == "year" and self.phase is not None:
            return f"{self.phase}단계"
        if self.kind == "phase" and self.span is not None:
            return f"{self.span[0]}~{self.span[1]}"
        return ""

    def cell_args(self) -> dict[str, int | str]:
        """The arguments of `compute.cell` that pick this position's cells."""
        return {self.kind: self.value}

    def overlaps(self, other: "Position") -> bool:
        """Whether two positions may count the same money (unknown years count as overlapping)."""
        if self.kind == "phase" and other.phase == self.value:
            return True   # a phase and one of its years
        if other.kind == "phase" and self.phase == other.value:
            return True
        if self.span is None or other.span is None:
            return True
        return self.span[0] <= other.span[1] and other.span[0] <= self.span[1]


@dataclass(frozen=True)
class Bar:
    """One bar: its position, one cell per part (None: the table has no such cell), and the table's own total of
    the position when the parts should add up to it."""

    position: Position
    cells: tuple[Row | None, ...]
    stored_total: Decimal | None = None

    @property
    def amounts(self) -> tuple[Decimal | None, ...]:
        """One amount in 억원 per part (None: no cell)."""
        return tuple(eok(r) if r is not None else None for r in self.cells)

    @property
    def rows(self) -> list[Row]:
        """The cells drawn."""
        return [r for r in self.cells if r is not None]

    @property
    def total(self) -> Decimal:
        """The height of the bar: its parts added."""
        return sum((a for a in self.amounts if a is not None), Decimal(0))


@dataclass(frozen=True)
class BudgetChart:
    """A program's budget as stacked bars: which split, its parts' names, the bars, notes on the figures."""

    program: str
    program_id: str
    split: str
    parts: tuple[str, ...]
    bars: tuple[Bar, ...]
    notes: tuple[str, ...] = ()

    @property
    def sources(self) -> list[str]:
        """The documents of the cells drawn, each once, in the order drawn."""
        return list(dict.fromkeys(str(r["source"]) for bar in self.bars for r in bar.rows))


def plain(value: Decimal) -> str:
    """An amount without its unit as the documents write it: `1,362`, `259.1`."""
    return f"{value:,.1f}".rstrip("0").rstrip(".")


def budget_chart(ask: Ask) -> BudgetChart | str:
    """The chart of the subject's budget as the question narrows it (a phase, a period, a year, a funding or a
    category), or the reason there is none."""
    assert ask.subject is not None
    q = ask.query
    rows = [r for r in rows_named(ask, ask.subject.id) if eok(r) is not None]   # 미정 and other units: no bar
    if not rows:
        return f"'{ask.subject.name}'의 예산 표(연도·단계·기간별 금액)가 자료에 없어 그래프를 그리지 않았습니다."
    rows = _asked(rows, ask)
    if not rows:
        return f"'{ask.subject.name}'에 대해 물으신 조건의 예산이 자료에 없어 그래프를 그리지 않았습니다."
    positions = _positions(rows, phases_first=q.has("단계별"))
    asked = _asked_split(ask)
    made = [c for key, parts in (asked or SPLITS) if (c := _chart(ask, rows, positions, key, parts)) is not None]
    split_in_two = [c for c in made
                    if sum(any(b.amounts[i] is not None for b in c.bars) for i in range(len(c.parts))) >= 2]
    chosen = split_in_two or made
    if not chosen and not asked:   # no split in the table: the cells themselves
        chosen = [c for c in [_chart(ask, rows, positions, *WHOLE)] if c is not None]
    if not chosen:
        return f"'{ask.subject.name}'에 대해 물으신 예산을 연도·단계·기간별로 찾지 못해 그래프를 그리지 않았습니다."
    return chosen[0]


def _asked_split(ask: Ask) -> list[tuple[str, tuple[str, ...]]]:
    """The one part the question names (R&D, 국비, 신규 …), as the only split to draw; none when it names none.
    A funding asked is never drawn as R&D·비R&D: those split 국비 alone."""
    q = ask.query
    if q.category:
        return [("category", (q.category,))]
    if q.funding:
        return [("funding", tuple(p for p in SPLITS[0][1] if q.funding in FUNDING_NAMES.get(p, (p,))))]
    if q.scope:
        return [("scope", (q.scope,))]
    return []


def _asked(rows: list[Row], ask: Ask) -> list[Row]:
    """The cells within the phase, period or year asked (all when none is)."""
    q = ask.query
    if q.phase is not None:
        rows = [r for r in rows if r["phase"] == q.phase]
    if q.period is not None:
        first, last = (int(y) for y in q.period.split("~"))
        rows = [r for r in rows if (r["year"] is not None and first <= int(r["year"]) <= last)
                or (r["year"] is None and (span := _span(str(r["period"] or ""))) is not None
                    and first <= span[0] and span[1] <= last)]
    if q.year is not None:
        rows = [r for r in rows if r["year"] == q.year]
    return rows


def _span(period: str) -> tuple[int, int] | None:
    """`2018~2022` → (2018, 2022); None for anything else."""
    start, sep, end = period.partition("~")
    if sep and start.strip().isdigit() and end.strip().isdigit():
        return int(start), int(end)
    return None


def _positions(rows: list[Row], phases_first: bool = False) -> list[Position]:
    """Every position the cells name, finest first: years, phases (their years from their cells' periods), periods."""
    years = []
    for year in sorted({int(r["year"]) for r in rows if r["year"] is not None}):
        named = {int(r["phase"]) for r in rows if r["year"] == year and r["phase"] is not None}
        years.append(Position("year", year, (year, year), named.pop() if len(named) == 1 else None))
    phases = []
    for phase in sorted({int(r["phase"]) for r in rows if r["year"] is None and r["phase"] is not None}):
        spans = [s for r in rows if r["year"] is None and r["phase"] == phase
                 if (s := _span(str(r["period"] or ""))) is not None]
        span = (min(s[0] for s in spans), max(s[1] for s in spans)) if spans else None
        phases.append(Position("phase", phase, span, phase))
    periods = [Position("period", p, _span(p)) for p in sorted(
        {str(r["period"]) for r in rows if r["year"] is None and r["phase"] is None and r["period"]})]
    return [*phases, *years, *periods] if phases_first else [*years, *phases, *periods]


def _chart(ask: Ask, rows: list[Row], positions: list[Position], key: str,
           parts: tuple[str, ...]) -> BudgetChart | None:
    """The bars of one split: each position not overlapping one already taken, with a cell of some part."""
    assert ask.subject is not None
    bars: list[Bar] = []
    notes: list[str] = []
    for position in positions:
        if any(position.overlaps(b.position) for b in bars):
            continue
        cells: list[Row | None] = []
        for part in parts:
            args = {**position.cell_args(), key: part} if key != "whole" else position.cell_args()
            row, note = _one(ask, cell(rows, **args), f"{position.label} {part}")   # type: ignore[arg-type]
            cells.append(row)
            notes.extend([note] if note else [])
        if all(c is None for c in cells):
            continue
        stored = None
        if key in _ADDS_UP and all(c is not None for c in cells) and len(parts) >= 2:
            whole, _ = _one(ask, cell(rows, **position.cell_args()), position.label)   # type: ignore[arg-type]
            stored = eok(whole) if whole is not None else None
        bars.append(Bar(position, tuple(cells), stored))
    if not bars:
        return None
    bars.sort(key=lambda b: (b.position.span or (9999, 9999), str(b.position.value)))
    held = [i for i in range(len(parts)) if any(b.cells[i] is not None for b in bars)]   # parts the table has
    bars = [replace(b, cells=tuple(b.cells[i] for i in held)) for b in bars]
    parts = tuple(parts[i] for i in held)
    names = tuple(_part_name(part, [r for b in bars for r in b.rows], key) for part in parts)
    for bar in bars:
        if bar.stored_total is not None and bar.stored_total != bar.total:
            notes.append(f"{bar.position.label}: 표의 합계는 {plain(bar.stored_total)}억원으로 "
                         f"{'+'.join(names)}의 합 {plain(bar.total)}억원과 다릅니다 (원문 그대로).")
    return BudgetChart(ask.subject.name, ask.subject.id, key, names, tuple(bars), tuple(notes))


def _one(ask: Ask, found: list[Row], what: str) -> tuple[Row | None, str | None]:
    """The one cell of a combination; when documents disagree, the one the question points to, else the
    newest document's, with a note saying so."""
    found = [r for r in found if eok(r) is not None]
    if len({eok(r) for r in found}) <= 1:
        return (found[0] if found else None), None
    pointed = pointed_source(ask, {str(r["source"]) for r in found})
    if pointed is not None:
        return next(r for r in found if r["source"] == pointed), None
    dated = sorted(found, key=lambda r: str((ask.store.source(str(r["source"])) or {}).get("date") or ""))
    chosen = dated[-1]
    others = ", ".join(f"{plain(a)}억원" for r in dated[:-1] if (a := eok(r)) is not None)
    drawn = plain(eok(chosen) or Decimal(0))
    return chosen, f"{what}: 자료마다 금액이 달라 가장 최근 자료의 {drawn}억원을 그렸습니다 (다른 자료: {others})."


def _part_name(part: str, rows: list[Row], key: str) -> str:
    """A part as the table spells it (정부 for 국비, 지방비등 for 지방비) when every cell drawn spells it so."""
    if key != "funding":
        return part
    spelt = {str(r["funding"]) for r in rows if r["funding"] in FUNDING_NAMES.get(part, (part,))}
    return spelt.pop() if len(spelt) == 1 else part
