import HavenCore
import HavenCrypto
import Testing

/// The searched values' digests a find's audit entry keeps: pinned to bytes computed apart
/// from Haven, keyed by the vault, and separating kinds of value.
@Suite struct SearchDigestTests {
    /// The seed 00 01 … 1f. Computed with Python's hashlib, a second implementation of BLAKE2b:
    ///     key = blake2b(b"haven/search-digest-key/v1", digest_size=32, key=bytes(range(32))).digest()
    ///     blake2b(b"haven/search-digest/v1\n" + kind + b"\n" + form, digest_size=16, key=key).hexdigest()
    static let vectors: [(kind: String, form: String, digest: String)] = [
        ("name", "nguyenthiha", "59e0cc0e2b16ae761cb8367fa6402422"),
        ("phone", "02055512345", "feb75d3151fe60835bc83998dc788f88"),
        ("dob", "1996-03-07", "60ee190c54a50bfec244f0d57f85ab51"),
        ("name", "ສົມພອນວົງສະຫວັນ", "382bf48799009196d45fd4702c440976"),
    ]

    @Test func digestsMatchTheIndependentComputation() throws {
        let seed = try SecureBytes(count: 32) { out in for i in 0..<32 { out[i] = UInt8(i) } }
        let digest = SearchDigest(signingKey: try SigningKey(seed: seed))
        for v in Self.vectors { #expect(digest.digest(kind: v.kind, form: v.form) == v.digest, "\(v.kind) \(v.form)") }
    }

    @Test func anotherVaultOrAnotherKindGivesAnotherDigest() {
        let here = SearchDigest(signingKey: SigningKey.generate())
        let elsewhere = SearchDigest(signingKey: SigningKey.generate())
        #expect(here.digest(kind: "name", form: "nguyenthiha") == here.digest(kind: "name", form: "nguyenthiha"))
        #expect(here.digest(kind: "name", form: "nguyenthiha") != elsewhere.digest(kind: "name", form: "nguyenthiha"))
        #expect(here.digest(kind: "name", form: "1996-03-07") != here.digest(kind: "dob", form: "1996-03-07"))
        #expect(here.digest(kind: "name", form: "a").count == 32)
    }
}
