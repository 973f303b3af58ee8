"""Datasette's metadata for the web view: Korean titles, descriptions, facets, labels and the saved queries,
all read from the declarations in store/public_tables.py; and the login, when one is configured."""

from typing import Any

from store.public_tables import TABLES, saved_queries

DATABASE = "tfbot"   # the copy's file name, so the pages are /tfbot/tasks, /tfbot/budgets …
PASSWORD_HASH_ENV = "TFBOT_WEB_PASSWORD_HASH"   # set in the web process only; /-/metadata shows the name, not it


def actor_id(user: str) -> str:
    """The Datasette actor of the configured login (never "root", which Datasette lets see its _internal tables)."""
    return f"tfbot-web:{user}"


def metadata(stale_days: int, user: str | None) -> dict[str, Any]:
    """The metadata Datasette is started with; `user` is the login name when a password is configured."""
    tables: dict[str, Any] = {}
    for table in TABLES:
        shown: dict[str, Any] = {"title": table.title, "description": table.about,
                                 "columns": {c.name: c.about for c in table.columns if c.about}}
        if table.label:
            shown["label_column"] = table.label
        if table.facets:
            shown["facets"] = list(table.facets)
        if table.sort_desc:
            shown["sort_desc"] = table.sort_desc
        tables[table.name] = shown
    queries = {q.name: {"title": q.title, "description": q.about, "sql": q.sql} for q in saved_queries(stale_days)}
    meta: dict[str, Any] = {
        "title": "혁신도시 TF 자료 (읽기 전용)",
        "description": "tfbot이 답하는 과제·진행 기록·예산·담당자·회의를 표로 봅니다. 읽기 전용이며, "
                       "봇의 데이터베이스가 바뀌면 몇 초 안에 반영됩니다. "
                       "사용자·권한·감사 기록·텔레그램 ID는 이 사이트에 없습니다. 저장된 질의: 지연 과제, 지역별 예산.",
        "databases": {DATABASE: {"title": "TF 자료", "description": "공개 표와 저장된 질의 (지연 과제, 지역별 예산)",
                                 "tables": tables, "queries": queries}},
    }
    if user is not None:
        meta["allow"] = {"id": actor_id(user)}
        meta["plugins"] = {"datasette-auth-passwords": {
            f"{user}_password_hash": {"$env": PASSWORD_HASH_ENV},
            "actors": {user: {"id": actor_id(user), "name": user}},
            "http_basic_auth": True,
        }}
    return meta
