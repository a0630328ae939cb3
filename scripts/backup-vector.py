#!/usr/bin/env python3
"""Writes a Haven backup archive (HavenBackup/FORMAT.md) from Python's hashlib and libsodium
through ctypes, nothing of Haven's Swift code, into Tests/Fixtures/backup-v1/: the snapshot
bytes it encrypts, the archive, and the vault public key it is signed by. The root key is
the format vectors' (bytes 0..31), the vault signing key's seed bytes 0x40..0x5f. The
stream header is random, so each run writes a different archive: it was run once and its
output committed; `BackupArchiveTests` checks that Haven still verifies and opens it. Never
rewrite the committed files to make a test pass.

Usage: scripts/backup-vector.py Tests/Fixtures/backup-v1
"""
import base64
import ctypes
import ctypes.util
import hashlib
import json
import os
import struct
import sys

ROOT_KEY = bytes(range(32))
VAULT_ID = "00112233445566778899aabbccddeeff"
SEED = bytes(range(0x40, 0x60))
sodium = ctypes.CDLL(ctypes.util.find_library("sodium") or "libsodium.so.23")
assert sodium.sodium_init() >= 0


def kdf(context, subkey_id, key=ROOT_KEY):
    return hashlib.blake2b(b"", digest_size=32, key=key, salt=struct.pack("<Q", subkey_id) + bytes(8),
                           person=context.encode() + bytes(8)).digest()


def main(out):
    snapshot = b"".join(b"haven backup fixture %05d: bytes standing in for a database snapshot\n" % i for i in range(600))
    pk, sk = ctypes.create_string_buffer(32), ctypes.create_string_buffer(64)
    assert sodium.crypto_sign_seed_keypair(pk, sk, SEED) == 0
    state = ctypes.create_string_buffer(sodium.crypto_secretstream_xchacha20poly1305_statebytes())
    stream_header = ctypes.create_string_buffer(24)
    assert sodium.crypto_secretstream_xchacha20poly1305_init_push(state, stream_header, kdf("hvbackup", 1)) == 0
    header = json.dumps({
        "audit_size": 0, "checkpoint": None, "created_at": "2026-12-01T00:00:00.000Z", "format": "haven-backup-v1",
        "seal": "file", "seal_file": None, "stream_header": base64.b64encode(stream_header.raw).decode(),
        "vault_id": VAULT_ID, "vault_public_key": base64.b64encode(pk.raw).decode(),
    }, separators=(",", ":"), sort_keys=True).encode()
    sealed = ctypes.create_string_buffer(len(snapshot) + 17)
    sealed_len = ctypes.c_ulonglong(0)
    final = 3  # crypto_secretstream_xchacha20poly1305_TAG_FINAL
    assert sodium.crypto_secretstream_xchacha20poly1305_push(state, sealed, ctypes.byref(sealed_len), snapshot,
                                                             ctypes.c_ulonglong(len(snapshot)), header,
                                                             ctypes.c_ulonglong(len(header)), ctypes.c_ubyte(final)) == 0
    body = (b"HAVEN-BACKUP-v1\n" + struct.pack(">I", len(header)) + header
            + struct.pack(">I", sealed_len.value) + sealed.raw[:sealed_len.value] + struct.pack(">I", 0))
    digest = hashlib.blake2b(body, digest_size=32).digest()
    signature = ctypes.create_string_buffer(64)
    message = b"haven/backup/v1\n" + digest
    assert sodium.crypto_sign_detached(signature, None, message, ctypes.c_ulonglong(len(message)), sk) == 0
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(out, "snapshot.bin"), "wb") as f:
        f.write(snapshot)
    with open(os.path.join(out, "archive.hvbk"), "wb") as f:
        f.write(body + signature.raw)
    with open(os.path.join(out, "vault.pub"), "w") as f:
        f.write("# Haven Ed25519 public key.\nhaven-ed25519-public-v1:" + base64.b64encode(pk.raw).decode() + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
