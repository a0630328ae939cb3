#!/usr/bin/env python3
"""The exact-integer attack on a year of published statistics (HavenStats METHOD.md).

Reads everything an analyst was shown for one year (a JSON file written by the tests:
every cell of every table asked, with its shown value or the bounds a reader knows of
it) and, for each hidden cell, minimises and maximises it over every non-negative integer
table by month and by every combination of the dimensions that is consistent with all of
it. A hidden cell whose minimum equals its maximum is pinned: the release gave it away.
It shares nothing with the Swift method; it needs scipy (scipy.optimize.milp, HiGHS).

Input:  {"threshold": k,
         "dimensions": {"province": ["a", "b", ...], ...},
         "facts": [{"months": [1, 2, 3], "cells": {"province": "a"}, "low": 1, "high": 4}, ...]}
         (a fact adds up the counts of those months whose values match `cells`, a dimension
         left out being summed over; "high": null is no upper bound; low == high is shown)
Output: one line per pinned hidden fact, "pinned <index> <value> <months> <cells>", then
        "checked <hidden> hidden, pinned <count>". A hidden fact already seen with two values
        in the solutions found on the way is not solved for again.

    python3 scripts/stats-attack.py published.json
    python3 scripts/stats-attack.py --stop-after 3 published.json   # enough to show a leak
    python3 scripts/stats-attack.py --check     # prints "scipy" when the imports work
"""
import itertools
import json
import sys

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix


def main(path, stop_after=None):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    dims = sorted(data["dimensions"])
    codes = [data["dimensions"][d] for d in dims]
    union = list(itertools.product(*[range(len(c)) for c in codes]))
    index = {(m, u): i for i, (m, u) in enumerate(itertools.product(range(1, 13), union))}
    facts = data["facts"]

    def members(fact):
        fixed = {dims.index(d): codes[dims.index(d)].index(v) for d, v in fact["cells"].items()}
        return [index[(m, u)] for m in fact["months"] for u in union
                if all(u[a] == v for a, v in fixed.items())]

    rows = [members(f) for f in facts]
    matrix = lil_matrix((len(facts), len(index)))
    for r, cols in enumerate(rows):
        for c in cols:
            matrix[r, c] = 1
    low = np.array([f["low"] for f in facts], dtype=float)
    high = np.array([np.inf if f["high"] is None else f["high"] for f in facts], dtype=float)
    constraints = LinearConstraint(matrix.tocsr(), low, high)
    integral = np.ones(len(index))
    bounds = Bounds(np.zeros(len(index)), np.full(len(index), np.inf))

    hidden = [i for i, f in enumerate(facts) if f["low"] != f["high"]]
    hidden_rows = matrix.tocsr()[hidden]
    # Values each hidden fact took in some solution found so far: two values and it is not pinned.
    seen = {i: set() for i in hidden}

    def extreme(i, sign):
        c = np.zeros(len(index))
        c[rows[i]] = sign
        res = milp(c, constraints=constraints, integrality=integral, bounds=bounds)
        if res.status == 2:
            sys.exit("the published tables are inconsistent: no table gives them")
        if res.status != 0:
            return None  # unbounded (an x cell has no upper bound) or not solved: not pinned
        for j, v in zip(hidden, hidden_rows @ np.round(res.x)):
            seen[j].add(round(v))
        return round(sign * res.fun)

    pinned = 0
    for i in hidden:
        if len(seen[i]) > 1:
            continue
        lo = extreme(i, 1)
        if lo is None or len(seen[i]) > 1:
            continue
        hi = extreme(i, -1)
        if hi is not None and lo == hi:
            pinned += 1
            cells = ",".join(f"{d}={v}" for d, v in sorted(facts[i]["cells"].items())) or "all"
            months = facts[i]["months"]
            span = f"{months[0]}-{months[-1]}" if len(months) > 1 else str(months[0])
            print(f"pinned {i} {lo} months:{span} {cells}")
            if stop_after is not None and pinned >= stop_after:
                print(f"stopped after {pinned} pinned")
                break
    print(f"checked {len(hidden)} hidden, pinned {pinned}")


if __name__ == "__main__":
    if sys.argv[1:] == ["--check"]:
        print("scipy")  # the imports above succeeded: the tests can run the attack
    elif len(sys.argv) == 4 and sys.argv[1] == "--stop-after":
        main(sys.argv[3], stop_after=int(sys.argv[2]))
    else:
        main(sys.argv[1])
