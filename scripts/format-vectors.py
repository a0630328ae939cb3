#!/usr/bin/env python3
"""Known-answer vectors for Haven's own formats, computed from the format documents alone.

Written from Sources/HavenCrypto/FORMAT.md, Sources/HavenStore/FORMAT.md ("authenticated
state", "search index", "case numbers"), Sources/HavenSearch/NAMES.md (the search forms of names), Sources/HavenAudit/FORMAT.md ("entry tag"), Sources/HavenBackup/FORMAT.md ("recovery
journal") and Sources/HavenAPI/AUTHENTICATION.md,
with Python's hashlib (BLAKE2b, keyed and with salt and personalisation, as libsodium's
crypto_kdf uses it) and libsodium's XChaCha20-Poly1305 Argon2id and Ed25519 called through ctypes: nothing of
Haven's Swift code. The output is committed as Tests/Fixtures/format-v1/vectors.json and
the Swift tests check that Haven produces exactly these bytes; a test also reruns this
script and compares. Never edit the committed file to make a test pass.

Usage: scripts/format-vectors.py > Tests/Fixtures/format-v1/vectors.json
"""
import base64
import ctypes
import ctypes.util
import datetime
import hashlib
import json
import struct
import sys

sys.dont_write_bytecode = True  # no __pycache__ beside the scripts
from search_forms import search_form  # noqa: E402 (scripts/search_forms.py)

ROOT_KEY = bytes(range(32))
VAULT_ID = "00112233445566778899aabbccddeeff"
RECORD_ID_BYTES = bytes(range(0xA0, 0xB0))
RECORD_ID = base64.b32encode(RECORD_ID_BYTES).decode().rstrip("=").lower()


# --- the framing of associated data and of tag messages (HavenCrypto FORMAT.md) ---------
class Message:
    def __init__(self, domain):
        self.b = b""
        self.string(domain)

    def string(self, s):
        u = s.encode("utf-8")
        self.b += struct.pack(">H", len(u)) + u

    def u64(self, v):
        self.b += struct.pack(">Q", v)

    def u32(self, v):
        self.b += struct.pack(">I", v)

    def blob(self, data):
        self.b += struct.pack(">I", len(data)) + data

    def raw(self, data):
        self.b += data

    def optional(self, value, part):
        if value is None:
            self.b += b"\x00"
        else:
            self.b += b"\x01"
            part(value)


# --- keys ---------------------------------------------------------------------------------
def kdf(context, subkey_id, key=ROOT_KEY):
    """crypto_kdf_derive_from_key: BLAKE2b-256 keyed with the root key, salt = id (LE) || 0^8,
    personal = context || 0^8, empty message."""
    return hashlib.blake2b(b"", digest_size=32, key=key, salt=struct.pack("<Q", subkey_id) + bytes(8),
                           person=context.encode() + bytes(8)).digest()


ROW_KEY = kdf("hvrowtag", 1)
AUDIT_KEY = kdf("hvaudtag", 1)


def tag(key, message):
    return hashlib.blake2b(message.b, digest_size=16, key=key).digest()


def b2(data):
    return hashlib.blake2b(data, digest_size=32).digest()


# --- row state tags (HavenStore FORMAT.md) -----------------------------------------------
def user_tag(u):
    m = Message("haven/row/user/v1")
    m.string(VAULT_ID)
    m.string(u["name"])
    m.string(u["role"])
    m.string(u["agency"])
    m.blob(bytes.fromhex(u["public_key"]))
    m.optional(u["uid"], m.u32)
    m.u64(u["created_at"])
    m.string(u["created_by"])
    m.optional(u["revoked_at"], m.u64)
    m.optional(u["revoked_by"], m.string)
    return tag(ROW_KEY, m)


def record_tag(r):
    m = Message("haven/row/record/v1")
    m.string(VAULT_ID)
    m.string(r["id"])
    m.string(r["type"])
    m.string(r["agency"])
    m.string(r["status"])
    m.u64(r["version"])
    m.u64(r["created_at"])
    m.u64(r["updated_at"])
    m.u32(r["data_key_version"])
    m.raw(b2(bytes.fromhex(r["wrapped_key"])))
    m.raw(b2(bytes.fromhex(r["header"])))
    return tag(ROW_KEY, m)


def vault_meta_tag(v):
    m = Message("haven/row/vault-meta/v1")
    m.string(VAULT_ID)
    m.blob(bytes.fromhex(v["public_key"]))
    m.raw(b2(bytes.fromhex(v["sealed_signing_key"])))
    m.u64(v["created_at"])
    return tag(ROW_KEY, m)


