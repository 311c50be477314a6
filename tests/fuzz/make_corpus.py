#!/usr/bin/env python3
"""Writes the seed corpus of ants_api_fuzzer (tests/fuzz/corpus/).

Each seed is a scenario spelled in the fuzzer's byte encoding (see the op_*
functions of api_fuzzer.cpp); libFuzzer mutates from there. Rerun after
changing the encoding:  python3 tests/fuzz/make_corpus.py
"""
import os
import random

OPS = ["new", "submit", "submit2", "burst", "tune", "release", "release_timeout",
       "reboot", "wait_idle", "stats", "free", "open_gate", "blocker",
       "group_wait", "invalid", "group_free", "fault", "cancel", "spawn_race",
       "thread_exit"]
OP = {name: i for i, name in enumerate(OPS)}
KIND = {"plain": 0, "func": 1, "multi": 2, "multifunc": 3}
TASK = {"quick": 0, "gated": 1, "sleep": 2, "throw": 3, "nested": 4, "selfwait": 5}
MODE = {"submit": 0, "timeout0": 1, "timeout_short": 2, "timeout_long": 3, "group": 4}
EXPIRY = {0: 0, 1: 1, 20: 2, 200: 3}

USE, NB, PRE, NOPURGE, HANDLER, LOGGER, HOOKS, QUEUE = 1, 2, 4, 8, 16, 32, 64, 128


def new(slot, kind="plain", size=2, bits=USE | HANDLER, n=2, lb=1, expiry=200, maxb=0, queue=0):
    b = [OP["new"], slot, KIND[kind], size + 1, bits | (QUEUE if queue else 0),
         n - 1, lb - 1, EXPIRY[expiry], maxb]
    if queue:
        b.append(queue - 1)
    return b


def submit(slot, task="quick", mode="submit"):
    return [OP["submit"], slot, TASK[task], MODE[mode]]


def burst(slot, count=8, sleepy=0):
    return [OP["burst"], slot, count - 1, sleepy]


def tune(slot, size):
    return [OP["tune"], slot, size + 2]


def one(op, slot=0):
    return [OP[op], slot]


def release(slot, twice=0):
    return [OP["release"], slot, twice]


def invalid(which, slot=0, extra=0):
    return [OP["invalid"], which, slot, extra]


def fault(slot, thread=True, count=1, what=1, gated=0):
    return [OP["fault"], slot, 1 if thread else 0, count - 1, what, gated]


def spawn_race(queue=0, cap=1, fail=1, bounded=0, release=0):
    """A thread creation held, then failing (fail=1) or not, while a second
    caller queues or blocks behind it; release=1 closes the pool meanwhile."""
    return [OP["spawn_race"], queue, cap - 1, 1 if fail else 0, bounded, 0 if release else 1]


def thread_exit(queue=0, cap=1, n=4, exits=0b0101):
    """n tasks, those whose bit is set in exits end their thread."""
    return [OP["thread_exit"], queue, cap - 1, n - 1, exits]


def seq(*parts):
    out = []
    for p in parts:
        out.extend(p)
    return bytes(out)


