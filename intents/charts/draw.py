"""Charts drawn as PNG with matplotlib's Agg canvas (no display, no pyplot), every label in NanumGothic.

This module imports matplotlib; load it only to draw (`intents.answers.chart` does, through importlib), so that
answering a text question never pays for it. The font is the NanumGothic that the `koreanize-matplotlib` package
ships: its file is found with `importlib.util.find_spec` without importing that package (whose import fails on
Python 3.12+) and registered once with `font_manager.fontManager.addfont`. Drawing holds one lock: matplotlib's
font cache is shared, and the digest may draw on a worker thread while a chat answer draws on the event loop.
"""

import importlib.util
import io
import struct
import textwrap
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import partial
from pathlib import Path

from matplotlib import font_manager, rc_context
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.ft2font import FT2Font
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.textpath import text_to_path

from intents.charts import ChartUnavailable
from intents.charts.budget import BudgetChart, plain
from intents.charts.progress import ProgressChart, TaskBar

FONT = "NanumGothic"
FONT_FILES = ("NanumGothic.ttf", "NanumGothicBold.ttf")
# signs a document may use that NanumGothic lacks, drawn as the sign they look like ('‧' in "공공기관‧지자체")
LOOKALIKES = {"‧": "·", "∙": "·", "ㆍ": "·", "∼": "~", "〜": "~", "‐": "-", "‑": "-", "‒": "-", "―": "-"}
DPI = 100   # a 950-pixel-wide picture: sharp on a phone, and Telegram shows photos at most 1280 wide
PARTS = ("#2b6cb0", "#ed8936", "#38a169", "#805ad5")   # 국비 blue, 지방비 amber, then green, violet
STATUS_COLOURS = {"계획": "#a0aec0", "진행": "#4a90d9", "완료": "#48a868", "지연": "#e02424", "보류": "#f07c00"}
LOUD = ("지연", "보류")   # drawn with a dark edge and bold labels: what a coordinator must see first
BOLD = "semibold"   # NanumGothicBold's weight (600): asking for "bold" (700) would fall back with a warning
NAME_CHARS = 24
FOOTER_LINE = 0.16   # inches a footer line takes   # a task's name on the axis, shortened past this
_LOCK = threading.Lock()
_registered: list[str] = []
_covered: set[int] = set()   # the code points NanumGothic can draw


@dataclass(frozen=True)
class Picture:
    """A drawn chart: its PNG, its size in pixels and the font files its texts were set in."""

    png: bytes
    width: int
    height: int
    fonts: frozenset[str]


def font_files() -> list[Path]:
    """NanumGothic's regular and bold files inside the koreanize-matplotlib package (not imported)."""
    spec = importlib.util.find_spec("koreanize_matplotlib")
    folder = Path(spec.origin).parent / "fonts" if spec is not None and spec.origin else None
    found = [folder / name for name in FONT_FILES] if folder is not None else []
    if not found or not all(p.is_file() for p in found):
        raise ChartUnavailable("한글 글꼴(koreanize-matplotlib의 NanumGothic)이 설치되어 있지 않아 그래프를 그릴 수 "
                               "없습니다. pip install -e . 로 다시 설치해 주세요.")
    return found


@contextmanager
def _drawing() -> Iterator[None]:
    """One drawing at a time, with NanumGothic registered (once) and set for every text."""
    with _LOCK:
        if not _registered:
            for path in font_files():
                font_manager.fontManager.addfont(str(path))
                _registered.append(str(path))
            # the package's files first: a NanumGothic the system may also have ties with them, and a tie goes to
            # the first listed, so the font drawn with is always the one this install brought
            ours = [f for f in font_manager.fontManager.ttflist if f.fname in _registered]
            font_manager.fontManager.ttflist[:] = ours + [f for f in font_manager.fontManager.ttflist if f not in ours]
            for drawn_with in _registered:
                _covered.update(FT2Font(drawn_with).get_charmap())
        # unhinted glyphs: smooth at this size and ~40 % cheaper to lay out (text is most of a chart's time)
        with rc_context({"font.family": [FONT], "axes.unicode_minus": False, "hatch.linewidth": 1.2,
                         "text.hinting": "no_hinting"}):
            yield


def drawable(text: str) -> str:
    """A text with only what NanumGothic can draw: a sign it lacks becomes the sign it looks like, or is left out
    (the text answer keeps it) — never a box. Call inside a drawing."""
    out = []
    for ch in text:
        if ord(ch) in _covered or ch in "\n\t":
            out.append(ch)
        elif ch in LOOKALIKES and ord(LOOKALIKES[ch]) in _covered:
            out.append(LOOKALIKES[ch])
    return "".join(out)


