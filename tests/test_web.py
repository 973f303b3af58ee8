"""`tfbot web`: the real command, started on 127.0.0.1 on a free port against a temporary database, answers the
public tables (JSON and HTML) and the saved queries, reveals nothing private as a page or through SQL, follows
the bot's writes, asks for a login when one is configured, and stops cleanly; operator faults are one line."""

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.cli import main
from store import Store
from tests.conftest import NOW
from tests.test_public_view import USER, _every_id_written

ROOT = Path(__file__).resolve().parent.parent
PRIVATE = ("users", "audit", "pending", "private_chats", "settings", "choices", "user_links", "meeting_responses",
           "reminders_sent", "row_origins", "corrections", "unanswered", "dataset_rows", "_migrations", "passages")
ID_COLUMNS = ("select user_id from progress", "select created_by from meetings", "select added_by from documents",
              "select owner_id from task_owners", "select added_by from task_owners")


@contextmanager
def web(db: Path, *options: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """`tfbot web --port 0` in a subprocess; yields its base URL, then stops it with SIGTERM and checks it ended."""
    proc = subprocess.Popen([sys.executable, "-m", "bot.cli", "web", "--db", str(db), "--port", "0",
                             "--config", os.devnull, *options], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, **(env or {})})
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()   # printed once it listens
        found = re.search(r"http://127\.0\.0\.1:\d+/", line)
        assert found, (line, proc.stderr.read() if proc.poll() is not None and proc.stderr else "")
        yield found.group(0)
    finally:
        proc.send_signal(signal.SIGTERM)
        _, err = proc.communicate(timeout=15)
    assert proc.returncode == 0, err
    assert "Traceback" not in err


def _rows(client: httpx.Client, path: str, **params: str) -> list[dict[str, Any]]:
    answer = client.get(path, params={"_shape": "array", **params})
    assert answer.status_code == 200, answer.text
    rows: list[dict[str, Any]] = answer.json()
    return rows


def test_web_serves_the_public_tables_and_nothing_private(tmp_path: Path) -> None:
    db = tmp_path / "tf.db"
    store = Store.open(db)
    _every_id_written(store)
    with web(db) as url, httpx.Client(base_url=url, timeout=10) as client:
        tasks = _rows(client, "/tfbot/tasks.json", 과제명="그린에너지 캠퍼스 구축")
        assert [(t["진행률"], t["상태"], t["기록자"]) for t in tasks] == [(45, "지연", "이름 없는 사용자")]
        page = client.get("/tfbot/tasks", params={"_facet": "상태"})
        assert page.status_code == 200 and "<h1>과제" in page.text and "그린에너지 캠퍼스 구축" in page.text
        assert "계획, 진행, 지연, 보류, 완료, 기록 없음" in page.text   # a column description from the metadata
        budgets = client.get("/tfbot/budgets")
        assert budgets.status_code == 200 and "국가혁신클러스터육성사업" in budgets.text   # the program's label
        late = client.get("/tfbot/late_tasks")
        assert late.status_code == 200 and ">지연 과제</h1>" in late.text and "상태: 지연" in late.text
        region = _rows(client, "/tfbot/budgets_by_region.json", 지역="강원")
        assert region[0]["사업명"] == "강원 국가혁신클러스터"

        everything = client.get("/tfbot.json").text + client.get("/-/metadata.json").text
        for table in PRIVATE:
            assert f'"{table}"' not in everything, table
            assert client.get(f"/tfbot/{table}").status_code == 404, table
            asked = client.get("/tfbot.json", params={"sql": f"select * from {table}"})
            assert asked.status_code == 400 and asked.json()["rows"] == [], table
            assert asked.json()["error"] == f"no such table: {table}"
        for sql in ID_COLUMNS:
            asked = client.get("/tfbot.json", params={"sql": sql})
            assert asked.status_code == 400 and asked.json()["error"].startswith("no such column"), sql
        attach = client.get("/tfbot.json", params={"sql": f"attach database '{db}' as live"})
        assert attach.status_code == 400 and "must be a SELECT" in attach.json()["error"]
        assert client.get("/_internal").status_code == 403
        where = client.get("/tfbot/progress.json", params={"_where": "id in (select user_id from users)"})
        assert where.status_code == 400 and where.json()["error"] == "no such table: users"
        files = client.get("/tfbot.json", params={"sql": "select file from pragma_database_list()"}).json()["rows"]
        assert len(files) == 1 and str(db) not in str(files)   # only the copy is open: the live file is not
        shown = [_rows(client, f"/tfbot/{t}.json", _size="max")
                 for t in ("progress", "meetings", "task_owners", "documents", "contacts")]
        whole = json.dumps(shown, ensure_ascii=False)
        assert str(USER) not in whole and "김코디" in whole

        store.add_progress("d000-task-daegu", USER, "김코디", NOW.isoformat(), 70, "진행", "착공")   # the bot writes
        deadline = time.monotonic() + 10
        while _rows(client, "/tfbot/tasks.json", id="d000-task-daegu")[0]["진행률"] != 70:
            assert time.monotonic() < deadline, "the web view did not follow the write"
            time.sleep(0.2)
        copy = client.get("/-/databases.json").json()[0]["path"]
    store.close()
    assert not Path(copy).exists()   # the view-only copy went with the server