SEEDS = {
    "full_pool_blocks_then_gate": seq(
        new(0, size=2), submit(0, "gated"), submit(0, "gated"), one("blocker"),
        one("stats"), one("open_gate"), one("wait_idle"), one("free")),
    "free_wakes_blocked_callers": seq(
        new(0, size=1, maxb=0), submit(0, "gated"), one("blocker"), one("blocker"),
        one("blocker"), one("stats"), one("free")),
    "multipool_free_wakes_blocked_callers": seq(
        new(0, "multi", size=1, n=2), submit(0, "gated"), submit(0, "gated"),
        one("blocker"), one("blocker"), one("stats"), one("free")),
    "multifunc_free_wakes_blocked_callers": seq(
        new(1, "multifunc", size=1, n=3, lb=2), submit(1, "gated"), submit(1, "gated"),
        submit(1, "gated"), one("blocker", 1), one("blocker", 1), one("free", 1)),
    "tune_shrink_with_stuck_tasks": seq(
        new(0, size=4), submit(0, "gated"), submit(0, "gated"), submit(0, "gated"),
        tune(0, 1), one("stats"), submit(0, "quick", "timeout_short"), one("open_gate"),
        one("stats"), burst(0, 12), one("stats"), one("free")),
    "tune_grow_wakes_waiters": seq(
        new(0, size=1), submit(0, "gated"), one("blocker"), one("blocker"), tune(0, 3),
        one("stats"), one("open_gate"), one("wait_idle")),
    "release_wakes_waiters_then_reboot": seq(
        new(0, size=1), submit(0, "gated"), one("blocker"), release(0, 1), one("stats"),
        submit(0), one("reboot"), submit(0, "quick"), one("open_gate"), one("stats"),
        submit(0, "sleep"), one("wait_idle")),
    "release_timeout_stuck_then_ok": seq(
        new(0, size=3), submit(0, "gated"), burst(0, 5), one("release_timeout"),
        one("open_gate"), one("release_timeout"), one("reboot"), burst(0, 9, 1),
        one("release_timeout"), one("free")),
    "nonblocking_overload": seq(
        new(0, size=2, bits=USE | NB | LOGGER), submit(0, "gated"), submit(0, "gated"),
        submit(0, "quick"), submit(0, "quick", "timeout_long"), one("stats"),
        one("open_gate"), submit(0, "quick"), one("wait_idle")),
    "max_blocking_overload": seq(
        new(0, size=1, maxb=2), submit(0, "gated"), one("blocker"), one("blocker"),
        one("blocker"), submit(0, "quick", "timeout_short"), one("stats"), one("open_gate"),
        one("stats")),
    "nested_submit_inline_when_full": seq(
        new(0, size=2), submit(0, "gated"), submit(0, "nested"), submit(0, "nested"),
        one("wait_idle"), one("open_gate"), one("wait_idle"), one("free")),
    "nested_in_multipool_full_subpool": seq(
        new(0, "multi", size=1, n=2, lb=1), submit(0, "gated"), submit(0, "nested"),
        submit(0, "nested"), one("stats"), one("open_gate"), one("free")),
    "selfwait_and_group_selfwait": seq(
        new(0, size=3), submit(0, "selfwait"), submit(0, "selfwait", "group"),
        [OP["group_wait"]], new(1, "multi", size=2, n=2), submit(1, "selfwait", "group"),
        [OP["group_wait"]], one("free", 1), one("free")),
    "group_across_pools": seq(
        new(0, size=2), new(1, "func", size=3, bits=USE | LOGGER | HOOKS),
        submit(0, "sleep", "group"), submit(1, "throw", "group"), submit(1, "gated", "group"),
        submit(0, "nested", "group"), [OP["group_wait"]], one("open_gate", 1),
        [OP["group_wait"]], [OP["group_free"]], submit(0, "quick", "group"), [OP["group_wait"]]),
    "throw_with_handler_and_logger": seq(
        new(0, size=2, bits=USE | HANDLER), new(1, "multifunc", size=2, bits=USE | LOGGER),
        submit(0, "throw"), submit(0, "throw", "timeout0"), submit(1, "throw"),
        burst(0, 4), one("free"), one("free", 1)),
    "unlimited_pool_many_gated": seq(
        new(0, size=0), *[submit(0, "gated") for _ in range(12)], one("stats"),
        one("wait_idle"), one("open_gate"), one("wait_idle"), one("stats")),
    "prealloc_tune_noop": seq(
        new(0, size=3, bits=USE | PRE | HOOKS), tune(0, 6), one("stats"),
        submit(0, "gated"), tune(0, 1), one("stats"), one("open_gate"), one("free")),
    "queue_pool": seq(
        new(0, size=1, queue=2), submit(0, "gated"), submit(0, "quick", "timeout0"),
        submit(0, "quick"), submit(0, "gated", "timeout_short"), one("stats"),
        one("wait_idle"), one("open_gate"), one("wait_idle"), one("stats")),
    "queue_multipool_nonblocking": seq(
        new(0, "multi", size=1, n=2, bits=USE | NB | LOGGER, queue=1), submit(0, "gated"),
        submit(0, "gated"), submit(0, "quick"), submit(0, "quick"), submit(0, "quick"),
        one("stats"), one("open_gate"), one("wait_idle")),
    "least_tasks_balance": seq(
        new(0, "multifunc", size=2, n=3, lb=2), submit(0, "gated"), submit(0, "gated"),
        submit(0, "gated"), submit(0, "gated"), submit(0, "quick"), one("stats"),
        one("blocker"), one("open_gate"), one("stats")),
    "round_robin_partial_full": seq(
        new(0, "multi", size=1, n=3, lb=1), submit(0, "gated"), submit(0, "quick", "timeout_short"),
        submit(0, "gated"), submit(0, "quick", "timeout0"), tune(0, 2), one("stats"),
        one("open_gate"), one("reboot"), one("stats")),
    "reboot_with_old_generation": seq(
        new(0, size=2), submit(0, "gated"), release(0), one("reboot"), submit(0, "quick"),
        submit(0, "gated", "timeout_short"), one("stats"), one("wait_idle"), one("open_gate"),
        one("wait_idle"), one("stats")),
    "short_expiry_churn": seq(
        new(0, size=3, expiry=1), burst(0, 20, 1), one("stats"), burst(0, 20), one("wait_idle"),
        new(1, "multi", size=2, n=3, expiry=1), burst(1, 24, 1), one("stats", 1), one("free", 1)),
    "no_purge_pool": seq(
        new(0, size=2, bits=USE | NOPURGE | HOOKS), burst(0, 10), one("wait_idle"),
        one("stats"), one("free")),
    "faults_thread_create": seq(
        new(0, size=2, bits=USE | LOGGER), fault(0, True, 1, 1, 1), fault(0, True, 3, 2, 0),
        fault(0, True, 2, 0), submit(0, "quick"), one("stats"), one("open_gate"), one("free")),
    "faults_alloc": seq(
        new(0, "multi", size=2, n=2, bits=USE | LOGGER | NB), fault(0, False, 1, 1, 1),
        fault(0, False, 3, 0), fault(0, False, 2, 2, 0), one("stats"), one("open_gate")),
    "faults_queue_no_worker": seq(
        new(0, "multi", size=0, n=3, bits=USE | NB | LOGGER, maxb=1, queue=3),
        fault(0, False, 3, 1, 1), one("open_gate"), one("reboot"), one("release_timeout")),
    "invalid_everything": seq(*[invalid(i, i % 2, i) for i in range(20)],
                              new(0, "func", size=2), new(1, "multi", size=1, n=2),
                              *[invalid(i, i % 2, i + 1) for i in range(20)]),
    "defaults_pool_no_options": seq(
        new(0, size=2, bits=0), burst(0, 16), submit(0, "nested"), submit(0, "sleep", "timeout_long"),
        one("stats"), one("wait_idle"), release(0), one("release_timeout")),
    "cancel_queued": seq(
        new(0, size=1, queue=3), submit(0, "gated"), submit(0, "quick"), submit(0, "throw"),
        submit(0, "gated", "group"), [OP["cancel"], 0, 1], one("stats"), one("open_gate"),
        [OP["group_wait"]], new(1, "multifunc", size=1, n=2, queue=2), submit(1, "gated"),
        submit(1, "gated"), submit(1, "nested"), submit(1, "quick"), [OP["cancel"], 1, 0],
        [OP["cancel"], 1, 1], one("wait_idle", 1), one("open_gate", 1), one("free", 1)),
    "spawn_fails_with_caller_queued": seq(
        new(0, size=2), spawn_race(queue=1, cap=2), spawn_race(queue=1, cap=2, bounded=1),
        one("stats"), spawn_race(queue=1, cap=1), one("free")),
    "spawn_fails_with_caller_blocked": seq(
        spawn_race(cap=1), spawn_race(cap=1, bounded=1), spawn_race(cap=1, release=1),
        spawn_race(cap=2, fail=0), spawn_race(queue=1, cap=1, release=1)),
    "tasks_end_their_threads": seq(
        new(0, size=2), submit(0, "gated"), thread_exit(cap=1, n=3, exits=0b001),
        thread_exit(queue=1, cap=2, n=8, exits=0b10110101), thread_exit(cap=3, n=8, exits=0xff),
        one("open_gate"), one("wait_idle"), one("free")),
    "two_pools_interleaved": seq(
        new(0, "func", size=2), new(1, "multi", size=2, n=2, lb=2),
        submit(0, "gated"), submit(1, "gated"), one("blocker", 0), burst(1, 10),
        tune(0, 4), tune(1, 1), one("stats", 1), one("open_gate", 0), release(1),
        one("open_gate", 1), one("reboot", 1), burst(1, 6), one("free", 0), one("free", 1)),
}


def main():
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "corpus")
    os.makedirs(out, exist_ok=True)
    # regress_* files are inputs that once found a bug: kept as they are.
    for name in os.listdir(out):
        if not name.startswith("regress_"):
            os.remove(os.path.join(out, name))
    for name, data in SEEDS.items():
        with open(os.path.join(out, name), "wb") as f:
            f.write(data)
    # A few random sequences biased towards existing pools: every one starts
    # by creating both slots.
    rng = random.Random(7)
    for i in range(8):
        body = new(0, rng.choice(list(KIND)), rng.randint(0, 4), rng.randint(0, 255) | USE,
                   rng.randint(1, 3), rng.randint(1, 2), rng.choice([1, 20, 200]),
                   rng.randint(0, 2)) + new(1, "plain", 3)
        body += [rng.randint(0, 255) for _ in range(rng.randint(40, 200))]
        with open(os.path.join(out, "random_%d" % i), "wb") as f:
            f.write(bytes(body))


if __name__ == "__main__":
    main()
