@testable import HavenCrypto
import HavenCore
import HavenTestSupport
import Testing

/// Published vectors: if any of these fail, Haven and the standard disagree about a primitive.
@Suite struct KnownAnswerTests {
    /// draft-irtf-cfrg-xchacha-03, Appendix A.3.1.
    @Test func xchacha20Poly1305MatchesTheDraftVector() throws {
        let key = [UInt8](hex: "808182838485868788898a8b8c8d8e8f909192939495969798999a9b9c9d9e9f")
        let nonce = [UInt8](hex: "404142434445464748494a4b4c4d4e4f5051525354555657")
        let ad = [UInt8](hex: "50515253c0c1c2c3c4c5c6c7")
        let plaintext = Array("Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would be it.".utf8)
        let expected = [UInt8](hex: """
            bd6d179d3e83d43b9576579493c0e939572a1700252bfaccbed2902c21396cbb
            731c7f1b0b4aa6440bf3a82f4eda7e39ae64c6708c54c216cb96b72e1213b452
            2f8c9ba40db5d945b11b69b982c1bb9e3f3fac2bc369488f76b2383565d3fff9
            21f9664c97637da9768812f615c68b13b52e
            c0875924c1c7987947deafd8780acf49
            """)
        var out = [UInt8](repeating: 0, count: plaintext.count + 16)
        key.withUnsafeBytes { k in nonce.withUnsafeBytes { n in plaintext.withUnsafeBytes { p in ad.withUnsafeBytes { a in
            out.withUnsafeMutableBytes { o in XChaCha20Poly1305.encrypt(key: k, nonce: n, plaintext: p, ad: a, out: o) }
        } } } }
        #expect(out == expected)

        var back = [UInt8](repeating: 0, count: plaintext.count)
        try key.withUnsafeBytes { k in try nonce.withUnsafeBytes { n in try expected.withUnsafeBytes { c in try ad.withUnsafeBytes { a in
            try back.withUnsafeMutableBytes { o in try XChaCha20Poly1305.decrypt(key: k, nonce: n, ciphertext: c, ad: a, out: o) }
        } } } }
        #expect(back == plaintext)
    }

    /// RFC 8032 §7.1, TEST 1 (empty message) and TEST 2 (one byte).
    @Test(arguments: [
        ("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
         "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
         "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"),
        ("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
         "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
         "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"),
    ])
    func ed25519MatchesRFC8032(seed: String, publicKey: String, message: String, signature: String) throws {
        let seedBytes = [UInt8](hex: seed)
        let key = try SigningKey(seed: SecureBytes(copying: seedBytes))
        #expect(key.publicKey.bytes == [UInt8](hex: publicKey))
        let m = message.isEmpty ? [UInt8]() : [UInt8](hex: message)
        #expect(key.sign(m) == [UInt8](hex: signature))
        try key.publicKey.verify(signature: [UInt8](hex: signature), message: m)
    }

    /// RFC 7693 Appendix A (BLAKE2b-512 of "abc"), and BLAKE2b-256 of "abc" and of nothing as
    /// computed by Python's hashlib (an independent implementation).
    @Test func blake2bMatchesRFC7693() {
        #expect(Hex.encode(BLAKE2b.hash(Array("abc".utf8), outputBytes: 64)) == """
            ba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d1\
            7d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923
            """)
        let abc = Array("abc".utf8).withUnsafeBytes { BLAKE2b.digest256($0) }
        #expect(Hex.encode(abc.bytes) == "bddd813c634239723171ef3fee98579b94964e3bb1cb3e427262c8c068d52319")
        let empty = BLAKE2b.digest256(UnsafeRawBufferPointer(start: nil, count: 0))
        #expect(Hex.encode(empty.bytes) == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8")
    }

    /// FIPS 180-2 examples.
    @Test func sha256MatchesFIPS() {
        #expect(Hex.encode(SHA256.hash(Array("abc".utf8))) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Hex.encode(SHA256.hash([UInt8]())) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(Hex.encode(SHA256.hash(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }
}
