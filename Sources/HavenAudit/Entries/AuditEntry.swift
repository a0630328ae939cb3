import Foundation
import HavenCore

/// One leaf of the audit log: an event with its sequence number, time and the hash of
/// the entry before it (FORMAT.md, "audit entry").
public struct AuditEntry: Sendable, Equatable {
    public static let formatVersion = 1

    /// Position in the log, from 0; equal to the leaf index in the Merkle tree.
    public let seq: UInt64
    public let time: Timestamp
    /// The leaf hash of entry `seq - 1` (32 zero bytes for entry 0). With it, an edited entry
    /// is named exactly: its successor no longer points at it.
    public let previousLeafHash: [UInt8]
    public let event: AuditEvent

    public init(seq: UInt64, time: Timestamp, previousLeafHash: [UInt8], event: AuditEvent) {
        self.seq = seq
        self.time = time
        self.previousLeafHash = previousLeafHash
        self.event = event
    }

    /// The canonical bytes that are hashed into the tree. Members in this fixed order, all
    /// always present (null or empty when not applicable); `consent` and `detail` keys sorted.
    public func canonicalBytes() -> [UInt8] {
        var w = JSONWriter(capacity: 512)
        w.object { o in
            o.field("v", Self.formatVersion)
            o.field("seq", seq)
            o.field("time", time.rfc3339)
            o.field("prev", Hex.encode(previousLeafHash))
            o.field("action", event.action)
            o.key("actor")
            if let a = event.actor {
                o.object { x in
                    x.field("user", a.user)
                    x.field("role", a.role)
                    x.field("agency", a.agency)
                }
            } else {
                o.null()
            }
            o.key("peer")
            if let p = event.peer {
                o.object { x in
                    x.field("uid", p.uid)
                    x.field("pid", p.pid)
                }
            } else {
                o.null()
            }
            o.field("record", event.record)
            o.field("released", strings: event.released)
            o.field("written", strings: event.written)
            o.key("withheld")
            o.array { a in
                for item in event.withheld {
                    a.object { x in
                        x.field("field", item.field)
                        x.field("reason", item.reason)
                    }
                }
            }
            o.field("purpose", event.purpose)
            o.field("decision", event.decision.rawValue)
            o.field("rule", event.rule)
            o.key("consent")
            o.object { x in
                for (k, v) in event.consent.sorted(by: { $0.key < $1.key }) { x.field(k, v) }
            }
            o.field("policy_version", event.policyVersion)
            o.field("break_glass", event.breakGlass)
            o.field("outcome", event.outcome)
            o.key("detail")
            o.object { x in
                for (k, v) in event.detail.sorted(by: { $0.key < $1.key }) { x.field(k, v) }
            }
        }
        return w.bytes
    }

    /// Parses canonical entry bytes and checks they are canonical: re-serialising the parsed
    /// entry must give back exactly the same bytes, so two spellings never hash differently
    /// for the same content.
    public init(canonicalBytes bytes: [UInt8]) throws(HavenError) {
        let wire: Wire
        do {
            wire = try JSONDecoder().decode(Wire.self, from: Data(bytes))
        } catch {
            throw HavenError(.invalidDocument, "audit entry is not valid JSON of the entry format")
        }
        guard wire.v == Self.formatVersion else {
            throw HavenError(.invalidDocument, "audit entry has unknown format version \(wire.v)")
        }
        guard let time = Timestamp(parsing: wire.time), let prev = Hex.decode(wire.prev), prev.count == 32 else {
            throw HavenError(.invalidDocument, "audit entry \(wire.seq) has a malformed time or prev hash")
        }
        let event = AuditEvent(action: wire.action, actor: wire.actor, peer: wire.peer, record: wire.record,
                               released: wire.released, written: wire.written, withheld: wire.withheld, purpose: wire.purpose,
                               decision: wire.decision, rule: wire.rule, consent: wire.consent,
                               policyVersion: wire.policy_version, breakGlass: wire.break_glass,
                               outcome: wire.outcome, detail: wire.detail)
        self.init(seq: wire.seq, time: time, previousLeafHash: prev, event: event)
        guard canonicalBytes() == bytes else {
            throw HavenError(.invalidDocument, "audit entry \(wire.seq) is not in canonical form")
        }
    }

    private struct Wire: Decodable {
        let v: Int
        let seq: UInt64
        let time: String
        let prev: String
        let action: String
        let actor: AuditEvent.Actor?
        let peer: AuditEvent.Peer?
        let record: String?
        let released: [String]
        let written: [String]
        let withheld: [AuditEvent.Withheld]
        let purpose: String?
        let decision: AuditEvent.Decision
        let rule: String
        let consent: [String: String]
        let policy_version: String?
        let break_glass: String?
        let outcome: String
        let detail: [String: String]
    }
}
