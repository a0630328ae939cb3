import HavenCore
import Testing

@Suite struct EncodingTests {
    @Test func base32RecordIDsRoundTripAndHaveOneSpelling() throws {
        let bytes: [UInt8] = (0..<16).map { UInt8($0 * 17) }
        let id = RecordID(bytes: bytes)
        #expect(id.rawValue.count == 26)
        #expect(Base32.decode(id.rawValue) == bytes)
        #expect(throws: HavenError.self) { try RecordID(id.rawValue.uppercased()) }
        #expect(throws: HavenError.self) { try RecordID("../../etc/passwd") }
    }

    /// The last character of an id carries bits past the end of the bytes; set to anything
    /// but zero, they would spell the same bytes a second way, so the decoder refuses them.
    /// Lengths leaving 2, 4, 1, 3 and 0 such bits, and a record id's 16 bytes; every non-zero
    /// pattern of those bits.
    @Test(arguments: [1, 2, 3, 4, 5, 16])
    func base32RefusesNonZeroPaddingBits(length: Int) throws {
        let bytes: [UInt8] = (0..<length).map { UInt8(truncatingIfNeeded: 0xA5 &+ $0 &* 37) }
        let canonical = Base32.encode(bytes)
        #expect(Base32.decode(canonical) == bytes)
        let padding = canonical.count * 5 - length * 8
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz234567")
        let last = try #require(alphabet.firstIndex(of: canonical.last!))
        #expect(last & ((1 << padding) - 1) == 0, "the encoder writes zero padding")
        for bits in 1..<(1 << padding) {
            let other = String(canonical.dropLast()) + String(alphabet[last | bits])
            #expect(Base32.decode(other) == nil, "\(other) decodes although its padding bits are \(bits)")
        }
        if length == 16 {
            // A record id is 16 bytes: 26 characters with 2 padding bits.
            #expect(padding == 2)
            #expect(throws: HavenError.self) { try RecordID(String(canonical.dropLast()) + String(alphabet[last | 1])) }
        }
    }

    @Test func base64IsStrict() {
        #expect(Base64.decode("AAEC") == [0, 1, 2])
        #expect(Base64.decode("AAE=") == [0, 1])
        #expect(Base64.decode("AAE") == nil)
        #expect(Base64.decode(" AAEC") == nil)
        #expect(Base64.decode("AAF=") == nil)  // non-canonical padding bits
    }

