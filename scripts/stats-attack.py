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
        "checked <hidden> hidden, pinned <count>".

    python3 scripts/stats-attack.py published.json
"""
import itertools
import json
import sys

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_matrix


def main(path):
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

    def extreme(cols, sign):
        c = np.zeros(len(index))
        c[cols] = sign
        res = milp(c, constraints=constraints, integrality=integral, bounds=bounds)
        if res.status == 2:
            sys.exit("the published tables are inconsistent: no table gives them")
        if res.status != 0:
            return None  # unbounded (an x cell has no upper bound) or not solved: not pinned
        return round(sign * res.fun)

    hidden = [i for i, f in enumerate(facts) if f["low"] != f["high"]]
    pinned = 0
    for i in hidden:
        lo = extreme(rows[i], 1)
        hi = extreme(rows[i], -1)
        if lo is not None and lo == hi:
            pinned += 1
            cells = ",".join(f"{d}={v}" for d, v in sorted(facts[i]["cells"].items())) or "all"
            months = facts[i]["months"]
            span = f"{months[0]}-{months[-1]}" if len(months) > 1 else str(months[0])
            print(f"pinned {i} {lo} months:{span} {cells}")
    print(f"checked {len(hidden)} hidden, pinned {pinned}")


if __name__ == "__main__":
    main(sys.argv[1])