def case_number_tag(n):
    """A `case_numbers` row (HavenStore FORMAT.md, "Case numbers"), under the row key."""
    m = Message("haven/row/case-number/v1")
    m.string(VAULT_ID)
    m.string(n["agency"])
    m.u64(n["year"])
    m.u64(n["seq"])
    m.string(n["number"])
    m.string(n["record"])
    return tag(ROW_KEY, m)


def case_number_mark_tag(m):
    """A `case_number_marks` row (HavenStore FORMAT.md, "Case numbers"), under the row key."""
    msg = Message("haven/row/case-number-mark/v1")
    msg.string(VAULT_ID)
    msg.string(m["agency"])
    msg.u64(m["year"])
    msg.u64(m["seq"])
    return tag(ROW_KEY, msg)


def case_number_marks():
    """The marks of the rows above: each agency's highest count of the year; one lower changes the tag."""
    marks = [{"agency": "ossc-vientiane", "year": 2026, "seq": 43},
             {"agency": "lwu-shelter-vientiane", "year": 2026, "seq": 7},
             {"agency": "lwu-shelter-vientiane", "year": 2026, "seq": 6}]
    for m in marks:
        m["tag"] = case_number_mark_tag(m).hex()
    return marks


def case_number_rows():
    """Two records' numbers at one agency and a third's at another: a swap changes each tag."""
    rows = [{"agency": "ossc-vientiane", "year": 2026, "seq": 42, "number": "OV-26-0042", "record": RECORD_ID},
            {"agency": "ossc-vientiane", "year": 2026, "seq": 43, "number": "OV-26-0043", "record": "a" * 26},
            {"agency": "lwu-shelter-vientiane", "year": 2026, "seq": 7, "number": "LWU-26-0007", "record": RECORD_ID}]
    for r in rows:
        r["tag"] = case_number_tag(r).hex()
    return rows


def baseline_digest(rows):
    h = hashlib.blake2b(digest_size=16, key=ROW_KEY)
    head = Message("haven/state-baseline/v1")
    head.string(VAULT_ID)
    h.update(head.b)
    for key, t in sorted(rows, key=lambda r: r[0].encode()):
        row = Message("row")
        row.string(key)
        row.raw(bytes.fromhex(t))
        h.update(row.b)
    end = Message("rows")
    end.u64(len(rows))
    h.update(end.b)
    return h.digest()


# --- audit entry tag (HavenAudit FORMAT.md) ---------------------------------------------
def entry_tag(seq, leaf_hash, state):
    m = Message("haven/audit-entry/v1")
    m.string(VAULT_ID)
    m.u64(seq)
    m.blob(leaf_hash)

    def part(s):
        m.string(s[0])
        m.blob(bytes.fromhex(s[1]))

    m.optional(state, part)
    return tag(AUDIT_KEY, m)


# --- sealed boxes (HavenCrypto FORMAT.md, "sealed box v1") --------------------------------
def sealed_field(data_key, nonce, field, version, value, key_version=1):
    ad = Message("haven/field/v1")
    ad.string(VAULT_ID)
    ad.string(RECORD_ID)
    ad.string(field)
    ad.u64(version)
    return sealed_box(data_key, nonce, ad, value.encode("utf-8"), key_version)


def sealed_history_row(domain, data_key, nonce, index, plain, key_version=1):
    """A note's metadata ("haven/note-meta/v1") or a consent event ("haven/consent-event/v1")."""
    ad = Message(domain)
    ad.string(VAULT_ID)
    ad.string(RECORD_ID)
    ad.u64(index)
    return sealed_box(data_key, nonce, ad, plain, key_version)


def sealed_box(data_key, nonce, ad, plain, key_version):
    sodium = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
    assert sodium.sodium_init() >= 0
    head = b"\x01" + struct.pack(">I", key_version)
    full_ad = ad.b + head
    out = ctypes.create_string_buffer(len(plain) + 16)
    out_len = ctypes.c_ulonglong(0)
    rc = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(out, ctypes.byref(out_len), plain, ctypes.c_ulonglong(len(plain)),
                                                            full_ad, ctypes.c_ulonglong(len(full_ad)), None, nonce, data_key)
    assert rc == 0
    return head + nonce + out.raw[: out_len.value]


# --- record header and history rows (HavenCrypto FORMAT.md, "record header") --------------
def passphrase_seal(root, passphrase, vault_hex, opslimit, memlimit, salt, nonce):
    """HavenCrypto FORMAT.md, "Sealed root key files": Argon2id, then XChaCha20-Poly1305 with
    the domain and every header byte as associated data."""
    sodium = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
    assert sodium.sodium_init() >= 0
    kek = ctypes.create_string_buffer(32)
    pw = passphrase.encode("utf-8")
    rc = sodium.crypto_pwhash(kek, ctypes.c_ulonglong(32), pw, ctypes.c_ulonglong(len(pw)), salt,
                              ctypes.c_ulonglong(opslimit), ctypes.c_size_t(memlimit), ctypes.c_int(2))  # Argon2id 1.3
    assert rc == 0
    header = b"\x01" + bytes.fromhex(vault_hex) + struct.pack(">QQ", opslimit, memlimit) + salt + nonce
    ad = b"haven/root-passphrase/v1" + header
    out = ctypes.create_string_buffer(len(root) + 16)
    out_len = ctypes.c_ulonglong(0)
    rc = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(out, ctypes.byref(out_len), root, ctypes.c_ulonglong(len(root)),
                                                            ad, ctypes.c_ulonglong(len(ad)), None, nonce, kek.raw)
    assert rc == 0
    return header + out.raw[:out_len.value]


