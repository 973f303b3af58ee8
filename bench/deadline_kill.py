"""Deadline reminders under SIGKILL: rounds of a real `tfbot run` against the fake Bot API, each killed at the
instant a deadline reminder's send reaches the server (accepted there, or dropped) and at random moments, then
restarted (tests/deadline_kill.py). Prints what reached each chat against what was due. Exit status 1 if a
reminder was lost or repeated other than the one in flight at a kill.

Run: .venv/bin/python bench/deadline_kill.py --rounds 10   (about 25 s a round on 2 busy cores)
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

from tests.deadline_kill import Outcome, run_round  # noqa: E402


def main() -> int:
    """Run the rounds and print the tally."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=10, help="rounds (default 10)")
    parser.add_argument("--kills", type=int, default=4, help="kills per round (default 4)")
    parser.add_argument("--seed", type=int, help="random seed (default: a new one, printed)")
    args = parser.parse_args()
    seed = args.seed if args.seed is not None else random.randrange(1 << 30)
    rng = random.Random(seed)
    started = time.monotonic()
    total, problems = Outcome(), []
    with tempfile.TemporaryDirectory() as tmp:
        for n in range(args.rounds):
            folder = Path(tmp) / f"round-{n:03d}"
            folder.mkdir()
            outcome = asyncio.run(run_round(folder, rng.randrange(1 << 30), args.kills))
            total.kills.update(outcome.kills)
            total.due += outcome.due
            total.delivered += outcome.delivered
            total.duplicates += outcome.duplicates
            total.lost += outcome.lost
            total.bad_duplicates += outcome.bad_duplicates
            total.most_in_flight = max(total.most_in_flight, outcome.most_in_flight)
            problems += outcome.problems
    print(f"seed {seed}: {args.rounds} rounds, {total.summary()}; at most {total.most_in_flight} in flight at a "
          f"kill; wall time {time.monotonic() - started:.0f} s")
    for problem in problems:
        print("  " + problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
