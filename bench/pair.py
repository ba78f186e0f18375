#!/usr/bin/env python3
"""Interleaved, paired timing of whole commands: each round runs every command once, in a
fresh random order, and the ratio of each command to the last is taken round by round.

On a shared machine whose speed drifts from minute to minute (steal time, other guests),
hyperfine's back-to-back batches can put one command in a slow minute and the other in a fast
one; rounds compare the commands under the same conditions, and the median of the per-round
ratios stays put when the medians themselves move.

    python3 bench/pair.py ROUNDS 'name=command args' ... 'base=command args'

Commands are split on spaces (no shell); output goes to /dev/null. Prints one line per
command: median and quartiles of its times, and the median of its per-round ratio to the base
(the last command).
"""

import os
import random
import statistics
import subprocess
import sys
import time


def run(argv, sink):
    start = time.perf_counter()
    subprocess.run(argv, stdout=sink, stderr=sink, check=False)
    return time.perf_counter() - start


def main():
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    rounds = int(sys.argv[1])
    commands = []
    for arg in sys.argv[2:]:
        name, _, command = arg.partition("=")
        commands.append((name, command.split()))
    times = {name: [] for name, _ in commands}
    with open(os.devnull, "wb") as sink:
        for _, argv in commands:  # warm-up: page cache, first-run costs
            for _ in range(3):
                run(argv, sink)
        for _ in range(rounds):
            order = commands[:]
            random.shuffle(order)
            for name, argv in order:
                times[name].append(run(argv, sink))
    base = commands[-1][0]
    for name, _ in commands:
        t = sorted(times[name])
        q1, q3 = t[len(t) // 4], t[(3 * len(t)) // 4]
        ratio = statistics.median(x / y for x, y in zip(times[name], times[base]))
        print(
            f"{name}: median {1000 * statistics.median(t):.1f} ms "
            f"(quartiles {1000 * q1:.1f}–{1000 * q3:.1f}), "
            f"per-round ratio to {base} {ratio:.3f} ({rounds} rounds)"
        )


if __name__ == "__main__":
    main()