def person_key_seal(seed, name, passphrase, opslimit, memlimit, salt, nonce):
    """HavenCrypto FORMAT.md, "Person key seals": Argon2id, then XChaCha20-Poly1305 of the
    Ed25519 seed with the framed domain, the person's name and the header (as a blob) as
    associated data."""
    s = sodium()
    assert s.sodium_init() >= 0
    kek = ctypes.create_string_buffer(32)
    pw = passphrase.encode("utf-8")
    rc = s.crypto_pwhash(kek, ctypes.c_ulonglong(32), pw, ctypes.c_ulonglong(len(pw)), salt,
                         ctypes.c_ulonglong(opslimit), ctypes.c_size_t(memlimit), ctypes.c_int(2))  # Argon2id 1.3
    assert rc == 0
    header = b"\x01" + struct.pack(">QQ", opslimit, memlimit) + salt + nonce + ed25519_public(seed)
    ad = Message("haven/person-key/v1")
    ad.string(name)
    ad.blob(header)
    out = ctypes.create_string_buffer(len(seed) + 16)
    out_len = ctypes.c_ulonglong(0)
    rc = s.crypto_aead_xchacha20poly1305_ietf_encrypt(out, ctypes.byref(out_len), seed, ctypes.c_ulonglong(len(seed)),
                                                       ad.b, ctypes.c_ulonglong(len(ad.b)), None, nonce, kek.raw)
    assert rc == 0
    return header + out.raw[:out_len.value]


def share_file(vault_hex, index, threshold, count, values):
    body = b"\x01" + bytes.fromhex(vault_hex) + bytes([index, threshold, count]) + values
    return body + hashlib.blake2b(b"haven/root-share/v1" + body, digest_size=32).digest()


def anchored_mark(seed, vault_hex, size):
    """vault_meta.anchored (HavenStore FORMAT.md): the size, then the vault key's Ed25519
    signature over the framed message, through libsodium's crypto_sign_detached."""
    sodium = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
    assert sodium.sodium_init() >= 0
    m = Message("haven/anchored/v1")
    m.string(vault_hex)
    m.u64(size)
    pk, sk = ctypes.create_string_buffer(32), ctypes.create_string_buffer(64)
    assert sodium.crypto_sign_seed_keypair(pk, sk, seed) == 0
    sig = ctypes.create_string_buffer(64)
    assert sodium.crypto_sign_detached(sig, None, m.b, ctypes.c_ulonglong(len(m.b)), sk) == 0
    return {"seed": seed.hex(), "public_key": pk.raw.hex(), "size": size, "message": m.b.hex(),
            "value": (struct.pack(">Q", size) + sig.raw).hex()}


def sodium():
    return ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")


def ed25519_public(seed):
    """The Ed25519 public key of a seed (crypto_sign_seed_keypair)."""
    pk, sk = ctypes.create_string_buffer(32), ctypes.create_string_buffer(64)
    assert sodium().crypto_sign_seed_keypair(pk, sk, seed) == 0
    return pk.raw


def sealed_to(ed25519_pk, plain, ephemeral_seed):
    """crypto_box_seal written out from its parts, with a fixed ephemeral key so the vector is
    stable: the custodian's X25519 key (crypto_sign_ed25519_pk_to_curve25519), an ephemeral
    X25519 pair, nonce = BLAKE2b-192(epk || pk), then epk || crypto_box_easy. libsodium's own
    crypto_box_seal_open must open it (the Swift test does)."""
    s = sodium()
    xpk = ctypes.create_string_buffer(32)
    assert s.crypto_sign_ed25519_pk_to_curve25519(xpk, ed25519_pk) == 0
    epk, esk = ctypes.create_string_buffer(32), ctypes.create_string_buffer(32)
    assert s.crypto_box_seed_keypair(epk, esk, ephemeral_seed) == 0
    nonce = hashlib.blake2b(epk.raw + xpk.raw, digest_size=24).digest()
    out = ctypes.create_string_buffer(len(plain) + 16)
    assert s.crypto_box_easy(out, plain, ctypes.c_ulonglong(len(plain)), nonce, xpk.raw, esk.raw) == 0
    return epk.raw + out.raw


