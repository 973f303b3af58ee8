"""Charts: a program's budget and the tasks' progress drawn headless in NanumGothic (the pip package's file, no
missing glyph), always with the text answer; asked in words or with /chart; nothing drawn for a chart of nothing;
the PNG in `tfbot ask --json` and the console; sendPhoto through the fake Bot API; the digest's picture; and no
matplotlib for a text question."""

import json
import logging
import os
import subprocess
import sys
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from bot.config import Config, load_config
from bot.reminder_service import ReminderService
from intents.answers.chart import MAX_CAPTION, fit_caption, progress_text
from intents.answers.common import Ask
from intents.charts import ChartUnavailable, draw
from intents.charts.budget import BudgetChart, budget_chart
from intents.charts.progress import MAX_PICTURES, PER_PICTURE, ProgressChart, TaskBar, progress_chart
from intents.dates.reminders import GROUP_KEY, digest
from intents.engine import Engine
from intents.message import Attachment, Entity, Message, Reply
from intents.reading.understand import understand
from intents.reading.vocab import asks_picture
from intents.writes.access import Policy
from store import Store
from tests.conftest import NOW, SEOUL, Cli, ask
from tests.fake_bot_api import FakeBotApi
from tests.test_telegram_e2e import MEMBER, StubEngine, e2e, running

ROOT = Path(__file__).resolve().parent.parent
PNG = b"\x89PNG\r\n\x1a\n"
NIC = Entity("program", "prog-nic", "국가혁신클러스터육성사업", 100.0)
SOURCE_2021 = "14개 시·도 국가혁신클러스터 지역성장 거점으로 자리잡는다 (산업통상자원부, 2021-03-02)"
COORD = 900


@contextmanager
def no_missing_glyph(caplog: pytest.LogCaptureFixture) -> Iterator[None]:
    """Fail if matplotlib warns of a glyph missing from the font, or logs that it could not find a font."""
    with warnings.catch_warnings(record=True) as caught, caplog.at_level(logging.WARNING, logger="matplotlib"):
        warnings.simplefilter("always")
        yield
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert not missing, missing
    assert not [r.getMessage() for r in caplog.records if r.name.startswith("matplotlib")]


def package_fonts() -> set[str]:
    """The NanumGothic files inside the koreanize-matplotlib package."""
    return {str(p) for p in draw.font_files()}


def chart_of(store: Store, engine: Engine, text: str) -> BudgetChart:
    """The budget chart of 국가혁신클러스터 as a question words it."""
    found = budget_chart(Ask(store, Message(text, NOW, local_operator=True), understand(text, engine.index), NIC))
    assert isinstance(found, BudgetChart), found
    return found


def logged(store: Store) -> Store:
    """Progress of several 협업과제 and a project, in every status, some stale (14 days), one without a percent."""
    entries = [("d000-task-busan", 40, "진행", "기본설계 완료", 3), ("d000-task-daegu", 15, "지연", "부지 협의 중", 20),
               ("d000-proj-daegu-1", 30, "진행", "실시설계", 2), ("d000-task-ulsan", 100, "완료", "준공", 1),
               ("d000-task-gimcheon", 55, "보류", "예산 재검토", 40), ("d000-task-naju", None, "계획", "착수 준비", 0)]
    for task, percent, status, note, days in entries:
        store.add_progress(task, COORD, "김코디", (NOW - timedelta(days=days)).isoformat(), percent, status, note)
    return store


# --- budget ------------------------------------------------------------------------------------------------
def test_a_budget_chart_from_the_built_in_data_renders_in_nanumgothic_with_no_missing_glyph(
        ro_engine: Engine, caplog: pytest.LogCaptureFixture) -> None:
    with no_missing_glyph(caplog):
        reply = ask(ro_engine, "국가혁신클러스터 예산 그래프")
        picture = draw.budget_picture(chart_of(ro_engine.store, ro_engine, "국가혁신클러스터 예산 그래프"),
                                      f"출처: {SOURCE_2021}")
    assert reply.intent == "chart" and [e.id for e in reply.entities] == ["prog-nic"]
    [attachment] = reply.attachments
    assert attachment.kind == "photo" and attachment.mime == "image/png" and attachment.data.startswith(PNG)
    assert SOURCE_2021 in attachment.caption and len(attachment.caption) <= MAX_CAPTION
    # the text answer comes with it: each bar's parts and total, and the source
    assert "• 2018년 (1단계): 국비 184 + 지방비 24 = 208억원" in reply.text
    assert "• 2022년 (2단계): 국비 590 + 지방비 253 = 843억원" in reply.text
    assert reply.text.endswith(f"출처: {SOURCE_2021}")
    assert picture.fonts and picture.fonts <= package_fonts(), picture.fonts   # NanumGothic, the package's file
    assert all(Path(f).name.startswith("NanumGothic") for f in picture.fonts)


