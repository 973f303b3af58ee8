"""`tfbot export`, `tfbot import`, `tfbot backup` and `tfbot restore` from the shell: exit statuses, one-line
errors, nothing written unless everything is applied."""

import json
import sqlite3
from pathlib import Path

import pytest

from store import Store
from tests.conftest import Cli
from tests.sheetfiles import fingerprint, headers, read_xlsx, xlsx

CONTACTS = "담당자·연락처"


def change_phone(path: Path, phone: str = "044-203-9999") -> Path:
    """A contacts sheet changing 정병찬's phone, written to `path`."""
    path.write_bytes(xlsx({CONTACTS: [["ID", "전화"], ["d002-ct-jeongbyeongchan", phone]]}))
    return path


def test_export_writes_the_default_name_and_the_template(cli: Cli, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    status, out, _ = cli("export", "--db", "tf.db")
    [written] = list(tmp_path.glob("tfbot-export-*.xlsx"))
    assert status == 0 and f"데이터를 {written.name}에 저장했습니다." in out
    assert "감사 기록" in read_xlsx(written.read_bytes())   # the local operator is an admin
    status, out, _ = cli("export", "--template", "양식.xlsx")
    assert status == 0 and "양식.xlsx" in out
    assert read_xlsx((tmp_path / "양식.xlsx").read_bytes())[CONTACTS] == [headers(CONTACTS)]
    status, _, err = cli("export", "--db", "tf.db", str(tmp_path / "없는폴더" / "x.xlsx"))
    assert status == 1 and err.startswith("tfbot: 파일을 쓸 수 없습니다") and "폴더가 없습니다" in err


def test_import_dry_run_yes_and_refusals(cli: Cli, tmp_path: Path) -> None:
    db = str(tmp_path / "tf.db")
    file = change_phone(tmp_path / "명단.xlsx")
    Store.open(db).close()
    store = Store.open(db)
    before = fingerprint(store)

    status, out, _ = cli("import", str(file), "--dry-run", "--db", db)
    assert status == 0 and "전화: 044-203-4418 → 044-203-9999" in out
    status, out, err = cli("import", str(file), "--db", db)   # no terminal to ask on: nothing applied
    assert status == 1 and "--yes" in err
    assert fingerprint(store) == before

    status, out, _ = cli("import", str(file), "--yes", "--db", db)
    assert status == 0 and "가져왔습니다: 추가 0행, 변경 1행. 백업: " in out
    backup = Path(out.split("백업: ")[1].strip())
    assert backup.parent == tmp_path / "backups" and backup.is_file()
    assert store.phones("contact", "d002-ct-jeongbyeongchan") == ["044-203-9999"]

    bad = change_phone(tmp_path / "나쁨.xlsx", "전화없음")
    after = fingerprint(store)
    status, out, _ = cli("import", str(bad), "--yes", "--db", db)
    assert status == 1 and "'전화' 열: '전화없음'은(는) 전화번호가 아닙니다" in out
    status, _, err = cli("import", str(bad), "--dry-run", "--db", db)
    assert status == 1
    status, _, err = cli("import", str(tmp_path / "없음.xlsx"), "--db", db)
    assert status == 1 and err == f"tfbot: 파일이 없습니다: {tmp_path / '없음.xlsx'} 아무것도 바꾸지 않았습니다.\n"
    assert fingerprint(store) == after
    status, _, err = cli("import", str(file), "--dry-run", "--yes", "--db", db)
    assert status == 2   # one or the other


def test_backup_is_a_consistent_copy_while_another_connection_writes(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "tf.db"
    Store.open(db).close()
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE contacts SET note = '아직 커밋 안 됨' WHERE id = 'd002-ct-jeongbyeongchan'")
    status, out, _ = cli("backup", str(tmp_path / "b.db"), "--db", str(db))
    writer.execute("COMMIT")
    writer.close()
    assert status == 0 and out == f"백업했습니다: {tmp_path / 'b.db'}\n"
    copy = Store.open(tmp_path / "b.db")
    assert copy.contact("d002-ct-jeongbyeongchan")["note"] != "아직 커밋 안 됨"
    copy.close()
    status, _, err = cli("backup", str(tmp_path / "b.db"), "--db", str(db))
    assert status == 1 and "이미 있는 파일이라 덮어쓰지 않습니다" in err
    status, out, _ = cli("backup", str(tmp_path), "--db", str(db))   # a folder: a dated file in it
    assert status == 0 and "tfbot-backup-" in out
    status, out, _ = cli("backup", f"{tmp_path / '백업'}/", "--db", str(db))   # "백업/": a folder, made for it
    assert status == 0 and (tmp_path / "백업").is_dir() and f"{tmp_path / '백업'}/tfbot-backup-" in out


def test_restore_checks_the_file_and_backs_up_first(cli: Cli, tmp_path: Path) -> None:
    db = tmp_path / "tf.db"
    status, _, err = cli("backup", str(tmp_path / "b.db"), "--db", str(db))
    assert status == 1 and err == f"tfbot: 백업할 파일이 없습니다: {db}\n"   # nothing is created to back up
    Store.open(db).close()
    assert cli("backup", str(tmp_path / "b.db"), "--db", str(db))[0] == 0
    assert cli("import", str(change_phone(tmp_path / "명단.xlsx")), "--yes", "--db", str(db))[0] == 0

    status, out, _ = cli("restore", str(tmp_path / "b.db"), "--db", str(db))
    assert status == 0 and "복원했습니다" in out and "복원 전 데이터베이스 백업: " in out
    store = Store.open(db)
    assert store.phones("contact", "d002-ct-jeongbyeongchan") == ["044-203-4418"]
    saved = Store.open(Path(out.split("백업: ")[1].strip().rstrip(")")))
    assert saved.phones("contact", "d002-ct-jeongbyeongchan") == ["044-203-9999"]

    before = fingerprint(store)
    (tmp_path / "글.db").write_text("not a database")
    other = sqlite3.connect(tmp_path / "다른앱.db")
    other.execute("CREATE TABLE notes (x)")
    other.commit()
    other.close()
    newer = tmp_path / "새버전.db"
    assert cli("backup", str(newer), "--db", str(db))[0] == 0
    conn = sqlite3.connect(newer)
    conn.execute("INSERT INTO _migrations VALUES ('999_from_the_future', datetime('now'))")
    conn.commit()
    conn.close()
    for name, said in (("글.db", "SQLite 데이터베이스 파일이 아닙니다"), ("다른앱.db", "tfbot 데이터베이스가 아닙니다"),
                       ("새버전.db", "더 새 버전의 tfbot이 만든 데이터베이스라 열지 않습니다"),
                       ("없음.db", "복원할 파일이 없습니다")):
        status, _, err = cli("restore", str(tmp_path / name), "--db", str(db))
        assert status == 1 and said in err and err.count("\n") == 1, (name, err)
    assert fingerprint(store) == before


def test_import_on_a_terminal_asks_before_applying(tmp_path: Path) -> None:
    from tests.test_console_tty import Terminal

    db, config = tmp_path / "tf.db", tmp_path / "config.toml"
    config.write_text('[logging]\nlevel = "WARNING"\n')
    Store.open(db).close()
    file = change_phone(tmp_path / "명단.xlsx")
    for key, said in (("n", "취소했습니다. 아무것도 바꾸지 않았습니다."), ("y", "가져왔습니다: 추가 0행, 변경 1행")):
        terminal = Terminal("import", str(file), "--db", str(db), "--config", str(config))
        try:
            shown = terminal.wait_for("적용할까요? [y/N] ")
            assert "전화: 044-203-4418 → 044-203-9999" in shown
            store = Store.open(db)
            assert store.phones("contact", "d002-ct-jeongbyeongchan") == ["044-203-4418"]   # not before y
            store.close()
            terminal.type(f"{key}\n")
            terminal.wait_for(said)
        finally:
            terminal.close()
    store = Store.open(db)
    assert store.phones("contact", "d002-ct-jeongbyeongchan") == ["044-203-9999"]
    store.close()


def test_a_file_an_answer_carries_is_written_and_named_in_the_json(cli: Cli, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # `tfbot ask --json "/export"`: the contract's "files", the file written into the working folder
    monkeypatch.chdir(tmp_path)
    status, out, _ = cli("ask", "--json", "/export", "--db", str(tmp_path / "tf.db"))
    files = json.loads(out)["files"]
    assert status == 0 and len(files) == 1 and files[0]["caption"].startswith("tfbot-export-")
    assert Path(files[0]["path"]).parent == tmp_path and Path(files[0]["path"]).stat().st_size > 1000
    assert "files" not in json.loads(cli("ask", "--json", "부산 평가단 전화", "--db", str(tmp_path / "tf.db"))[1])