def sealed_share_file(share, custodian_pk, ephemeral_seed):
    """A share sealed to its custodian (HavenCrypto FORMAT.md, "sealed share"): version 2 |
    vault | index | threshold | count | the inner share's check | custodian key | sealed box."""
    return bytes([2]) + share[1:20] + share[-32:] + custodian_pk + sealed_to(custodian_pk, share, ephemeral_seed)


def rfc3339(ms):
    t = datetime.datetime.fromtimestamp(ms // 1000, datetime.timezone.utc)
    return t.strftime("%Y-%m-%dT%H:%M:%S") + ".%03dZ" % (ms % 1000)


def header_json(h):
    # Members in the documented order; ASCII values, so json's escaping is the canonical one.
    doc = {
        "v": 1, "id": RECORD_ID, "type": h["type"], "agency": h["agency"], "status": h["status"], "version": h["version"],
        "created_at": rfc3339(h["created_at"]), "created_by": h["created_by"],
        "updated_at": rfc3339(h["updated_at"]), "updated_by": h["updated_by"],
        "assignees": sorted(h["assignees"]),
        "fields": dict(sorted(h["fields"].items())),
        "notes": [{"index": n["index"], "class": n["class"], "author": n["author"], "created_at": rfc3339(n["created_at"])}
                  for n in h["notes"]],
        "consent": [{"flag": c["flag"], "kind": c["kind"], "recorded_by": c["recorded_by"],
                     "recorded_at": rfc3339(c["recorded_at"]), "evidence": c["evidence"],
                     "expires_at": rfc3339(c["expires_at"]) if c["expires_at"] is not None else None}
                    for c in h["consent"]],
    }
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=True)


FLAG_ORDER = ["counselling", "health", "police", "legal", "shelter", "statistics"]


def note_json(n):
    return json.dumps({"index": n["index"], "class": n["class"], "author": n["author"],
                       "created_at": rfc3339(n["created_at"])}, separators=(",", ":"), ensure_ascii=True)


def event_doc(c):
    return {"flag": c["flag"], "kind": c["kind"], "recorded_by": c["recorded_by"], "recorded_at": rfc3339(c["recorded_at"]),
            "evidence": c["evidence"], "expires_at": rfc3339(c["expires_at"]) if c["expires_at"] is not None else None}


def header_json_v2(h):
    """Format 2: counts instead of the history, and the latest consent event of each flag."""
    latest = {}
    for c in h["consent"]:
        latest[c["flag"]] = c
    doc = {
        "v": 2, "id": RECORD_ID, "type": h["type"], "agency": h["agency"], "status": h["status"], "version": h["version"],
        "created_at": rfc3339(h["created_at"]), "created_by": h["created_by"],
        "updated_at": rfc3339(h["updated_at"]), "updated_by": h["updated_by"],
        "assignees": sorted(h["assignees"]),
        "fields": dict(sorted(h["fields"].items())),
        "notes": len(h["notes"]),
        "consent": {"events": len(h["consent"]), "latest": [event_doc(latest[f]) for f in FLAG_ORDER if f in latest]},
    }
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=True)


def referral_doc(r):
    return {"id": r["id"], "service": r["service"], "from": r["from"], "to": r["to"], "status": r["status"],
            "created_by": r["created_by"], "created_at": rfc3339(r["created_at"]), "updated_by": r["updated_by"],
            "updated_at": rfc3339(r["updated_at"]), "assignee": r["assignee"]}


def header_json_v3(h):
    """Format 3: format 2 and, last, the record's referrals as they stand and a count of their steps."""
    doc = json.loads(header_json_v2(h))
    doc["v"] = 3
    doc["referrals"] = {"events": h["referral_events"], "latest": [referral_doc(r) for r in h["referrals"]]}
    return json.dumps(doc, separators=(",", ":"), ensure_ascii=True)


def referral_event_json(e):
    return json.dumps({"referral": e["referral"], "kind": e["kind"], "by": e["by"], "at": rfc3339(e["at"]),
                       "service": e["service"], "to": e["to"], "text": e["text"], "note": e["note"],
                       "assignee": e["assignee"]}, separators=(",", ":"), ensure_ascii=True)


