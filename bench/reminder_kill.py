"""Reminders under SIGKILL: a real `tfbot run` against the fake Bot API, killed N times around due times.

Each kill is a trial: at a random moment, or at the instant a reminder's send reaches the server (accepted
there, or dropped), then an immediate restart; rounds of 8 kills share one database (tests/reminder_kill.py).
Prints what reached each chat against what was due: lost, duplicated, skipped (the meeting began while the
bot was down; recorded and logged). Exit status 1 if a reminder was lost or repeated other than the one in
flight at a kill.

Run: .venv/bin/python bench/reminder_kill.py --trials 200   (about 8 minutes on 2 cores)
"""

import argparse
import asyncio
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.reminder_kill import run_trials  # noqa: E402


def main() -> int:
    """Run the trials and print the tally."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--trials", type=int, default=200, help="kills in all (default 200)")
    parser.add_argument("--per-round", type=int, default=8, help="kills per database and server (default 8)")
    parser.add_argument("--seed", type=int, help="random seed (default: a new one, printed)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp:
        tally = asyncio.run(run_trials(args.trials, Path(tmp), seed, args.per_round))
    print(f"seed {seed}: {tally.summary()}")
    print(f"lost {len(tally.lost)}, duplicates {tally.duplicates} allowed + {len(tally.bad_duplicates)} other, "
          f"wall time {time.monotonic() - started:.0f} s")
    for problem in tally.problems:
        print("  " + problem)
    return 1 if tally.problems else 0


if __name__ == "__main__":
    sys.exit(main())
