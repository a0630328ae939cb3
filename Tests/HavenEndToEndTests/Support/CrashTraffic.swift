import Foundation
import HavenAPI
import HavenClient
import HavenCore

/// What the clients of a crash test were told succeeded, and what they asked for, so that
/// after a SIGKILL each acknowledged write and read can be checked against the vault.
actor Ledger {
    struct Record {
        let name: String
        /// Every description value sent, in order (each client owns its records, so the
        /// order is the order of the writes).
        var submitted: [String]
        /// Index into `submitted` of the last acknowledged value.
        var acknowledged: Int
        /// Consent changes sent for the police flag, in order, each with whether it was
        /// acknowledged (an unacknowledged one may or may not have been committed).
        var consentSent: [(kind: String, acknowledged: Bool)] = []

        /// Whether a stored history is what was sent: every acknowledged change, in order,
        /// with unacknowledged ones present or not.
        func consentMatches(_ stored: [String]) -> Bool {
            // Matching greedily is wrong: an unacknowledged "withdraw" may be absent while
            // an acknowledged "withdraw" right after it is present. So search over which
            // unacknowledged changes were kept (reachable[j]: stored[..<j] explained so far).
            var reachable = [Bool](repeating: false, count: stored.count + 1)
            reachable[0] = true
            for sent in consentSent {
                var next = [Bool](repeating: false, count: stored.count + 1)
                for j in 0...stored.count where reachable[j] {
                    if !sent.acknowledged { next[j] = true }
                    if j < stored.count, stored[j] == sent.kind { next[j + 1] = true }
                }
                reachable = next
            }
            return reachable[stored.count]
        }
    }

    var records: [String: Record] = [:]
    var reads: [(seq: UInt64, id: String)] = []
    var operations = 0

    func created(_ id: String, name: String, description: String) {
        records[id] = Record(name: name, submitted: [description], acknowledged: 0)
        operations += 1
    }

    func submitting(_ id: String, _ value: String) -> Int {
        records[id]!.submitted.append(value)
        return records[id]!.submitted.count - 1
    }

    func acknowledged(_ id: String, index: Int) {
        records[id]!.acknowledged = max(records[id]!.acknowledged, index)
        operations += 1
    }

    func sendingConsent(_ id: String, _ kind: String) -> Int {
        records[id]!.consentSent.append((kind, false))
        return records[id]!.consentSent.count - 1
    }

    func consentAcknowledged(_ id: String, index: Int) {
        records[id]!.consentSent[index].acknowledged = true
        operations += 1
    }

    func read(_ id: String, seq: UInt64) {
        reads.append((seq, id))
        operations += 1
    }

    func ids(of client: Int) -> [String] {
        records.filter { $0.value.name.hasPrefix("Crash \(client)-") }.map(\.key).sorted()
    }
}

/// One client of the crash test: creates, updates, changes consent and reads its own
/// records until the connection dies.
struct CrashClient {
    let number: Int
    let cycle: Int
    let ledger: Ledger
    let socket: String
    let client: HavenClient

    func run() async {
        var rng = SeededRandom(seed: UInt64(cycle * 100 + number))
        var n = await ledger.ids(of: number).count
        while true {
            do {
                let mine = await ledger.ids(of: number)
                let roll = Int.random(in: 0..<100, using: &rng)
                if mine.isEmpty || (roll < 20 && mine.count < 12) {
                    let name = "Crash \(number)-\(n)"
                    let description = "\(name) v0"
                    let r: RecordWriteResponse = try await client.post("/v1/records", CreateRecordRequest(
                        type: "gbv_incident", fields: ["incident_type": "rape", "survivor_name": name, "incident_description": description],
                        assign: nil))
                    await ledger.created(r.id, name: name, description: description)
                    n += 1
                } else if roll < 55 {
                    let id = mine.randomElement(using: &rng)!
                    let value = "update \(UUID().uuidString)"
                    let index = await ledger.submitting(id, value)
                    let _: RecordWriteResponse = try await client.patch("/v1/records/\(id)",
                                                                        UpdateRecordRequest(fields: ["incident_description": value]))
                    await ledger.acknowledged(id, index: index)
                } else if roll < 70 {
                    let id = mine.randomElement(using: &rng)!
                    let kind = Bool.random(using: &rng) ? "grant" : "withdraw"
                    let index = await ledger.sendingConsent(id, kind)
                    let _: RecordWriteResponse = try await client.post("/v1/records/\(id)/consent",
                        ConsentChangeRequest(flag: "police", action: kind, evidence: nil, expires: nil))
                    await ledger.consentAcknowledged(id, index: index)
                } else {
                    let id = mine.randomElement(using: &rng)!
                    let r: ReadRecordResponse = try await client.post("/v1/records/\(id)/read",
                        ReadRecordRequest(purpose: "crash test", fields: nil, breakGlass: nil))
                    await ledger.read(id, seq: r.auditSeq)
                }
            } catch {
                return  // the daemon was killed
            }
        }
    }
}
