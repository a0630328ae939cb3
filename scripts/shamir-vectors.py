#!/usr/bin/env python3
"""Known-answer vectors for Haven's Shamir secret sharing over GF(2^8) (HavenCrypto/Sharing).

No standard publishes vectors for this construction, so this is an independent
implementation: log and antilog tables of the generator 0x03 under the AES polynomial
x^8 + x^4 + x^3 + x + 1 (FIPS 197), where the Swift code multiplies bit by bit. It prints
the products FIPS 197 gives as examples, a few inverses, and splits of fixed secrets with
fixed coefficients; HavenCryptoTests checks the Swift code against the same numbers and
that this script still prints them.

    scripts/shamir-vectors.py > vectors.json
"""
import json

EXP = [0] * 510
LOG = [0] * 256
x = 1
for i in range(255):
    EXP[i] = x
    LOG[x] = i
    # multiply by 0x03 = x + 1: (x << 1) ^ x, reduced by 0x11B
    y = x << 1
    if y & 0x100:
        y ^= 0x11B
    x = y ^ x
for i in range(255, 510):
    EXP[i] = EXP[i - 255]


def mul(a, b):
    if a == 0 or b == 0:
        return 0
    return EXP[LOG[a] + LOG[b]]


def inv(a):
    return 0 if a == 0 else EXP[255 - LOG[a]]


def split(secret, coefficients, count):
    """coefficients[d-1][byte]: the degree-d coefficient of each byte's polynomial."""
    shares = []
    for i in range(1, count + 1):
        values = []
        for byte, s in enumerate(secret):
            y, power = s, 1
            for row in coefficients:
                power = mul(power, i)
                y ^= mul(row[byte], power)
            values.append(y)
        shares.append({"index": i, "values": bytes(values).hex()})
    return shares


def case(secret_hex, coefficients_hex, count):
    secret = bytes.fromhex(secret_hex)
    coefficients = [bytes.fromhex(c) for c in coefficients_hex]
    return {"secret": secret_hex, "threshold": len(coefficients) + 1, "coefficients": coefficients_hex,
            "shares": split(secret, coefficients, count)}


root = bytes(range(32)).hex()
print(json.dumps({
    # FIPS 197 §4.2 and §4.2.1: {57}·{83} = {c1}, {57}·{13} = {fe}; §5.1.1: the inverse of {53} is {ca}.
    "products": [[a, b, mul(a, b)] for a, b in [(0x57, 0x83), (0x57, 0x13), (0x53, 0xCA), (0x02, 0x80), (0xFF, 0xFF), (0, 0x9A)]],
    "inverses": [[a, inv(a)] for a in [0x01, 0x02, 0x03, 0x53, 0x8D, 0xCA, 0xFF]],
    "splits": [
        case("2a", ["5c"], 3),
        case("00ff10", ["010203", "a0b0c0"], 5),
        case(root, [bytes((7 * i + 1) % 256 for i in range(32)).hex(), bytes((255 - 3 * i) % 256 for i in range(32)).hex()], 4),
    ],
}, indent=1))