def _picture(make: Callable[[], Figure]) -> Picture:
    """Make a figure and render it to PNG, inside one drawing."""
    with _drawing():
        fig = make()
        FigureCanvasAgg(fig)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, pil_kwargs={"compress_level": 1})   # ~40 % faster, ~7 % larger
        fonts = frozenset(str(font_manager.findfont(t.get_fontproperties())) for t in fig.findobj(Text)
                          if t.get_text())
    png = buffer.getvalue()
    width, height = struct.unpack(">II", png[16:24])   # the PNG's IHDR: what Telegram will measure
    return Picture(png, width, height, fonts)


def _inches(text: str, size: float, weight: str = "normal") -> float:
    """How wide a text is set in NanumGothic, in inches (measured from the font, without drawing)."""
    width, _, _ = text_to_path.get_text_width_height_descent(text, FontProperties(family=FONT, size=size,
                                                                                  weight=weight), ismath=False)
    return float(width) / 72


def _lines(text: str) -> int:
    """How many lines a text takes."""
    return text.count("\n") + 1 if text else 0


def _framed(width: float, height: float, *, left: float, top: float, bottom: float, right: float = 0.3,
            footer: str = "") -> Figure:
    """A figure with one axes inside fixed margins (inches), and the footer in its bottom-left corner. Margins
    measured once are much cheaper than a layout engine that draws every text twice to find them."""
    fig = Figure(figsize=(width, height))
    fig.subplots_adjust(left=left / width, right=1 - right / width, top=1 - top / height, bottom=bottom / height)
    fig.add_subplot()
    if footer:
        fig.text(0.12 / width, 0.1 / height, footer, fontsize=8, color="#4a5568", ha="left", va="bottom")
    return fig


def _title(fig: Figure, text: str) -> None:
    """The picture's title in its top-left corner."""
    width, height = fig.get_size_inches()
    fig.text(0.12 / width, 1 - 0.12 / height, drawable(text), fontsize=13, fontweight=BOLD, ha="left", va="top")


def _footer(text: str, width: int) -> str:
    """A source line wrapped to the picture's width."""
    return "\n".join(textwrap.wrap(drawable(text), width=width)) if text else ""


def budget_picture(chart: BudgetChart, footer: str) -> Picture:
    """The budget as stacked bars, each part's amount inside its segment when it fits, the total above."""
    return _picture(lambda: _budget_figure(chart, footer))


