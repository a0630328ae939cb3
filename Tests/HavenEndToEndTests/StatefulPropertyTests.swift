import Foundation
import HavenAPI
import HavenClient
import HavenCore
import HavenTestSupport
import NIOHTTP1
import Testing

extension EndToEnd {
    /// Random sequences of valid and edge-case calls, from every role, against the real
    /// daemon: values at their bounds and just past them, Lao and Vietnamese text in NFC and
    /// NFD, consent with and without expiry and evidence, notes, assignments, reads with and
    /// without break-glass, extracts. After every step: no answer is a 500 or anything but
    /// JSON, and the record touched still reads back exactly what was last written; after
    /// every fifth, every record still lists for intake (none damaged). Every 500 steps of a
    /// worker, and at its end, every record of its own is read back and the audit log
    /// verified. Reads and consent reviews page through history with limits and cursors at
    /// and past their bounds. The suite runs 20,000 steps or for 60 seconds, whichever ends
    /// first, and says how many steps it ran; `HAVEN_PROPERTY_STEPS`, `HAVEN_PROPERTY_SECONDS`
    /// and `HAVEN_PROPERTY_SEED` extend or repeat a run (`scripts/soak-property.sh` runs more).
    @Suite struct StatefulPropertyTests {
        static let steps = Int(ProcessInfo.processInfo.environment["HAVEN_PROPERTY_STEPS"] ?? "") ?? 20_000
        static let seconds = Double(ProcessInfo.processInfo.environment["HAVEN_PROPERTY_SECONDS"] ?? "") ?? 60
        static let seed = UInt64(ProcessInfo.processInfo.environment["HAVEN_PROPERTY_SEED"] ?? "")
            ?? UInt64.random(in: 1...UInt64(UInt32.max))

        /// What the model knows of a record: the values last written (each exactly as sent).
        struct Model {
            var values: [String: String]
            var assigned: Bool
            /// Every note accepted, by index (from 1), with its text.
            var notes: [String] = []
        }

        /// Workers run side by side, each with its own sessions and records (so commits are
        /// shared, as in real use, and races between them are part of what is tested).
        static let workers = Int(ProcessInfo.processInfo.environment["HAVEN_PROPERTY_WORKERS"] ?? "") ?? 4