    @Test func hexRoundTrips() {
        #expect(Hex.encode([0, 255, 16]) == "00ff10")
        let every = (0...255).map { UInt8($0) }
        #expect(Hex.encode(every) == Hex.encode(AnySequence(every)))  // the array entry point and the generic one
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.decode("00FF10") == [0, 255, 16])
        #expect(Hex.decode("0") == nil)
        #expect(Hex.decode("zz") == nil)
    }

    @Test func jsonWriterEscapesCanonically() {
        var w = JSONWriter()
        w.object { o in
            o.field("s", "a\"b\\c\nd\u{0}é/ນາງ")
            o.field("n", -12)
            o.field("t", true)
            o.field("x", nil as String?)
            o.key("a")
            o.array { a in a.int(1); a.object { _ in }; a.array { _ in }; a.string("z") }
        }
        #expect(String(decoding: w.bytes, as: UTF8.self)
                == #"{"s":"a\"b\\c\u000ad\u0000é/ນາງ","n":-12,"t":true,"x":null,"a":[1,{},[],"z"]}"#)
    }

    /// The integer entry points write what `String(value)` writes, at every width's edges.
    @Test func jsonWriterIntegersMatchTheirDecimalText() {
        let signed: [Int64] = [0, 1, -1, 9, 10, -10, 99, 100, 1_000_000_007, Int64.max, Int64.min, Int64(Int32.min), Int64(Int32.max)]
        let unsigned: [UInt64] = [0, 1, 9, 10, UInt64(UInt32.max), UInt64.max, UInt64.max - 1, 10_000_000_000_000_000_000]
        for v in signed {
            var w = JSONWriter()
            w.array { a in
                a.int(v)
                a.int(Int(v))
                if let narrow = Int32(exactly: v) { a.int(narrow) }
            }
            let text = String(v)
            let expected = Int32(exactly: v) == nil ? "[\(text),\(text)]" : "[\(text),\(text),\(text)]"
            #expect(String(decoding: w.bytes, as: UTF8.self) == expected)
        }
        for v in unsigned {
            var w = JSONWriter()
            w.object { o in
                o.field("u", v)
                if let narrow = UInt32(exactly: v) { o.field("n", narrow) }
            }
            let expected = UInt32(exactly: v) == nil ? #"{"u":\#(v)}"# : #"{"u":\#(v),"n":\#(v)}"#
            #expect(String(decoding: w.bytes, as: UTF8.self) == expected)
        }
    }

    /// Strings with nothing to escape take the one-copy path; one escapable byte anywhere
    /// (first, last, alone) still sends the whole string through escaping.
    @Test func jsonWriterEscapesWhereverTheByteIs() {
        let cases: [(String, String)] = [
            ("plain ນາງ text", #""plain ນາງ text""#), ("\"start", #""\"start""#), ("end\\", #""end\\""#),
            ("\u{1F}", #""\u001f""#), ("", #""""#), ("mid\tdle", #""mid\u0009dle""#),
        ]
        for (value, json) in cases {
            var w = JSONWriter()
            w.string(value)
            #expect(String(decoding: w.bytes, as: UTF8.self) == json, "\(value.debugDescription)")
        }
    }

    @Test func namesUseANarrowAlphabet() throws {
        #expect(try UserName("ana.k_2-x").rawValue == "ana.k_2-x")
        for bad in ["", "Ana", "a b", "a/b", String(repeating: "a", count: 65), "ນາງ", "a\u{0}"] {
            #expect(throws: HavenError.self) { try UserName(bad) }
        }
        #expect(throws: HavenError.self) { try FieldName("survivor-name") }
    }
}

@Suite struct TimestampTests {
    @Test func formatsRFC3339WithMilliseconds() {
        #expect(Timestamp(millisecondsSinceEpoch: 0).rfc3339 == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp(millisecondsSinceEpoch: 1_795_000_000_123).rfc3339 == "2026-11-18T11:06:40.123Z")
        #expect(Timestamp(millisecondsSinceEpoch: 951_782_400_000).rfc3339 == "2000-02-29T00:00:00.000Z")
    }

    @Test(arguments: [
        ("2026-11-24", Int64(1_795_478_400_000)),
        ("2026-11-24T00:00:00Z", 1_795_478_400_000),
        ("2026-11-24T07:00:00+07:00", 1_795_478_400_000),
        ("2026-11-24T00:00:00.5Z", 1_795_478_400_500),
        ("2026-11-24T00:00:00.123456Z", 1_795_478_400_123),
    ])
    func parsesDatesAndTimes(text: String, ms: Int64) {
        #expect(Timestamp(parsing: text)?.millisecondsSinceEpoch == ms)
    }

    @Test(arguments: ["2026-02-30", "2026-13-01", "26-11-24", "2026-11-24T25:00:00Z", "2026-11-24T00:00:00", "yesterday", ""])
    func refusesMalformedTimes(text: String) {
        #expect(Timestamp(parsing: text) == nil)
    }

    @Test func roundTripsThroughText() {
        for ms in stride(from: Int64(-86_400_000 * 400), to: 4_000_000_000_000, by: 86_399_999_937) {
            let t = Timestamp(millisecondsSinceEpoch: ms)
            #expect(Timestamp(parsing: t.rfc3339) == t)
        }
    }
}

@Suite struct ConsentStateTests {
    let u = try! UserName("intake")
    func t(_ ms: Int64) -> Timestamp { Timestamp(millisecondsSinceEpoch: ms) }

    @Test func latestEventDecidesAndExpiryCounts() {
        var c = ConsentState()
        #expect(c.status(of: .police, at: t(0)) == .never)
        c.append(ConsentEvent(flag: .police, kind: .grant, recordedBy: u, recordedAt: t(10), expiresAt: t(100)))
        #expect(c.status(of: .police, at: t(50)).isGranted)
        #expect(c.status(of: .police, at: t(100)) == .expired)
        c.append(ConsentEvent(flag: .police, kind: .withdraw, recordedBy: u, recordedAt: t(60)))
        #expect(c.status(of: .police, at: t(70)) == .withdrawn)
        #expect(c.status(of: .health, at: t(70)) == .never)
        #expect(c.count == 2)
    }

    /// The latest-per-flag state agrees with reading the whole history back to front (how
    /// format 1 decided), for random histories of every flag, kind and expiry.
    @Test func theLatestEventOfEachFlagDecidesAsTheWholeHistoryWould() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var events = [ConsentEvent]()
            for i in 0..<Int.random(in: 0...30, using: &rng) {
                let kind: ConsentEvent.Kind = Bool.random(using: &rng) ? .grant : .withdraw
                let expiry = kind == .grant && Bool.random(using: &rng) ? t(Int64.random(in: 0...400, using: &rng)) : nil
                events.append(ConsentEvent(flag: ConsentFlag.allCases.randomElement(using: &rng)!, kind: kind, recordedBy: u,
                                           recordedAt: t(Int64(i)), expiresAt: expiry))
            }
            let state = ConsentState(history: events)
            #expect(state.count == UInt64(events.count))
            for flag in ConsentFlag.allCases {
                for now in [t(0), t(150), t(401)] {
                    let expected: ConsentStatus
                    if let last = events.reversed().first(where: { $0.flag == flag }) {
                        if last.kind == .withdraw {
                            expected = .withdrawn
                        } else if let e = last.expiresAt, e <= now {
                            expected = .expired
                        } else {
                            expected = .granted(expiresAt: last.expiresAt)
                        }
                    } else {
                        expected = .never
                    }
                    #expect(state.status(of: flag, at: now) == expected)
                }
            }
        }
    }
}