def _budget_figure(chart: BudgetChart, footer: str) -> Figure:
    count = len(chart.bars)
    width = min(12.0, max(6.5, 2.0 + 0.95 * count))
    note = _footer(footer, int(width * 15))
    fig = _framed(width, 5.6, left=0.9, top=0.6, bottom=0.75 + _lines(note) * FOOTER_LINE, footer=note)
    ax = fig.axes[0]
    xs = list(range(count))
    tallest = max((b.total for b in chart.bars), default=Decimal(1)) or Decimal(1)
    bottoms = [Decimal(0)] * count
    for i, part in enumerate(chart.parts):
        heights = [b.amounts[i] or Decimal(0) for b in chart.bars]
        ax.bar(xs, [float(h) for h in heights], bottom=[float(b) for b in bottoms], width=0.62, label=drawable(part),
               color=PARTS[i % len(PARTS)], edgecolor="white", linewidth=0.8)
        for x, (h, b) in enumerate(zip(heights, bottoms, strict=True)):
            if h > 0 and h >= tallest * Decimal("0.05") and len(chart.parts) > 1:
                ax.text(x, float(b + h / 2), plain(h), ha="center", va="center", fontsize=8.5, color="white")
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    for x, bar in enumerate(chart.bars):
        ax.text(x, float(bar.total) + float(tallest) * 0.015, plain(bar.total), ha="center", va="bottom",
                fontsize=10, fontweight=BOLD, color="#1a202c")
    ax.set_xticks(xs, [drawable(f"{b.position.label}\n{b.position.note}".rstrip()) for b in chart.bars], fontsize=9.5)
    ax.set_ylim(0, float(tallest) * 1.16)
    ax.set_ylabel("억원")
    ax.yaxis.set_major_formatter(lambda value, _: f"{value:,.0f}")
    ax.grid(axis="y", color="#e2e8f0", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    _title(fig, f"{chart.program} 예산 ({'·'.join(chart.parts)}, 단위 억원)")
    ax.legend(loc="upper left", frameon=False, ncol=len(chart.parts), fontsize=9)
    return fig


def progress_pictures(chart: ProgressChart, footer: str) -> list[Picture]:
    """The tasks as horizontal bars of their latest percent, one picture per PER_PICTURE tasks."""
    pages, left = chart.pictures()
    return [_picture(partial(_progress_figure, chart, page, n, len(pages), left if n == len(pages) else 0, footer))
            for n, page in enumerate(pages, start=1)]


def _progress_figure(chart: ProgressChart, bars: tuple[TaskBar, ...], page: int, pages: int, left: int,
                     footer: str) -> Figure:
    count = len(bars)
    labels = [drawable(_task_label(b)) for b in bars]
    more = f" · 외 {left}건은 그림에 싣지 않았습니다" if left else ""
    note = _footer(footer + more, 140)
    weights = [BOLD if b.status in LOUD else "normal" for b in bars]
    widest = max((_inches(label, 9, weight) for label, weight in zip(labels, weights, strict=True)), default=1.0)
    fig = _framed(9.5, 1.4 + 0.36 * count, left=widest + 0.3, top=0.9, bottom=0.5 + _lines(note) * FOOTER_LINE,
                  footer=note)
    ax = fig.axes[0]
    ys = list(range(count))
    loud = [b.status in LOUD for b in bars]
    # one call for every bar, and the names as plain texts rather than 30 axis ticks (5 artists each): a
    # picture of 30 tasks is drawn in a fraction of the time
    ax.barh(ys, [b.percent or 0 for b in bars], height=0.66,
            color=[STATUS_COLOURS.get(b.status or "", "#cbd5e0") for b in bars],
            hatch=["///" if b.stale else "" for b in bars], edgecolor=["#1a202c" if x else "white" for x in loud],
            linewidth=[1.2 if x else 0.6 for x in loud])
    names = ax.get_yaxis_transform()   # x in axes fraction, y in data
    for y, bar, label, weight, shout in zip(ys, bars, labels, weights, loud, strict=True):
        ax.text(-0.012, y, label, transform=names, ha="right", va="center", fontsize=9, fontweight=weight,
                color="#c53030" if shout else "#1a202c")
        ax.text((bar.percent or 0) + 1.2, y, drawable(_bar_text(bar)), va="center", fontsize=8.5,
                color="#c53030" if shout else "#718096" if bar.status is None else "#2d3748", fontweight=weight)
    ax.set_yticks([])
    ax.set_ylim(count - 0.5, -0.5)   # the first task on top
    ax.set_xlim(0, 138)
    ax.set_xticks([0, 25, 50, 75, 100], ["0%", "25%", "50%", "75%", "100%"], fontsize=8.5)
    ax.axvline(100, color="#a0aec0", linewidth=0.8, linestyle="--")
    ax.spines["bottom"].set_bounds(0, 100)   # the room right of 100% is for the bars' words, not a scale
    ax.grid(axis="x", color="#edf2f7", linewidth=0.8)
    ax.set_axisbelow(True)
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    numbering = f" ({page}/{pages})" if pages > 1 else ""
    _title(fig, f"{chart.title} 진행 현황{numbering} — {chart.as_of:%Y-%m-%d} 기준")
    handles = [Patch(facecolor=c, edgecolor="#1a202c" if s in LOUD else "white", label=s)
               for s, c in STATUS_COLOURS.items()]
    handles.append(Patch(facecolor="#718096", edgecolor="white", hatch="///",
                         label=f"※ {chart.stale_days}일 넘게 업데이트 없음"))
    ax.legend(handles=handles, loc="lower left", bbox_to_anchor=(0, 1.0), ncol=6, frameon=False, fontsize=8.5,
              handlelength=1.6, columnspacing=1.2)
    return fig


def _task_label(bar: TaskBar) -> str:
    """A task's name on the axis: shortened, under its 협업과제 with ㄴ, stale ones with ※."""
    name = bar.name if len(bar.name) <= NAME_CHARS else bar.name[:NAME_CHARS - 1] + "…"
    return ("※ " if bar.stale else "") + ("ㄴ " if bar.under else "") + name


def _bar_text(bar: TaskBar) -> str:
    """What a bar says beside it: `40% 진행 · 3일 전`, `보류 · 진행률 미기재`, `기록 없음`."""
    if bar.status is None:
        return "기록 없음"
    percent = f"{bar.percent}% " if bar.percent is not None else ""
    missing = " · 진행률 미기재" if bar.percent is None else ""
    ago = "" if bar.days is None else " · 오늘" if bar.days == 0 else f" · {bar.days}일 전"
    return f"{percent}{bar.status}{missing}{ago}"
