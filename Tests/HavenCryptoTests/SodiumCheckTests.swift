@testable import HavenCrypto
import Testing

/// Every libsodium return code is read by `Sodium.check`: a code other than 0 is an error a
/// caller cannot drop, naming the call that failed unless the caller names the failure.
@Suite struct SodiumCheckTests {
    @Test func zeroIsSuccess() throws {
        try Sodium.check(0, "crypto_generichash")
    }

    @Test(arguments: [Int32(-1), 1, 2, Int32.min])
    func anyOtherCodeThrowsNamingTheCall(rc: Int32) {
        #expect(throws: CryptoError.libsodium("crypto_generichash")) { try Sodium.check(rc, "crypto_generichash") }
    }

    /// A failed open or verify is `authenticationFailure` whatever the call, so a caller does
    /// not learn which check failed.
    @Test func aNamedFailureIsThrownInsteadOfTheCallsName() {
        #expect(throws: CryptoError.authenticationFailure) {
            try Sodium.check(-1, "crypto_sign_verify_detached", failure: .authenticationFailure)
        }
    }

    /// A real call that fails: Argon2id below libsodium's least cost returns -1, and that
    /// code reaches the caller as an error instead of leaving a key that was never derived.
    @Test func argon2idThatFailsIsAnErrorNotAKey() {
        let passphrase = try! SecureBytes(count: 4) { $0.copyBytes(from: Array("pass".utf8)) }
        let tooCheap = PassphraseSeal.Cost(opsLimit: 0, memLimit: 0)
        #expect(throws: CryptoError.self) {
            _ = try PassphraseSeal.derive(passphrase: passphrase, salt: [UInt8](repeating: 7, count: 16), cost: tooCheap)
        }
        #expect(throws: Never.self) {
            _ = try PassphraseSeal.derive(passphrase: passphrase, salt: [UInt8](repeating: 7, count: 16), cost: .minimum)
        }
    }

    /// A failed authentication is still the single `authenticationFailure` through the helper.
    @Test func aBadSignatureIsAnAuthenticationFailure() {
        let key = SigningKey.generate()
        var signature = key.sign(Array("entry".utf8))
        signature[0] ^= 1
        #expect(throws: CryptoError.authenticationFailure) {
            try key.publicKey.verify(signature: signature, message: Array("entry".utf8))
        }
    }
}