def recovery_journal():
    """HavenBackup FORMAT.md, "Recovery journal" and "Recovery tally": lines signed with
    libsodium's Ed25519 (deterministic) under a fixed seed, each act's signature covering the
    BLAKE2b-256 of the line before it."""
    sodium = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
    assert sodium.sodium_init() >= 0
    seed = bytes(range(0x60, 0x80))
    pk, sk = ctypes.create_string_buffer(32), ctypes.create_string_buffer(64)
    assert sodium.crypto_sign_seed_keypair(pk, sk, seed) == 0

    def sign(message):
        sig = ctypes.create_string_buffer(64)
        assert sodium.crypto_sign_detached(sig, None, message, ctypes.c_ulonglong(len(message)), sk) == 0
        return sig.raw

    def b64(data):
        return base64.b64encode(data).decode()

    created = "1767225600000"
    header = "haven-journal-v1 %s %s %s" % (VAULT_ID, created, b64(sign(("haven-journal-v1\n%s\n%s\n" % (VAULT_ID, created)).encode())))
    acts = [["consent-withdrawn", "1767225660000", "41", "intake", RECORD_ID, "police"],
            ["user-revoked", "1767225720000", "44", "admin", "leaver"],
            ["user-rekeyed", "1767225780000", "47", "admin", "counsellor", b64(bytes(range(0x20, 0x40)))],
            ["referral-revoked", "1767225840000", "52", "intake", RECORD_ID, "aaaaaaaaaaaaaaaa"],
            ["record-erased", "1767225900000", "60", "intake", RECORD_ID],
            ["referral-closed", "1767225960000", "63", "intake", RECORD_ID, "bbbbbbbbbbbbbbbb"],
            ["referral-declined", "1767226020000", "66", "shelter-intake", RECORD_ID, "cccccccccccccccc"]]
    lines = [header]
    for words in acts:
        previous = hashlib.blake2b(lines[-1].encode(), digest_size=32).digest()
        message = "\n".join(["haven-journal-%s-v1" % words[0], VAULT_ID, previous.hex()] + words[1:]) + "\n"
        lines.append(" ".join(words + [b64(previous), b64(sign(message.encode()))]))
    journal = "".join(line + "\n" for line in lines)
    head = hashlib.blake2b(lines[-1].encode(), digest_size=32).hexdigest()
    tally_words = ["haven-tally-v2", VAULT_ID, "64", str(len(journal.encode())), head, "3", "2", "4", "5", "1", "7"]
    tally = " ".join(tally_words + [b64(sign(("\n".join(tally_words) + "\n").encode()))]) + "\n"
    return {"seed": seed.hex(), "public_key": pk.raw.hex(), "journal": journal, "tally": tally}