def test_a_budget_chart_stacks_the_parts_of_one_split_never_a_total_on_its_parts(ro_engine: Engine) -> None:
    store = ro_engine.store
    by_year = chart_of(store, ro_engine, "국가혁신클러스터 예산 그래프")
    assert by_year.parts == ("국비", "지방비")
    assert [b.position.label for b in by_year.bars] == ["2018년", "2019년", "2020년", "2021년", "2022년"]
    assert [int(b.total) for b in by_year.bars] == [208, 724, 785, 969, 843]
    assert all(b.stored_total == b.total for b in by_year.bars)   # the table's 합계 row, not stacked, agrees
    assert not any(r["is_total"] or r["category"] for b in by_year.bars for r in b.rows)   # no 합계, no R&D part
    # the phase subtotals and the 2018~2022 total stand for the same years: not drawn beside them
    assert {b.position.kind for b in by_year.bars} == {"year"}

    by_phase = chart_of(store, ro_engine, "국가혁신클러스터 단계별 예산 그래프")
    assert [(b.position.label, int(b.total)) for b in by_phase.bars] == [("1단계", 1717), ("2단계", 1812)]
    assert not any(r["funding"] == "합계" for b in by_phase.bars for r in b.rows)

    other_name = budget_chart(Ask(store, Message("", NOW, local_operator=True),
                                  understand("지역혁신협력지구 예산 그래프", ro_engine.index), NIC))
    assert isinstance(other_name, BudgetChart)   # the name of the 2023 document: its period, then its year
    assert [(b.position.label, int(b.total)) for b in other_name.bars] == [("2018~2022년", 6418), ("2023년", 1362)]
    assert other_name.parts == ("국비", "지방비") and not any(r["is_total"] for b in other_name.bars for r in b.rows)

    rnd = chart_of(store, ro_engine, "국가혁신클러스터 R&D 예산 그래프")
    assert rnd.parts == ("R&D",) and [int(b.total) for b in rnd.bars] == [150, 420, 420, 630, 504]
    local = chart_of(store, ro_engine, "국가혁신클러스터 2단계 지방비 그래프")
    assert local.parts == ("지방비",) and [(b.position.label, int(b.total)) for b in local.bars] == [
        ("2021년", 253), ("2022년", 253)]


def test_a_budget_chart_is_asked_in_words_or_by_command(ro_engine: Engine) -> None:
    for text in ("국가혁신클러스터 예산 그래프", "국가혁신클러스터 예산 차트로 보여줘", "/chart 국가혁신클러스터",
                 "국가혁신클러스터 예산을 그림으로 보여줘"):
        reply = ask(ro_engine, text)
        assert reply.intent == "chart" and len(reply.attachments) == 1, text
        assert reply.text.startswith("[국가혁신클러스터육성사업] 예산 그래프"), text
    before = ask(ro_engine, "국가혁신클러스터 예산", chat_id=71)
    assert before.intent == "budget" and not before.attachments   # no picture word: the text answer as before
    follow = ask(ro_engine, "그래프로 보여줘", chat_id=71, now=NOW + timedelta(minutes=1))
    assert follow.intent == "chart" and follow.attachments and "국가혁신클러스터육성사업" in follow.text


def test_a_picture_word_is_a_word_not_letters_across_words() -> None:
    assert asks_picture(["예산", "막대그래프로"]) and asks_picture(["그려줘"]) and asks_picture(["Chart"])
    assert not asks_picture(["2차", "트랙"]) and not asks_picture(["그림", "4"])