        @Test func randomCallsKeepEveryRecordListableReadableAndTheLogValid() async throws {
            print("stateful property test: up to \(Self.steps) steps in up to \(Int(Self.seconds)) s in \(Self.workers) workers, seed \(Self.seed) "
                  + "(HAVEN_PROPERTY_SEED=\(Self.seed) replays it)")
            let started = Date()
            let deadline = ContinuousClock.now + .milliseconds(Int64(Self.seconds * 1000))
            let v = try TestVault()
            let results = try await withThrowingTaskGroup(of: Worker.Result.self) { group in
                for w in 0..<Self.workers {
                    group.addTask {
                        var worker = try await Worker(vault: v, seed: Self.seed &+ UInt64(w) &* 0x9E37_79B9, name: "worker \(w)")
                        return try await worker.run(steps: Self.steps / Self.workers + (w < Self.steps % Self.workers ? 1 : 0), until: deadline)
                    }
                }
                var all = [Worker.Result]()
                for try await r in group { all.append(r) }
                return all
            }
            var statuses = [Int: Int]()
            for r in results { statuses.merge(r.statuses, uniquingKeysWith: +) }
            let seconds = Date().timeIntervalSince(started)
            print("stateful property test: \(results.map(\.steps).reduce(0, +)) steps, seed \(Self.seed), "
                  + "\(results.map(\.records).reduce(0, +)) records, answers by status "
                  + "\(statuses.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")), "
                  + String(format: "%.1f s", seconds))
            #expect(statuses.keys.allSatisfy { $0 < 500 })
        }

        /// One sequence of calls and the model of what it wrote.
        struct Worker {
            struct Result: Sendable {
                let steps: Int
                let records: Int
                let statuses: [Int: Int]
            }

            let name: String
            let seed: UInt64
            var clients = [String: HavenClient]()
            var rng: SeededRandom
            var records = [String: Model]()
            var ids = [String]()
            var statuses = [Int: Int]()
            /// The daemon's log, whose last errors go with a 5xx: a CI run keeps nothing else.
            let daemonLog: String

            init(vault v: TestVault, seed: UInt64, name: String) async throws {
                self.name = name
                daemonLog = v.log
                self.seed = seed
                rng = SeededRandom(seed: seed)
                for user in ["intake", "counsellor", "health", "police", "court", "auditor", "analyst", "admin"] {
                    clients[user] = try await v.client(as: user)
                }
            }

            mutating func send(_ user: String, _ method: HTTPMethod, _ path: String, _ body: String? = nil) async throws -> (Int, String) {
                let r = try await clients[user]!.connection.send(method: method, path: path, body: body.map { Array($0.utf8) })
                let text = String(decoding: r.body, as: UTF8.self)
                statuses[r.status, default: 0] += 1
                if r.status >= 500 {
                    let errors = ((try? String(contentsOfFile: daemonLog, encoding: .utf8)) ?? "").split(separator: "\n")
                        .filter { $0.contains("error") }.suffix(3).joined(separator: "\n")
                    Issue.record("\(name) answered \(r.status): \(method) \(path) \(body ?? "") → \(text) (seed \(seed))\nhavend's last errors:\n\(errors)")
                }
                #expect(r.body.first == UInt8(ascii: "{") && r.body.last(where: { $0 != UInt8(ascii: "\n") }) == UInt8(ascii: "}"),
                        "not a JSON object: \(text.prefix(300)) (seed \(seed))")
                if r.status >= 400 { #expect(text.contains(#"{"error":{"code":""#), "\(text)") }
                return (r.status, text)
            }

            func json(_ value: some Encodable) -> String {
                let e = JSONEncoder()
                e.outputFormatting = [.withoutEscapingSlashes]
                return String(decoding: try! e.encode(value), as: UTF8.self)
            }

            mutating func checkReads(_ id: String) async throws {
                let (status, text) = try await send("intake", .POST, "/v1/records/\(id)/read",
                                                    json(ReadRecordRequest(purpose: "check", fields: nil, breakGlass: nil)))
                #expect(status == 200, "record \(id) no longer reads: \(text) (seed \(seed))")
                guard status == 200, let read = try? JSONDecoder().decode(ReadRecordResponse.self, from: Data(text.utf8)) else { return }
                for (field, value) in read.fields {
                    guard let value else { continue }
                    #expect(records[id]?.values[field] == value, "\(id).\(field) read back differently (seed \(seed))")
                }
                // The latest page of notes, each in its place, released or withheld, none lost.
                let notes = records[id]?.notes ?? []
                #expect(read.notesTotal == UInt64(notes.count), "\(id): \(read.notesTotal ?? 0) notes, \(notes.count) written (seed \(seed))")
                let page = (read.notes.map(\.index) + read.withheldNotes.map(\.index)).sorted()
                let count = UInt64(notes.count)
                let limit = UInt64(HistoryPage.defaultLimit)
                let latest: [UInt64] = count == 0 ? [] : Array((count > limit ? count - limit + 1 : 1)...count)
                #expect(page == latest, "\(id): note page \(page.first ?? 0)…\(page.last ?? 0) (seed \(seed))")
                for n in read.notes {
                    #expect(notes.indices.contains(Int(n.index) - 1) && notes[Int(n.index) - 1] == n.text,
                            "\(id): note \(n.index) read back differently (seed \(seed))")
                }
            }

            /// Every record of this worker is listed for intake, by last change, and none is damaged.
            mutating func checkListing(_ step: Int) async throws {
                let (status, text) = try await send("intake", .GET, "/v1/records?order=newest&limit=200")
                if status == 200, let page = try? JSONDecoder().decode(RecordListResponse.self, from: Data(text.utf8)) {
                    #expect(page.damaged.isEmpty && Set(ids).isSubset(of: page.records.map(\.id)),
                            "\(name) step \(step): \(ids.count) of mine not all listed, damaged \(page.damaged) (seed \(seed))")
                } else {
                    Issue.record("\(name) step \(step): list failed: \(text) (seed \(seed))")
                }
            }

            mutating func run(steps: Int, until deadline: ContinuousClock.Instant) async throws -> Result {
                var done = 0
                for step in 0..<steps where ContinuousClock.now < deadline {
                    done += 1
                    var touched: String?
                    let pick = ids.isEmpty ? 0 : Int.random(in: 0..<100, using: &rng)
                    let id = ids.randomElement(using: &rng) ?? ""
                    switch pick {
                    case 0..<8 where ids.count < 5:
                        var fields = ["incident_type": Values.incidentType(&rng)]
                        for name in Values.textFields.shuffled(using: &rng).prefix(Int.random(in: 0...4, using: &rng)) {
                            fields[name] = Values.text(&rng, maximum: Values.maximum[name] ?? 200)
                        }
                        if Bool.random(using: &rng) { fields["date_of_birth"] = Values.date(&rng) }
                        let assign = Bool.random(using: &rng)
                        let (status, text) = try await send("intake", .POST, "/v1/records",
                                                            json(CreateRecordRequest(type: "gbv_incident", fields: fields, assign: assign ? ["counsellor"] : nil)))
                        if (200..<300).contains(status), let created = try? JSONDecoder().decode(RecordWriteResponse.self, from: Data(text.utf8)) {
                            records[created.id] = Model(values: fields, assigned: assign)
                            ids.append(created.id)
                            touched = created.id
                        }
                    case 0..<30:
                        var fields = [String: String]()
                        for name in Values.textFields.shuffled(using: &rng).prefix(Int.random(in: 1...3, using: &rng)) {
                            fields[name] = Values.text(&rng, maximum: Values.maximum[name] ?? 200)
                        }
                        if Int.random(in: 0..<5, using: &rng) == 0 { fields["incident_date"] = Values.date(&rng) }
                        let (status, _) = try await send("intake", .PATCH, "/v1/records/\(id)", json(UpdateRecordRequest(fields: fields)))
                        if (200..<300).contains(status) { records[id]?.values.merge(fields) { $1 } }
                        touched = id
                    case 30..<45:
                        let flag = ["counselling", "health", "police", "legal", "shelter", "statistics"].randomElement(using: &rng)!
                        let grant = Bool.random(using: &rng)
                        let body = ConsentChangeRequest(flag: flag, action: grant ? "grant" : "withdraw", evidence: Values.evidence(&rng),
                                                        expires: grant ? Values.expiry(&rng) : nil)
                        _ = try await send("intake", .POST, "/v1/records/\(id)/consent", json(body))
                        touched = id
                    case 45..<52:
                        let (user, noteClass) = Bool.random(using: &rng) ? ("intake", "incident") : ("counsellor", "counselling")
                        let text = Values.text(&rng, maximum: 2000)
                        let (status, _) = try await send(user, .POST, "/v1/records/\(id)/notes",
                                                         json(AddNoteRequest(noteClass: noteClass, text: text)))
                        if (200..<300).contains(status) { records[id]?.notes.append(text) }
                        touched = id
                    case 52..<55:
                        // Assigned, or the assignment removed: the counsellor's reach follows at once.
                        let remove = Bool.random(using: &rng)
                        let (status, _) = try await send("intake", .POST, "/v1/records/\(id)/\(remove ? "unassign" : "assign")",
                                                         json(AssignRequest(user: "counsellor")))
                        if (200..<300).contains(status) { records[id]?.assigned = !remove }
                        touched = id
                    case 55..<85:
                        let user = ["intake", "counsellor", "health", "police", "court", "auditor", "analyst", "admin"].randomElement(using: &rng)!
                        let glass = Int.random(in: 0..<6, using: &rng) == 0 ? Values.breakGlassReason(&rng) : nil
                        _ = try await send(user, .POST, "/v1/records/\(id)/read",
                                           json(ReadRecordRequest(purpose: Values.text(&rng, maximum: 100), fields: nil, breakGlass: glass,
                                                                  notesBefore: Values.before(&rng), notesLimit: Values.limit(&rng))))
                    case 85..<92:
                        let user = ["intake", "counsellor", "police", "admin"].randomElement(using: &rng)!
                        var query = [String]()
                        if let before = Values.before(&rng) { query.append("history_before=\(before)") }
                        if let limit = Values.limit(&rng) { query.append("history_limit=\(limit)") }
                        _ = try await send(user, .GET, "/v1/records/\(id)/consent" + (query.isEmpty ? "" : "?" + query.joined(separator: "&")))
                    case 92..<97:
                        let user = ["intake", "counsellor", "court", "auditor"].randomElement(using: &rng)!
                        _ = try await send(user, .GET, "/v1/records?order=\(Bool.random(using: &rng) ? "newest" : "oldest")&limit=\(Int.random(in: 1...200, using: &rng))")
                    default:
                        let order = Bool.random(using: &rng)
                        _ = try await send("court", .POST, "/v1/records/\(id)/extract",
                                           json(ExtractRequest(purpose: "hearing \(step)", basis: order ? "court_order" : "consent",
                                                               courtOrder: order ? "Order \(step)/2026" : nil, fields: nil)))
                    }

                    // Every fifth step, every record still lists for intake, none damaged (damage
                    // stays: a step that did it is found within five steps of it, by its seed)…
                    if step % 5 == 4 { try await checkListing(step) }
                    // …and the record touched reads back what was written.
                    if let touched { try await checkReads(touched) }
                    if (step + 1) % 500 == 0 {
                        for id in ids { try await checkReads(id) }
                        let (vs, report) = try await send("auditor", .POST, "/v1/audit/verify")
                        #expect(vs == 200 && report.contains(#""problems":[]"#), "\(name) step \(step): audit verify: \(report.prefix(500)) (seed \(seed))")
                    }
                }
                // However the run ended, the last state is checked as every 500th step's is.
                try await checkListing(done)
                for id in ids { try await checkReads(id) }
                let (vs, report) = try await send("auditor", .POST, "/v1/audit/verify")
                #expect(vs == 200 && report.contains(#""problems":[]"#), "\(name) at the end: audit verify: \(report.prefix(500)) (seed \(seed))")
                for c in clients.values { await c.close() }
                return Result(steps: done, records: ids.count, statuses: statuses)
            }
        }
    }
}

