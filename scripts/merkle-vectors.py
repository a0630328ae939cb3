#!/usr/bin/env python3
"""The Merkle tree vectors of Tests/HavenAuditTests/MerkleVectorTests.swift, recomputed
independently of Haven's Swift code: RFC 6962 §2.1's MTH, PATH and PROOF written from the
RFC's text, over certificate-transparency's eight reference leaves, with BLAKE2b-256
(Python's hashlib) as H. With hashlib.sha256 as H the same code gives the published CT
vectors. A test reruns this script and compares its output with the values in the test.

Usage: scripts/merkle-vectors.py   (prints JSON)
"""
import hashlib
import json

LEAVES = [bytes.fromhex(x) for x in ["", "00", "10", "2021", "3031", "40414243", "5051525354555657",
                                     "606162636465666768696a6b6c6d6e6f"]]


def H(data):
    return hashlib.blake2b(data, digest_size=32).digest()


def k_of(n):
    """The largest power of two smaller than n (n > 1)."""
    k = 1
    while k * 2 < n:
        k *= 2
    return k


def mth(d):
    if len(d) == 0:
        return H(b"")
    if len(d) == 1:
        return H(b"\x00" + d[0])
    k = k_of(len(d))
    return H(b"\x01" + mth(d[:k]) + mth(d[k:]))


def path(m, d):
    if len(d) <= 1:
        return []
    k = k_of(len(d))
    if m < k:
        return path(m, d[:k]) + [mth(d[k:])]
    return path(m - k, d[k:]) + [mth(d[:k])]


def subproof(m, d, b):
    n = len(d)
    if m == n:
        return [] if b else [mth(d)]
    k = k_of(n)
    if m <= k:
        return subproof(m, d[:k], b) + [mth(d[k:])]
    return subproof(m - k, d[k:], False) + [mth(d[:k])]


def proof(m, d):
    return subproof(m, d, True)


def main():
    out = {
        "roots": [mth(LEAVES[:n]).hex() for n in range(0, 9)],
        "inclusion": [[i, n, [h.hex() for h in path(i, LEAVES[:n])]] for i, n in [(0, 8), (5, 8), (2, 3), (1, 5), (0, 1)]],
        "consistency": [[m, n, [h.hex() for h in proof(m, LEAVES[:n])]] for m, n in [(1, 1), (1, 8), (6, 8), (2, 5)]],
    }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