# --- progress ----------------------------------------------------------------------------------------------
def test_a_progress_chart_renders_in_nanumgothic_coloured_by_status_stale_ones_marked(
        store: Store, caplog: pytest.LogCaptureFixture) -> None:
    engine = Engine(logged(store))
    with no_missing_glyph(caplog):
        reply = ask(engine, "협업과제 진행 현황 그래프")
        chart = progress_chart(store, store.of_kind("tasks", "협업과제"), "협업과제", NOW, 14)
        [picture] = draw.progress_pictures(chart, "진행 기록: tfbot")
    assert reply.intent == "chart"
    [attachment] = reply.attachments
    assert attachment.kind == "photo" and attachment.data.startswith(PNG) and "협업과제 진행 현황" in attachment.caption
    assert picture.fonts <= package_fonts() and picture.height < 20 * picture.width
    bars = {b.name: b for b in chart.bars}
    assert (bars["그린에너지 캠퍼스 구축"].status, bars["그린에너지 캠퍼스 구축"].stale) == ("지연", True)
    assert (bars["부산형 청년창업허브 조성"].percent, bars["부산형 청년창업허브 조성"].stale) == (40, False)
    assert bars["자산운용 중심 금융도시 조성"].status is None and bars["자산운용 중심 금융도시 조성"].stale
    lines = reply.text.splitlines()
    assert "• 그린에너지 캠퍼스 구축: 15% · 지연 — 부지 협의 중 (2026년 11월 3일(화) 10:00) ※" in lines
    assert "• 남부권 스마트물류 거점도시 육성: 55% · 보류 — 예산 재검토 (2026년 10월 14일(수) 10:00) ※" in lines
    assert "• 에너지밸리 조성: 진행률 미기재 · 계획 — 착수 준비 (2026년 11월 23일(월) 10:00)" in lines
    assert "• 자산운용 중심 금융도시 조성: 기록 없음 ※" in lines


def test_progress_charts_of_a_task_a_region_the_stale_ones_and_every_task(store: Store) -> None:
    engine = Engine(logged(store))
    task = ask(engine, "그린에너지 캠퍼스 구축 진행 그래프")   # the task and its 대표프로젝트
    assert task.attachments and task.text.splitlines()[1:4] == [
        "• 그린에너지 캠퍼스 구축: 15% · 지연 — 부지 협의 중 (2026년 11월 3일(화) 10:00) ※",
        "• 그린에너지 캠퍼스: 30% · 진행 — 실시설계 (2026년 11월 21일(토) 10:00)",
        "• 중소기업 상생펀드 조성: 기록 없음 ※"]
    region = ask(engine, "부산 진행 현황 그래프")
    assert region.attachments and region.text.startswith("[부산 과제] 진행 현황")
    stale = ask(engine, "지연 과제 그래프")   # the stale-task list, drawn (not the list command)
    assert stale.intent == "chart" and stale.text.startswith("[점검이 필요한 과제] 진행 현황")
    assert "그린에너지 캠퍼스 구축" in stale.text and "부산형 청년창업허브 조성" not in stale.text
    everything = ask(engine, "/chart 진행")   # the 협업과제 and every other task with an update
    assert everything.attachments and "• 그린에너지 캠퍼스: 30%" in everything.text


def test_at_most_30_bars_a_picture_then_further_pictures_then_the_rest_counted(
        caplog: pytest.LogCaptureFixture) -> None:
    def bars(n: int) -> tuple[TaskBar, ...]:
        return tuple(TaskBar(f"과제 {i}", i % 101, "진행", NOW.isoformat(), 0, False) for i in range(n))

    many = ProgressChart("협업과제", bars(PER_PICTURE * MAX_PICTURES + 7), NOW, 14)
    pages, left = many.pictures()
    assert [len(p) for p in pages] == [PER_PICTURE] * MAX_PICTURES and left == 7
    assert f"외 {left}건" in progress_text(many)
    with no_missing_glyph(caplog):
        pictures = draw.progress_pictures(ProgressChart("협업과제", bars(PER_PICTURE + 1), NOW, 14), "진행 기록")
    assert len(pictures) == 2
    full = pictures[0]   # 30 bars: Telegram refuses a photo more than 20 times taller than wide
    assert full.height < 3 * full.width and full.width + full.height < 10000


