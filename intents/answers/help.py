"""Help: what the bot answers, generated from the intents' docstrings."""

from collections.abc import Sequence

from intents.message import Reply

EXAMPLES = (
    "부산 지역사업평가단 전화번호",
    "국가혁신클러스터 2단계 국비 얼마야?",
    "그린에너지 캠퍼스 진행상황",
    "대구 클러스터 육성분야",
    "지역경제위원회 몇 시에 시작해?",
    "부산 관련 과제",
)


def help_text(questions: Sequence[str], commands: dict[str, str]) -> str:
    """The help message: one line per question intent and per chat command, as the registry declares them."""
    lines = ["tfbot — TF 업무 도우미입니다. 이렇게 물어보세요:"]
    lines.extend(f"• {line}" for line in questions)
    lines.append("")
    lines.append("예시:")
    lines.extend(f"  {e}" for e in EXAMPLES)
    if commands:
        lines.append("")
        lines.append("명령어:")
        lines.extend(f"  {cmd} — {desc}" for cmd, desc in commands.items())
    return "\n".join(lines)


def answer_help(questions: Sequence[str], commands: dict[str, str], greet: bool = False) -> Reply:
    """도움말 — 물어볼 수 있는 것과 명령어 (/help)."""
    hello = "안녕하세요! 혁신도시·지역산업 TF 도우미 tfbot입니다.\n\n" if greet else ""
    return Reply(text=hello + help_text(questions, commands), intent="help")