def test_a_configured_login_is_asked_for(tmp_path: Path) -> None:
    db = tmp_path / "tf.db"
    Store.open(db).close()
    with web(db, env={"TFBOT_WEB_PASSWORD": "tf-secret-1"}) as url, httpx.Client(base_url=url, timeout=10) as client:
        assert client.get("/tfbot/tasks.json").status_code == 401
        assert client.get("/tfbot/tasks.json", auth=("tf", "wrong-password")).status_code == 401
        assert client.get("/-/metadata.json").status_code == 401
        answer = client.get("/tfbot/tasks.json", auth=("tf", "tf-secret-1"))
        assert answer.status_code == 200 and answer.json()["rows"]
        assert "tf-secret-1" not in client.get("/-/metadata.json", auth=("tf", "tf-secret-1")).text
        assert client.get("/_internal", auth=("tf", "tf-secret-1")).status_code == 403


def test_other_commands_do_not_load_datasette() -> None:
    loaded = subprocess.run([sys.executable, "-c", "import sys, bot.cli; print(sorted(m for m in sys.modules "
                             "if m.split('.')[0] in ('datasette', 'uvicorn', 'bot')))"], cwd=ROOT,
                            capture_output=True, text=True, check=True).stdout
    assert "datasette" not in loaded and "uvicorn" not in loaded and "bot.web" not in loaded and "bot.cli" in loaded


def _refused(capsys: pytest.CaptureFixture[str], *argv: str, env: dict[str, str] | None = None) -> str:
    """Run `tfbot web …` in this process; it must exit 2 with one line on stderr and print nothing else."""
    saved = {k: os.environ.get(k) for k in (env or {})}
    os.environ.update(env or {})
    try:
        assert main(["web", "--config", os.devnull, *argv]) == 2
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("tfbot: ") and err.count("\n") == 1, err
    return err


def test_operator_faults_are_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "tf.db"
    Store.open(db).close()
    with monkeypatch.context() as without:
        without.setitem(sys.modules, "datasette.app", None)   # as if Datasette were not installed
        assert "pip install -e ." in _refused(capsys, "--db", str(db))
    assert "로그인이 필요합니다" in _refused(capsys, "--db", str(db), "--host", "0.0.0.0")
    assert "8자 이상" in _refused(capsys, "--db", str(db), env={"TFBOT_WEB_PASSWORD": "short"})
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        assert "이미 다른 프로그램이 쓰고" in _refused(capsys, "--db", str(db), "--port", port)
    assert "파일이 없습니다" in _refused(capsys, "--db", str(tmp_path / "none.db"))
    assert not (tmp_path / "none.db").exists()   # never created
    assert "폴더가 없습니다" in _refused(capsys, "--db", str(tmp_path / "no" / "tf.db"))
    assert "이 컴퓨터의 주소가 아닙니다" in _refused(capsys, "--db", str(db), "--host", "192.0.2.1",
                                               env={"TFBOT_WEB_PASSWORD": "tf-secret-1"})   # TEST-NET-1