/// Values at and past their bounds, in the scripts Haven serves.
enum Values {
    static let textFields = ["survivor_name", "nationality", "phone", "address", "safe_contact", "incident_location",
                             "incident_description", "caseworker_code"]
    static let maximum = ["survivor_name": 200, "nationality": 100, "phone": 40, "address": 500, "safe_contact": 500,
                          "incident_location": 500, "incident_description": 10_000, "caseworker_code": 40]
    static let pieces = ["ນາງ ສົມພອນ", "ວົງສະຫວັນ", "ເຫດການ", "Nguyễn Thị Hà", "Nguye\u{0302}\u{0303}n Thi\u{0323} Ha\u{0300}",
                         "hoà", "hòa", "đường", "Trần", "Ban Phonthan", "+856 20 5555", "\u{200B}", "a", " ", "\t", "\n", "é", "e\u{0301}"]

    static func text(_ r: inout SeededRandom, maximum: Int) -> String {
        switch Int.random(in: 0..<20, using: &r) {
        case 0: return String(repeating: "ສ", count: maximum)          // exactly at the bound
        case 1: return String(repeating: "x", count: maximum + 1)      // just past it: refused
        case 2: return "bad\u{0007}bell"                                // a control character: refused
        case 3: return ""
        default:
            var s = ""
            for _ in 0..<Int.random(in: 1...6, using: &r) { s += pieces.randomElement(using: &r)! }
            return String(s.unicodeScalars.prefix(maximum))
        }
    }

