"""Kill/restart: a real `tfbot run` SIGKILLed around reminder due times and mid-send loses no reminder.

Eight kills in one round (about 20 s): at random moments, and at the instant a reminder's send reaches the
fake Bot API (accepted there, or dropped). 0 lost; a reminder arrives twice only if it was the one in flight
at a kill; every reminder that could not go out because its meeting began is recorded and logged.
bench/reminder_kill.py runs the same for many more kills.
"""

import asyncio
import random
from pathlib import Path

import pytest

from tests.reminder_kill import MODES, run_trials


@pytest.mark.slow   # about 25 s, and timing-bound on a busy machine: bench/reminder_kill.py runs 200 trials
def test_no_reminder_is_lost_or_repeated_across_kills(tmp_path: Path) -> None:
    seed = random.randrange(1 << 30)
    tally = asyncio.run(run_trials(8, tmp_path, seed))
    report = f"seed {seed}: {tally.summary()}"
    assert tally.trials == 8 and set(tally.modes) <= set(MODES), report
    assert tally.problems == [], report
    assert tally.reminders == tally.delivered + tally.skipped > 0, report
    assert tally.modes["send-accepted"] + tally.modes["send-dropped"] >= 1, report   # some kills were mid-send
