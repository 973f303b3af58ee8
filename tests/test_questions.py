"""Every question file (the shared sample and ours under tests/questions) is answered correctly."""

from pathlib import Path

import pytest

from intents.engine import Engine
from tests.conftest import ask
from tests.scoring import Question, judge, load

HERE = Path(__file__).parent
FILES = sorted((HERE / "questions").glob("*.tsv"))
SHARED = HERE.parent.parent / "shared" / "examples" / "questions.tsv"
if SHARED.exists():
    FILES.append(SHARED)
QUESTIONS = [q for f in FILES for q in load(f)]


def test_there_are_enough_questions_of_our_own() -> None:
    ours = [q for f in FILES if f != SHARED for q in load(f)]
    assert len(ours) >= 100
    assert sum(q.expect == "!none" for q in ours) >= 10


@pytest.mark.parametrize("question", QUESTIONS, ids=[q.id for q in QUESTIONS])
def test_question_is_answered(ro_engine: Engine, question: Question) -> None:
    reply = ask(ro_engine, question.text)
    why = judge(question, reply.text, [e.as_json() for e in reply.entities])
    assert not why, f"{question.text!r}: {why}\n---\n{reply.text[:600]}"
