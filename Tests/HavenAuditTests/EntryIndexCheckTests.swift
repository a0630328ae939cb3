@testable import HavenAudit
import HavenCore
import Testing

/// The check of the columns the audit table copies from each entry, against entries of
/// every shape (no actor, escapes and non-ASCII text in every copied value, nested detail):
/// the copies the writer makes always match, and every column edited, retyped or cleared
/// is named, alone.
@Suite struct EntryIndexCheckTests {
    /// The column values as the writer stores them, as bytes.
    struct Copies {
        var time: Int64
        var action: [UInt8]
        var user: [UInt8]?
        var record: [UInt8]?
        var decision: [UInt8]
        var breakGlass: Int64
        var mistyped = AuditIndexColumns()

        init(_ entry: AuditEntry) {
            time = entry.time.millisecondsSinceEpoch
            action = Array(entry.event.action.utf8)
            user = entry.event.actor.map { Array($0.user.utf8) }
            record = entry.event.record.map { Array($0.utf8) }
            decision = Array(entry.event.decision.rawValue.utf8)
            breakGlass = entry.event.breakGlass == nil ? 0 : 1
        }

        func check(_ bytes: [UInt8]) -> AuditIndexColumns? {
            bytes.withUnsafeBytes { e in
                action.withUnsafeBytes { a in
                    decision.withUnsafeBytes { d in
                        withOptional(user) { u in
                            withOptional(record) { r in
                                EntryIndexCheck.mismatches(entry: e, stored: StoredIndexColumns(
                                    time: time, action: a, user: u, record: r, decision: d, breakGlass: breakGlass, mistyped: mistyped))
                            }
                        }
                    }
                }
            }
        }

        private func withOptional<R>(_ v: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> R) -> R {
            guard let v else { return body(nil) }
            return v.withUnsafeBytes { body($0) }
        }
    }

    static let events: [AuditEvent] = [
        AuditEvent(action: "daemon.start", decision: .allow, rule: "daemon started", detail: ["pid": "1"]),
        AuditEvent(action: "record.read", actor: .init(user: "counsellor2", role: "counsellor", agency: "ossc-vientiane"),
                   peer: .init(uid: 1000, pid: 42), record: "7znpjjhxukioekz35tqyl2zqia", released: ["survivor_name"],
                   purpose: "hotline \"call\"", decision: .allow, rule: "break-glass", consent: ["police": "never"],
                   breakGlass: "she said: \"locked in\"\n\\ needs address", detail: ["nested": "{\"a\":[1,2]}"]),
        AuditEvent(action: "record.read", actor: .init(user: "police", role: "police", agency: "police-vientiane"),
                   record: "a \"quoted\" id\twith\u{1}control ສົມພອນ", decision: .deny, rule: "consent:police not granted",
                   outcome: "denied"),
        AuditEvent(action: "auth.session", actor: .init(user: "Nguyễn\\\"", role: "intake", agency: "x"), decision: .deny,
                   rule: "unknown key", detail: [:]),
    ]

    func entries() -> [AuditEntry] {
        var chain = AuditChain()
        return Self.events.enumerated().map { i, e in
            let a = chain.append(e, at: Timestamp(millisecondsSinceEpoch: 1_790_000_000_123 + Int64(i) * 86_400_007))
            return try! AuditEntry(canonicalBytes: a.bytes)
        }
    }

    @Test func theWritersCopiesAlwaysMatch() {
        for entry in entries() {
            #expect(Copies(entry).check(entry.canonicalBytes()) == [], "\(entry.event)")
        }
    }

    @Test func eachColumnEditedIsNamedAlone() {
        for entry in entries() {
            let bytes = entry.canonicalBytes()
            let base = Copies(entry)
            var edits: [(AuditIndexColumns, (inout Copies) -> Void)] = [
                (.time, { $0.time += 1 }), (.time, { $0.time = 0 }),
                (.action, { $0.action = Array("record.list".utf8) }), (.action, { $0.action.removeLast() }),
                (.user, { $0.user = Array("intake".utf8) }), (.user, { $0.user = $0.user == nil ? [] : nil }),
                (.record, { $0.record = $0.record == nil ? Array("r".utf8) : nil }),
                (.decision, { $0.decision = Array(($0.decision == Array("allow".utf8) ? "deny" : "allow").utf8) }),
                (.breakGlass, { $0.breakGlass = 1 - $0.breakGlass }), (.breakGlass, { $0.breakGlass = 2 }),
                (.user, { $0.mistyped.insert(.user) }),
            ]
            if let r = base.record, !r.isEmpty { edits.append((.record, { $0.record = Array(r.dropLast()) })) }
            for (column, edit) in edits {
                var c = base
                edit(&c)
                #expect(c.check(bytes) == column, "\(column.names) of \(entry.event.action)")
            }
        }
    }

    @Test func bytesThatAreNoEntryAreLeftToTheLogCheck() throws {
        let entry = entries()[1]
        let bytes = entry.canonicalBytes()
        // Cut before the last member read (what follows is not walked: the log check names
        // an entry cut or altered there).
        let last = Array(#""break_glass""#.utf8)
        let at = try #require((0..<bytes.count).first { Array(bytes[$0..<min($0 + last.count, bytes.count)]) == last })
        for cut in [0, 1, 40, at / 2, at + last.count + 3] {
            #expect(Copies(entry).check(Array(bytes.prefix(cut))) == nil, "cut at \(cut)")
        }
        #expect(Copies(entry).check(Array("{\"v\":1}".utf8)) == nil)
    }
}
