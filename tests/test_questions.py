"""Question files: the shared sample must be answered in full; ours are scored as a whole."""

from pathlib import Path

import pytest

from intents.engine import Engine
from tests.conftest import ask
from tests.scoring import Question, judge, load

HERE = Path(__file__).parent
OURS = sorted((HERE / "questions").glob("*.tsv"))
UNSEEN_FILES = sorted((HERE / "questions" / "unseen").glob("*.tsv"))   # written blind by helper sessions
SHARED = HERE.parent.parent / "shared" / "examples" / "questions.tsv"
SAMPLE = load(SHARED) if SHARED.exists() else []
OWN = [q for f in OURS for q in load(f)]
UNSEEN = [q for f in UNSEEN_FILES for q in load(f)]
OWN_MINIMUM = 0.96   # the measured score when this bar was set; raise it as answers improve
# the answer-first rule (the asked fact in the first content line), as check_questions.py --lead 1 scores it;
# measured when set: all files 1270/1341 (94.7 %), the blind sets a–h and h8 789/840 (93.9 %); with set i,
# all files 1376/1441 (95.5 %), the blind sets 892/940 (94.9 %); with sets j-q, all files 1889/1961 (96.3 %),
# the blind sets 1403/1460 (96.1 %); with sets r-af and the last file u, all files 2796/2901 (96.4 %), the blind
# sets 2309/2400 (96.2 %), our own files 463/477 (97.1 %)
ANSWER_FIRST_MINIMUM = 0.96
UNSEEN_MINIMUM = 0.96


def _answer(engine: Engine, question: Question, lines: int = 0) -> str:
    reply = ask(engine, question.text)
    return judge(question, reply.text, [e.as_json() for e in reply.entities], lines)


def test_there_are_enough_questions_of_our_own() -> None:
    assert len(OWN) >= 100
    assert sum(q.expect == "!none" for q in OWN) >= 10


@pytest.mark.skipif(not SAMPLE, reason="../shared/examples/questions.tsv is not beside the checkout")
@pytest.mark.parametrize("question", SAMPLE, ids=[q.id for q in SAMPLE])
def test_sample_question_is_answered(ro_engine: Engine, question: Question) -> None:
    why = _answer(ro_engine, question)
    assert not why, f"{question.text!r}: {why}"


def test_own_questions_score(ro_engine: Engine) -> None:
    misses = [(q.id, q.text, why) for q in OWN if (why := _answer(ro_engine, q))]
    score = 1 - len(misses) / len(OWN)
    print(f"own questions: {len(OWN) - len(misses)}/{len(OWN)} correct ({score:.1%})")
    for miss in misses:
        print("MISS", *miss)
    assert score >= OWN_MINIMUM, f"{score:.1%} < {OWN_MINIMUM:.0%}"


def _score(engine: Engine, questions: list[Question], label: str) -> float:
    misses = [(q.id, q.text, why) for q in questions if (why := _answer(engine, q, lines=1))]
    score = 1 - len(misses) / len(questions)
    print(f"{label}: {len(questions) - len(misses)}/{len(questions)} answer first ({score:.1%})")
    for miss in misses:
        print("MISS", *miss)
    return score


def test_answers_state_the_asked_fact_first(ro_engine: Engine) -> None:
    score = _score(ro_engine, OWN + UNSEEN + SAMPLE, "all question files")
    assert score >= ANSWER_FIRST_MINIMUM, f"{score:.1%} < {ANSWER_FIRST_MINIMUM:.0%}"


def test_blind_questions_score(ro_engine: Engine) -> None:
    assert len(UNSEEN) >= 300 and sum(q.expect == "!none" for q in UNSEEN) >= 40
    score = _score(ro_engine, UNSEEN, "blind sets")
    assert score >= UNSEEN_MINIMUM, f"{score:.1%} < {UNSEEN_MINIMUM:.0%}"


def test_no_answer_questions_never_name_an_entity(ro_engine: Engine) -> None:
    wrong = [q.text for q in OWN + SAMPLE if q.expect == "!none" and _answer(ro_engine, q)]
    assert len(wrong) <= 2, wrong
