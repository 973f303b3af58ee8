"""Property-based: any text at all gets a reply, under Telegram's limit, and changes nothing."""

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from intents.engine import Engine
from store import Store
from tests.conftest import ask

NASTY = st.sampled_from([
    "<script>alert(1)</script> 부산", "'; DROP TABLE contacts; --", "부산\x00평가단\x07", "🙂🚀 국비?",
    "&lt;b&gt;", "ㄱㄴㄷㄹ", "　全角ＬＨ", "\u202e역방향", "%s %d {0}", "a" * 5000, "국비 " * 400,
])
TEXT = st.one_of(st.text(max_size=300), st.text(max_size=12000), NASTY,
                 st.lists(st.sampled_from(["부산", "국비", "2단계", "클러스터", "담당자", "?", "<b>", "회의"]),
                          max_size=30).map(" ".join))


def _snapshot(store: Store) -> dict[str, int]:
    # every table but `unanswered`, the one a question adds to (misses kept for `tfbot unanswered`)
    tables = [r["name"] for r in store.rows("SELECT name FROM sqlite_master WHERE type = 'table'")
              if r["name"] != "unanswered"]
    return {t: store.count(t) for t in tables} | {"changes": store.db.execute("PRAGMA data_version").fetchone()[0]}


def test_arbitrary_text_never_breaks_the_engine(tmp_path: Path) -> None:
    store = Store.open(tmp_path / "prop.db")
    engine = Engine(store)
    before = _snapshot(store)

    @settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(text=TEXT, user=st.one_of(st.none(), st.integers(min_value=-(2**63), max_value=2**63 - 1)))
    def check(text: str, user: int | None) -> None:
        reply = ask(engine, text, user_id=user)
        assert reply.text.strip()
        assert len(reply.text) <= 4096
        assert all(len(b.action.encode()) < 64 for b in reply.buttons)

    check()
    assert _snapshot(store) == before