# --- a chart of nothing ------------------------------------------------------------------------------------
@pytest.mark.parametrize(("text", "says"), [
    ("협업과제 진행 현황 그래프", "10건 모두 진행 기록이 없어 그래프를 그리지 않았습니다"),   # built-in data: no log
    ("세종 진행 그래프", "'세종 과제'에 해당하는 과제가 없어 그래프를 그리지 않았습니다"),
    ("울릉도 진행 그래프", "'울릉도'에 해당하는 과제가 없어 그래프를 그리지 않았습니다"),
    ("도심융합특구 예산 그래프", "'도심융합특구'의 예산 표(연도·단계·기간별 금액)가 자료에 없어"),
    ("예산 그래프", "어느 사업의 예산을 그릴지 사업 이름을 넣어 주세요"),
    ("/chart", "그래프로 볼 것을 알려 주세요"),
])
def test_a_chart_of_nothing_is_said_in_text_and_sends_no_image(ro_engine: Engine, text: str, says: str) -> None:
    reply = ask(ro_engine, text, chat_id=sum(map(ord, text)))   # a chat of its own: not a follow-up
    assert reply.intent == "chart" and says in reply.text and reply.attachments == []


def test_a_chart_of_nothing_still_lists_what_it_would_have_drawn(ro_engine: Engine) -> None:
    reply = ask(ro_engine, "협업과제 진행 현황 그래프", chat_id=72)
    assert "• 그린에너지 캠퍼스 구축: 기록 없음 ※" in reply.text and "/log" in reply.text


def test_a_chart_that_cannot_be_drawn_still_answers_in_text(ro_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*_: object) -> None:
        raise ChartUnavailable("한글 글꼴이 없습니다")

    monkeypatch.setattr(draw, "budget_picture", broken)
    reply = ask(ro_engine, "국가혁신클러스터 예산 그래프", chat_id=73)
    assert reply.attachments == [] and "• 2018년 (1단계): 국비 184 + 지방비 24 = 208억원" in reply.text
    assert reply.text.endswith("(그래프는 보내지 못했습니다: 한글 글꼴이 없습니다)")
    monkeypatch.setattr(draw.importlib.util, "find_spec", lambda name: None)   # the font package is not installed
    with pytest.raises(ChartUnavailable, match="koreanize-matplotlib"):
        draw.font_files()


# --- channels ----------------------------------------------------------------------------------------------
def test_ask_json_lists_the_png_and_the_console_prints_its_path(cli: Cli, tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    db = str(tmp_path / "tf.db")
    status, out, _ = cli("--db", db, "ask", "--json", "국가혁신클러스터 예산 그래프")
    answer = json.loads(out)
    assert status == 0 and {"intent", "text", "entities", "sources", "files"} <= set(answer)
    [file] = answer["files"]
    assert file["type"] == "image/png" and Path(file["path"]).read_bytes().startswith(PNG)
    assert Path(file["path"]).parent == tmp_path and SOURCE_2021 in file["caption"] and len(file["caption"]) <= 1024
    status, out, _ = cli("--db", db, "ask", "국가혁신클러스터 예산 그래프")
    second = tmp_path / "budget-prog-nic-2.png"   # never over the first
    assert status == 0 and f"(첨부: {second}, " in out and second.read_bytes().startswith(PNG)
    assert out.startswith("[국가혁신클러스터육성사업] 예산 그래프")


def test_a_text_question_does_not_import_matplotlib(tmp_path: Path) -> None:
    def modules_after(question: str) -> str:
        code = ("import sys\nfrom bot.cli import main\nstatus = main(['--db', sys.argv[1], 'ask', sys.argv[2]])\n"
                "print('matplotlib' in sys.modules, status)")
        env = {k: v for k, v in os.environ.items() if not k.startswith("TFBOT_")}
        done = subprocess.run([sys.executable, "-c", code, str(tmp_path / "tf.db"), question], cwd=tmp_path,
                              capture_output=True, text=True, env=env, timeout=120)
        return done.stdout.strip().splitlines()[-1]

    assert modules_after("국가혁신클러스터 2단계 지방비는?") == "False 0"
    assert modules_after("국가혁신클러스터 예산 그래프") == "True 0"   # the check can fail: a chart loads it


@pytest.fixture
def cfg() -> Config:
    """The test token, an empty config file."""
    return load_config(os.devnull, env={"TFBOT_TOKEN": "123:ABC"})


def test_a_chart_goes_out_with_send_photo_after_its_text(tmp_path: Path, cfg: Config) -> None:
    store = Store.open(tmp_path / "tf.db")
    store.set_role(None, MEMBER, "member", "2026-11-01T09:00:00+09:00", "member")
    engine = Engine(store)

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, engine, cfg):
            fake.send_text("국가혁신클러스터 예산 그래프", user_id=MEMBER)
            text, photo = await fake.wait_for_messages(2, timeout=20)
            assert [text.method, photo.method] == ["sendMessage", "sendPhoto"]
            assert text.text.startswith("[국가혁신클러스터육성사업] 예산 그래프")
            assert photo.file is not None and photo.file[0] == "budget-prog-nic.png" and photo.data.startswith(PNG)
            assert SOURCE_2021 in photo.text and len(photo.text) <= 1024   # the caption under the picture
            assert photo.size is not None and photo.size[1] < 20 * photo.size[0]

    e2e(check)