    static func date(_ r: inout SeededRandom) -> String {
        ["1900-01-01", "2100-12-31", "1899-12-31", "2101-01-01", "2026-02-29", "2024-02-29", "1998-04-02"].randomElement(using: &r)!
    }

    static func expiry(_ r: inout SeededRandom) -> String? {
        [nil, "2100-12-31", "2101-01-01", "9999-12-31", "2020-01-01", "2027-06-30", "2027-06-30T12:00:00+07:00"].randomElement(using: &r)!
    }

    static func evidence(_ r: inout SeededRandom) -> String? {
        [nil, "sha256:" + String(repeating: "ab", count: 32), "Nang Somphone, born 1998", "sha256:00"].randomElement(using: &r)!
    }

    /// A page size for history: none, the bounds, just past them.
    static func limit(_ r: inout SeededRandom) -> Int? {
        [nil, nil, 0, 1, 3, 1000, 1001, -1].randomElement(using: &r)!
    }

    /// A history cursor: none, the first index, zero (refused), far past the end.
    static func before(_ r: inout SeededRandom) -> UInt64? {
        [nil, nil, nil, 0, 1, 2, 5, UInt64(Int64.max)].randomElement(using: &r)!
    }

    static func incidentType(_ r: inout SeededRandom) -> String {
        ["rape", "sexual_assault", "physical_assault", "forced_marriage", "denial_of_resources", "psychological_abuse", "other"]
            .randomElement(using: &r)!
    }

    static func breakGlassReason(_ r: inout SeededRandom) -> String {
        ["survivor locked in, needs address now", String(repeating: "a", count: 25), "ນາງຖືກຂັງຢູ່ໃນເຮືອນ ຕ້ອງການທີ່ຢູ່ດ່ວນ",
         String(repeating: "\u{200B}", count: 25), "urgent"].randomElement(using: &r)!
    }
}
