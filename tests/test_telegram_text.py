"""Pure helpers of the Telegram adapter: splitting, escaping, redaction."""

from hypothesis import given
from hypothesis import strategies as st

from bot.telegram_text import escape, redact_contacts, split_text, utf16_len

LINES = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc")) | st.just("\n"))


@given(LINES, st.integers(min_value=2, max_value=50))
def test_split_keeps_every_character_within_the_limit(text: str, limit: int) -> None:
    chunks = split_text(text, limit)
    assert all(0 < utf16_len(c) <= limit for c in chunks)
    assert "".join(chunks).replace("\n", "") == text.replace("\n", "")


def test_split_prefers_line_boundaries() -> None:
    assert split_text("가나\n다라\n마바", 5) == ["가나\n다라", "마바"]
    assert split_text("가" * 7, 3) == ["가가가", "가가가", "가"]
    assert split_text("😀😀😀", 3) == ["😀", "😀", "😀"], "never inside a surrogate pair"
    assert split_text("") == []


def test_escape_covers_telegram_html() -> None:
    assert escape("<b>부산</b> & \"평가단\"") == "&lt;b&gt;부산&lt;/b&gt; &amp; \"평가단\""


def test_redact_phone_numbers_and_mail() -> None:
    text = ("전화: 051-315-9263~9266\n원문 전화 (051)315-9263~6, 010-1234-5678, 315-9263\n"
            "주소: 엄궁로 70-16 (2023-02-27) kim@korea.kr")
    redacted = redact_contacts(text)
    assert "9263" not in redacted and "5678" not in redacted and "kim@" not in redacted
    assert "엄궁로 70-16" in redacted and "2023-02-27" in redacted and "(비공개)" in redacted
