"""Kill/restart: a real `tfbot run` SIGKILLed at the instant a deadline reminder's send reaches the fake Bot API
(accepted there, or dropped) and at a random moment loses no deadline reminder and repeats only the one in
flight at a kill (tests/deadline_kill.py)."""

import asyncio
import random
from datetime import datetime, time, timedelta
from pathlib import Path

import pytest

from tests.deadline_kill import LEAD, MODES, run_round
from tests.reminder_kill import SEOUL


@pytest.mark.slow   # about 15 s, and timing-bound on a busy machine
def test_no_deadline_reminder_is_lost_or_repeated_across_kills(tmp_path: Path) -> None:
    if (datetime.now(SEOUL) + timedelta(seconds=LEAD + 60)).time() < time(0, 2):
        pytest.skip("too close to midnight: 'tomorrow' would change during the round")
    seed = random.randrange(1 << 30)
    outcome = asyncio.run(run_round(tmp_path, seed, kills=4))
    report = f"seed {seed}: {outcome.summary()}"
    assert outcome.problems == [], report
    assert outcome.due == outcome.delivered > 0, report
    assert set(outcome.kills) <= set(MODES) and outcome.kills["send-accepted"] + outcome.kills["send-dropped"] >= 1, \
        report