def main():
    users = [
        {"name": "ana", "role": "intake", "agency": "ossc-vientiane", "public_key": bytes(range(0x20, 0x40)).hex(),
         "uid": 1001, "created_at": 1790000000000, "created_by": "admin", "revoked_at": 1790000100000, "revoked_by": "admin"},
        {"name": "bounmy", "role": "counsellor", "agency": "ossc-vientiane", "public_key": bytes(range(0x40, 0x60)).hex(),
         "uid": None, "created_at": 1790000000123, "created_by": "admin", "revoked_at": None, "revoked_by": None},
    ]
    for u in users:
        u["tag"] = user_tag(u).hex()
    record = {"id": RECORD_ID, "type": "gbv_incident", "agency": "ossc-vientiane", "status": "open", "version": 3,
              "created_at": 1790000000000, "updated_at": 1790000200000, "data_key_version": 1,
              "wrapped_key": bytes(range(0x00, 0x4d)).hex(), "header": bytes(range(0x10, 0xff)).hex()}
    record["tag"] = record_tag(record).hex()
    meta = {"public_key": bytes(range(0x60, 0x80)).hex(), "sealed_signing_key": bytes(range(0x80, 0xcd)).hex(),
            "created_at": 1789999999000}
    meta["tag"] = vault_meta_tag(meta).hex()
    rows = [("user:ana", users[0]["tag"]), ("record:" + RECORD_ID, record["tag"]), ("vault_meta", meta["tag"]),
            ("user:bounmy", users[1]["tag"])]
    baseline = {"rows": [[k, t] for k, t in rows], "tag": baseline_digest(rows).hex()}
    leaf = bytes(range(0xE0, 0x100))
    entries = [
        {"seq": 41, "leaf_hash": leaf.hex(), "state": ["record:" + RECORD_ID, record["tag"]],
         "tag": entry_tag(41, leaf, ("record:" + RECORD_ID, record["tag"])).hex()},
        {"seq": 0, "leaf_hash": leaf.hex(), "state": None, "tag": entry_tag(0, leaf, None).hex()},
    ]
    data_key, nonce = bytes(range(0x40, 0x60)), bytes(range(0x60, 0x78))
    field = {"data_key": data_key.hex(), "nonce": nonce.hex(), "field": "survivor_name", "version": 2,
             "value": "ນາງ ສົມພອນ / Nguyễn Thị Hà",
             "box": sealed_field(data_key, nonce, "survivor_name", 2, "ນາງ ສົມພອນ / Nguyễn Thị Hà").hex()}
    header = {"type": "gbv_incident", "agency": "ossc-vientiane", "status": "open", "version": 4,
              "created_at": 1790000000000, "created_by": "intake", "updated_at": 1790000300000, "updated_by": "counsellor",
              "assignees": ["counsellor", "bounmy"], "fields": {"survivor_name": 2, "incident_type": 1},
              "notes": [{"index": 1, "class": "counselling", "author": "counsellor", "created_at": 1790000300000}],
              "consent": [{"flag": "counselling", "kind": "grant", "recorded_by": "intake", "recorded_at": 1790000100000,
                           "evidence": "sha256:0f3c", "expires_at": 1822000000000},
                          {"flag": "police", "kind": "withdraw", "recorded_by": "intake", "recorded_at": 1790000200000,
                           "evidence": None, "expires_at": None}]}
    header["bytes"] = header_json(header)
    header_v2 = dict(header)
    header_v2["consent"] = header["consent"] + [
        {"flag": "counselling", "kind": "grant", "recorded_by": "counsellor", "recorded_at": 1790000250000,
         "evidence": None, "expires_at": None}]
    header_v2["bytes"] = header_json_v2(header_v2)
    # A record referred to a shelter (accepted, assigned) and to the police (pending): format 3.
    header_v3 = dict(header_v2)
    header_v3["referrals"] = [
        {"id": "aaaqeayeaudaocaj", "service": "shelter", "from": "ossc-vientiane", "to": "lwu-shelter-vientiane",
         "status": "accepted", "created_by": "intake", "created_at": 1790000260000, "updated_by": "shelter-desk",
         "updated_at": 1790000270000, "assignee": "shelter-counsellor"},
        {"id": "bibsgmbzhaqcamya", "service": "police", "from": "ossc-vientiane", "to": "police-vientiane",
         "status": "pending", "created_by": "intake", "created_at": 1790000280000, "updated_by": "intake",
         "updated_at": 1790000280000, "assignee": None}]
    header_v3["referral_events"] = 3
    header_v3["bytes"] = header_json_v3(header_v3)
    referral_event = {"index": 1, "referral": "aaaqeayeaudaocaj", "kind": "create", "by": "intake", "at": 1790000260000,
                      "service": "shelter", "to": "lwu-shelter-vientiane", "text": "safe housing tonight",
                      "note": "arrives with two children", "assignee": None, "data_key": data_key.hex(),
                      "nonce": bytes(range(0xb0, 0xc8)).hex()}
    referral_event["plaintext"] = referral_event_json(referral_event)
    referral_event["box"] = sealed_history_row("haven/referral-event/v1", data_key, bytes(range(0xb0, 0xc8)), 1,
                                               referral_event["plaintext"].encode()).hex()
    # A later step of the same referral: the receiving desk hands it over (a kind added after
    # the first vector; the row's format is unchanged).
    referral_event_assign = {"index": 3, "referral": "aaaqeayeaudaocaj", "kind": "assign", "by": "shelter-desk",
                             "at": 1790000290000, "service": "shelter", "to": "lwu-shelter-vientiane", "text": None,
                             "note": None, "assignee": "noy", "data_key": data_key.hex(),
                             "nonce": bytes(range(0xd0, 0xe8)).hex()}
    referral_event_assign["plaintext"] = referral_event_json(referral_event_assign)
    referral_event_assign["box"] = sealed_history_row("haven/referral-event/v1", data_key, bytes(range(0xd0, 0xe8)), 3,
                                                      referral_event_assign["plaintext"].encode()).hex()
    note = dict(header["notes"][0])
    note.update({"data_key": data_key.hex(), "nonce": bytes(range(0x80, 0x98)).hex(), "plaintext": note_json(note)})
    note["box"] = sealed_history_row("haven/note-meta/v1", data_key, bytes(range(0x80, 0x98)), note["index"],
                                     note["plaintext"].encode()).hex()
    event = dict(header["consent"][0])
    event.update({"index": 1, "data_key": data_key.hex(), "nonce": bytes(range(0x98, 0xb0)).hex(),
                  "plaintext": json.dumps(event_doc(event), separators=(",", ":"), ensure_ascii=True)})
    event["box"] = sealed_history_row("haven/consent-event/v1", data_key, bytes(range(0x98, 0xb0)), 1,
                                      event["plaintext"].encode()).hex()
    transcript = {"vault": VAULT_ID, "nonce": base64.b64encode(bytes(range(32))).decode(), "uid": 1001, "pid": 4242,
                  "public_key": base64.b64encode(bytes(range(0x20, 0x40))).decode()}
    transcript["bytes"] = ("haven-auth-v1\nvault %s\nnonce %s\nuid %d\npid %d\nkey %s\n"
                           % (VAULT_ID, transcript["nonce"], 1001, 4242, transcript["public_key"]))
    seal = {"passphrase": "ນ້ຳຕົກຕາດ correct horse", "opslimit": 1, "memlimit": 8192,
            "salt": bytes(range(0xB0, 0xC0)).hex(), "nonce": bytes(range(0xC0, 0xD8)).hex()}
    seal["bytes"] = passphrase_seal(ROOT_KEY, seal["passphrase"], VAULT_ID, 1, 8192, bytes(range(0xB0, 0xC0)),
                                    bytes(range(0xC0, 0xD8))).hex()
    # One person's key at the browser desk, sealed under their passphrase with a fixed salt
    # and nonce; the name is bound, so the same bytes under another name do not open.
    person_seed = bytes(range(0x90, 0xB0))
    person = {"name": "noy.phommachanh", "passphrase": "ນ້ຳຕົກຕາດ Hà Nội mưa", "opslimit": 1, "memlimit": 8192,
              "seed": person_seed.hex(), "public_key": ed25519_public(person_seed).hex(),
              "salt": bytes(range(0x50, 0x60)).hex(), "nonce": bytes(range(0x60, 0x78)).hex()}
    person["bytes"] = person_key_seal(person_seed, person["name"], person["passphrase"], 1, 8192, bytes(range(0x50, 0x60)),
                                      bytes(range(0x60, 0x78))).hex()
    share = {"index": 2, "threshold": 2, "count": 3, "values": bytes(range(0x10, 0x30)).hex()}
    share["bytes"] = share_file(VAULT_ID, 2, 2, 3, bytes(range(0x10, 0x30))).hex()
    # Blind index, format 2: the key of one agency's field is keyed BLAKE2b-256, under
    # kdf("hvsearch", 1), of the framed label ("haven/blind-index/v2", agency, field); the
    # value is the first 4 bytes of keyed BLAKE2b-128 of the search form, top bits kept. One
    # form at two agencies, so the vectors show their values differ.
    search_key = kdf("hvsearch", 1)
    def blind(agency, field, bits, form):
        label = Message("haven/blind-index/v2")
        label.string(agency)
        label.string(field)
        field_key = hashlib.blake2b(label.b, digest_size=32, key=search_key).digest()
        word = int.from_bytes(hashlib.blake2b(form.encode(), digest_size=16, key=field_key).digest()[:4], "big")
        return word >> (32 - bits)
    blind_index = [{"agency": a, "field": f, "bits": b, "form": form, "value": blind(a, f, b, form)}
                   for a, f, b, form in [("ossc-vientiane", "survivor_name", 16, "nguyenthiha"),
                                         ("lwu-shelter-vientiane", "survivor_name", 16, "nguyenthiha"),
                                         ("ossc-vientiane", "survivor_name", 16, "ສົມພອນວົງສະຫວັນ"),
                                         ("ossc-vientiane", "phone", 16, "02055512345"),
                                         ("lwu-shelter-vientiane", "phone", 16, "02055512345"),
                                         ("ossc-vientiane", "date_of_birth", 12, "1996-03-07")]]
    # Names as people write them, in their search forms (index format 3), and each loose
    # form's index value in one agency's name index: a title dropped gives the same value.
    names = [search_form(t) for t in [
        "ນາງ ສົມພອນ ວົງສະຫວັນ", "ນາງສົມພອນ ວົງສະຫວັນ", "ສົມພອນ ວົງສະຫວັນ", "ທ່ານນາງ ດຣ. ຄຳຫຼ້າ", "ທ. ບຸນມີ", "ທ້າວບຸນມີ",
        "ນ້ອງແກ້ວ", "ສາມະເນນ ບຸນມີ", "ນາງາມ", "ນາງ", "ນາງ ທ້າວ", "ນາງສາວິດ",
        "Chị Nguyễn Thị Lan", "CHI  NGUYEN THI LAN", "nguyen thi lan", "Bà Hoà Thị Mai", "Em Lê Hoa", "Ông Văn Tùng",
        "Anh", "Anh Tuấn", "Nguyễn Anh Tuấn", "Chú Nguyễn Văn Nam", "Đặng Văn Đức"]]
    for n in names:
        n["value"] = blind("ossc-vientiane", "survivor_name", 16, n["loose_name"])
    # A record's statistics, format 1 (HavenStore FORMAT.md, "Statistics"), sealed under
    # kdf("hvstatsr", 1) with the record row's state tag in the associated data.
    stats_values = ["gbv_incident", "ossc-vientiane", "rape", "la-luang-prabang", "18-25", "female", "intimate_partner"]
    stats_plain = (bytes([1, 1]) + struct.pack(">Q", 1822000000000) + struct.pack(">H", 2025 * 12 + 2)
                   + b"".join(bytes([len(v.encode())]) + v.encode() for v in stats_values))
    stats_ad = Message("haven/statistics/v1")
    stats_ad.string(VAULT_ID)
    stats_ad.string(RECORD_ID)
    stats_ad.raw(bytes.fromhex(record["tag"]))
    stats_nonce = bytes(range(0xD8, 0xF0))
    statistics = {"key": kdf("hvstatsr", 1).hex(), "row_tag": record["tag"], "nonce": stats_nonce.hex(),
                  "month": "2025-03", "consent_expires": 1822000000000, "values": stats_values,
                  "plaintext": stats_plain.hex(), "box": sealed_box(kdf("hvstatsr", 1), stats_nonce, stats_ad, stats_plain, 1).hex()}
    # A year's statistics release (HavenStore FORMAT.md, "Statistics releases"), sealed under
    # kdf("hvstrels", 1) with the vault id and the year (u32) in the associated data. The seal
    # does not read its plaintext (the release's encoding is HavenStats'), so any bytes serve.
    release_plain = b"\x01" + b"a year's release, as HavenStats encodes it"
    release_ad = Message("haven/statistics-release/v1")
    release_ad.string(VAULT_ID)
    release_ad.u32(2025)
    release_nonce = bytes(range(0x40, 0x58))
    statistics_release = {"key": kdf("hvstrels", 1).hex(), "year": 2025, "nonce": release_nonce.hex(),
                          "plaintext": release_plain.hex(),
                          "box": sealed_box(kdf("hvstrels", 1), release_nonce, release_ad, release_plain, 1).hex()}
    # A share set holds each share's check value (its last 32 bytes), in index order.
    members = [share_file(VAULT_ID, i, 2, 3, bytes(range(0x10 * i, 0x10 * i + 32))) for i in (1, 2, 3)]
    share_set = {"threshold": 2, "count": 3, "shares": [m.hex() for m in members],
                 "bytes": (bytes([1]) + bytes.fromhex(VAULT_ID) + bytes([2, 3]) + b"".join(m[-32:] for m in members)).hex()}
    # Shares sealed to custodians, and the version-2 share set that lists the custodians'
    # keys under a tag of the row authentication key (domain "haven/root-share-set/v2").
    custodian_seeds = [bytes(range(0x70 + 8 * i, 0x90 + 8 * i)) for i in range(3)]
    custodian_keys = [ed25519_public(seed) for seed in custodian_seeds]
    sealed_share = {"custodian_seed": custodian_seeds[1].hex(), "custodian_public_key": custodian_keys[1].hex(),
                    "ephemeral_seed": bytes(range(0xA0, 0xC0)).hex(), "share": members[1].hex(),
                    "bytes": sealed_share_file(members[1], custodian_keys[1], bytes(range(0xA0, 0xC0))).hex()}
    set_body = bytes([2]) + bytes.fromhex(VAULT_ID) + bytes([2, 3]) + b"".join(m[-32:] + k for m, k in zip(members, custodian_keys))
    set_message = Message("haven/root-share-set/v2")
    set_message.blob(set_body)
    share_set_v2 = {"threshold": 2, "count": 3, "shares": [m.hex() for m in members],
                    "custodians": [k.hex() for k in custodian_keys], "bytes": (set_body + tag(ROW_KEY, set_message)).hex()}
    out = {
        "about": "Haven format vectors v1, from scripts/format-vectors.py; see that script's header",
        "root_key": ROOT_KEY.hex(), "vault_id": VAULT_ID, "record_id": RECORD_ID,
        "subkeys": {"hvrowtag": ROW_KEY.hex(), "hvaudtag": AUDIT_KEY.hex(), "hvdkwrap/1": kdf("hvdkwrap", 1).hex(),
                    "hvsignky/1": kdf("hvsignky", 1).hex()},
        "user_rows": users, "record_row": record, "vault_meta_row": meta, "baseline": baseline, "entry_tags": entries,
        "sealed_field": field, "record_header": header, "auth_transcript": transcript,
        "record_header_v2": header_v2, "note_metadata": note, "consent_event": event,
        "root_passphrase_seal": seal, "root_share": share, "root_share_set": share_set,
        "root_share_sealed": sealed_share, "root_share_set_v2": share_set_v2,
        "blind_index": blind_index, "record_statistics": statistics, "search_form": names,
        "record_header_v3": header_v3, "referral_event": referral_event, "referral_event_assign": referral_event_assign, "statistics_release": statistics_release,
        "person_key_seal": person,
        "anchored_mark": anchored_mark(bytes(range(0x30, 0x50)), VAULT_ID, 4242),
    }
    out["recovery_journal"] = recovery_journal()
    out["case_number_rows"] = case_number_rows()
    out["case_number_marks"] = case_number_marks()
    print(json.dumps(out, indent=1, ensure_ascii=False, sort_keys=True))


if __name__ == "__main__":
    main()
