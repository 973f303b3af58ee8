"""Datasette's metadata for the web view: Korean titles, descriptions, facets, labels and the saved queries,
all read from the declarations in store/public_tables.py; and the login, when one is configured."""

from html import escape
from typing import Any

from store.public_tables import TABLES, SavedQuery, saved_queries

DATABASE = "tfbot"   # the copy's file name, so the pages are /tfbot/tasks, /tfbot/budgets …
ABOUT = ("tfbot이 답하는 과제·진행 기록·예산·담당자·회의를 표로 봅니다. 읽기 전용이며, 봇의 데이터베이스가 바뀌면 "
         "몇 초 안에 반영됩니다. 사용자·권한·감사 기록·텔레그램 ID는 이 사이트에 없습니다.")
PASSWORD_HASH_ENV = "TFBOT_WEB_PASSWORD_HASH"   # set in the web process only; /-/metadata shows the name, not it


def actor_id(user: str) -> str:
    """The Datasette actor of the configured login (never "root", which Datasette lets see its _internal tables)."""
    return f"tfbot-web:{user}"


def contents(queries: tuple[SavedQuery, ...]) -> str:
    """The Korean table of contents shown on the first pages (Datasette lists tables by their names)."""
    tables = "".join(f'<li><a href="/{DATABASE}/{t.name}">{escape(t.title)}</a> — {escape(t.about)}</li>'
                     for t in TABLES)
    asked = "".join(f'<li><a href="/{DATABASE}/{q.name}">{escape(q.title)}</a> — {escape(q.about)}</li>'
                    for q in queries)
    return (f"<p>{escape(ABOUT)}</p><h3>저장된 질의</h3><ul>{asked}</ul><h3>표</h3><ul>{tables}</ul>"
            "<p>표마다 열 이름으로 거르고(facet) 정렬하며, 주소 끝에 .json을 붙이면 JSON으로 받습니다.</p>")


def metadata(stale_days: int, utc_offset_minutes: int, user: str | None) -> dict[str, Any]:
    """The metadata Datasette is started with: `stale_days` and the time zone's offset for the saved queries,
    `user` the login name when a password is configured."""
    saved = saved_queries(stale_days, utc_offset_minutes)
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
    queries = {q.name: {"title": q.title, "description": q.about, "sql": q.sql, "hide_sql": True}
               for q in saved}
    meta: dict[str, Any] = {
        "title": "혁신도시 TF 자료 (읽기 전용)",
        "description_html": contents(saved),
        "databases": {DATABASE: {"title": "TF 자료", "description_html": contents(saved),
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