@Suite struct HistoryPageTests {
    func page(_ total: UInt64, before: UInt64? = nil, limit: Int? = nil) throws -> ClosedRange<UInt64>? {
        try HistoryPage(total: total, before: before, limit: limit, what: "notes").indexes
    }

    @Test func theFirstPageIsTheLatestAndPagingBackReachesEveryEntryOnce() throws {
        #expect(try page(0) == nil)
        #expect(try page(5) == 1...5)
        #expect(try page(250) == 231...250)
        #expect(try page(250, limit: 100) == 151...250)
        #expect(try page(250, before: 151, limit: 100) == 51...150)
        #expect(try page(250, before: 51, limit: 100) == 1...50)
        #expect(try page(250, before: 1) == nil)
        #expect(try page(250, before: 9_999) == 231...250)
        #expect(try page(250, limit: 0) == nil)
        for total in [1, 99, 100, 101, 1_000, 10_001] as [UInt64] {
            var seen = [UInt64]()
            var before: UInt64?
            while let r = try page(total, before: before, limit: 37) {
                seen = Array(r) + seen
                before = r.lowerBound
            }
            #expect(seen == Array(1...total))
        }
    }

    @Test func aLimitOutOfRangeOrAZeroBeforeIsRefused() {
        for (before, limit) in [(nil, 1001), (nil, -1), (UInt64(0), 10)] as [(UInt64?, Int)] {
            #expect(throws: HavenError.self) { _ = try page(10, before: before, limit: limit) }
        }
    }

    @Test func limitsRefuseTheEntryPastThemWithAStableCode() throws {
        let limits = HistoryLimits(notes: 3, consentEvents: 2)
        try limits.checkNote(after: 2)
        try limits.checkConsentEvent(after: 1)
        #expect { try limits.checkNote(after: 3) } throws: { ($0 as? HavenError)?.code == .limitReached }
        #expect { try limits.checkConsentEvent(after: 2) } throws: { ($0 as? HavenError)?.code == .limitReached }
    }
}