def test_a_caption_over_1024_characters_goes_as_a_message_before_its_picture(cfg: Config) -> None:
    picture = draw.progress_pictures(ProgressChart("협업과제", (TaskBar("과제", 50, "진행", None, 0, False),), NOW,
                                                   14), "")[0].png
    long = "가" * 1500
    assert len(fit_caption(long)) == 1024 and fit_caption(long).endswith("…")
    reply = Reply(text="그래프입니다.", intent="chart", attachments=[Attachment("c.png", picture, "image/png", "photo",
                                                                            long)])

    async def check(fake: FakeBotApi) -> None:
        async with running(fake, StubEngine(reply), cfg):
            fake.send_text("그래프", user_id=MEMBER)
            sent = await fake.wait_for_messages(3)
            assert [s.method for s in sent] == ["sendMessage", "sendMessage", "sendPhoto"]
            assert sent[1].text == long and sent[2].text == ""

    e2e(check)


def test_the_digest_sends_its_text_and_the_progress_picture(tmp_path: Path, cfg: Config) -> None:
    store = Store.open(tmp_path / "tf.db")
    now = datetime.now(SEOUL)
    group = -100777
    store.set_setting(None, now.isoformat(), GROUP_KEY, str(group))
    store.add_progress("d000-task-daegu", COORD, "김코디", (now - timedelta(days=2)).isoformat(), 40, "진행", "설계")
    store.add_progress("d000-task-naju", COORD, "김코디", (now - timedelta(days=30)).isoformat(), 10, "지연", "착수")
    engine = Engine(store)
    service = ReminderService(store, engine.policy, cfg)

    async def check(fake: FakeBotApi) -> None:
        fake.add_chat({"id": group, "type": "group", "title": "TF"})
        async with running(fake, engine, cfg, background=[service]):
            await service.send_digest()
            sent = fake.messages_to(group)
            assert [s.method for s in sent] == ["sendMessage", "sendPhoto"]
            assert "TF 주간 요약" in sent[0].text and "📊 진행 현황 그림" in sent[0].text
            assert sent[1].data.startswith(PNG) and sent[1].text.startswith("협업과제 진행 현황")

    e2e(check)


def test_a_digest_with_no_progress_sends_text_only(store: Store) -> None:
    quiet = digest(store, Policy(), NOW)
    assert quiet.attachments == [] and "진행 현황 그림" not in quiet.text
    busy = digest(logged(store), Policy(), NOW)
    assert [a.kind for a in busy.attachments] == ["photo"] and "📊 진행 현황 그림: 과제 11건" in busy.text
    assert busy.attachments[0].caption.startswith("TF 과제 진행 현황")   # 10 협업과제 and a 대표프로젝트 logged
