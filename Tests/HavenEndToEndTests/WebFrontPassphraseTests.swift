import Foundation
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The front's passphrases over real HTTP: one spelling for the seal whichever keyboard
    /// typed it, and length counted as the people directory counts it (Unicode scalars).
    @Suite struct WebFrontPassphraseTests {
        /// Composed as a Windows PC types it ("ộ" one scalar).
        static let vietnamese = "Tôi nhớ Hà Nội mùa thu".precomposedStringWithCanonicalMapping
        /// Twelve Unicode scalars in four graphemes (consonant, vowel sign, tone mark).
        static let lao = "\u{0E81}\u{0EB5}\u{0EC9}\u{0E9A}\u{0EB5}\u{0EC8}\u{0EA1}\u{0EB7}\u{0EC9}\u{0EAA}\u{0EB5}\u{0EC8}"

        @Test func aPassphraseChosenComposedOpensWhenTypedDecomposed() async throws {
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            let decomposed = Self.vietnamese.decomposedStringWithCanonicalMapping
            #expect(Array(decomposed.utf8) != Array(Self.vietnamese.utf8))
            try await desk.webUser("ana", role: "counsellor", agency: "ossc-vientiane", passphrase: Self.vietnamese)
            let browser = try desk.signedIn("ana", passphrase: decomposed)
            try browser.get("/records")
            #expect(try browser.post("/lock", []).status == 303)
            try browser.get("/locked")
            let unlocked = try browser.post("/unlock", [("passphrase", decomposed)])
            #expect(unlocked.status == 303)
            #expect(unlocked.header("location") == "/records")
            // And the other way round: the composed spelling still opens it.
            #expect(try desk.signedIn("ana", passphrase: Self.vietnamese).get("/records").text.contains("id=\"menu\""))
        }

        @Test func twelveLaoScalarsAreLongEnoughAndElevenAreNot() async throws {
            #expect(Self.lao.unicodeScalars.count == 12)
            #expect(Self.lao.count < 12)
            let desk = try await WebDeskHarness.start()
            defer { Task { await desk.stop() } }
            let path = String(try desk.invite("noy").dropFirst(desk.baseURL.count))
            let browser = WebBrowser(port: desk.port)
            try browser.get(path)
            let short = String(String.UnicodeScalarView(Self.lao.unicodeScalars.dropLast()))
            let refused = try browser.post(path, [("passphrase", short), ("confirm", short)])
            #expect(refused.status == 400)
            #expect(refused.text.contains("at least 12 characters"))
            // The refusal cost nothing: the invitation still works, with twelve.
            let done = try browser.post(path, [("passphrase", Self.lao), ("confirm", Self.lao.decomposedStringWithCanonicalMapping)])
            #expect(done.status == 200, "\(done.text)")
            let key = try #require(WebDeskHarness.element(done.text, open: "<code id=\"public-key\">", close: "</code>"))
            try desk.enrol("noy", role: "counsellor", agency: "ossc-vientiane", publicKey: key)
            #expect(try desk.signedIn("noy", passphrase: Self.lao).get("/records").status == 200)
        }
    }
}
