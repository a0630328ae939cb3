import ArgumentParser
import Foundation
import HavenAPI
import HavenClient
import HavenCore
import HavenCrypto
import HavenStore
@_spi(Bench) import HavenVault

/// `haven-bench history`: what a long history costs. Through the real daemon, one record gets
/// thousands of notes and consent events; its reads, its consent review and its next note are
/// timed against a fresh record's and against a record with just one page of history.
struct HistoryBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "history",
        abstract: "Reads, consent reviews and note additions on a record with a long history, against a fresh record.")

    @Option(help: "Notes on the long record (at least 2).") var notes: Int = 10_000
    @Option(help: "Consent events on the long record.") var consentEvents: Int = 1_000
    @Option(help: "Timed requests per row.") var samples: Int = 2_000
    @Option(help: "The policy directory havend enforces.") var policy: String = "policy"
    @Flag(help: "A run of a few seconds that only shows the benchmark works.") var smoke = false

    func run() async throws {
        let noteCount = smoke ? 300 : notes
        let eventCount = smoke ? 30 : consentEvents
        let timed = smoke ? 50 : samples
        let work = NSTemporaryDirectory() + "haven-bench-history-\(getpid())"
        defer { try? FileManager.default.removeItem(atPath: work) }
        let binaries = URL(fileURLWithPath: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? CommandLine.arguments[0]).deletingLastPathComponent().path

        let vault = try BenchVault.create(in: work)
        let key = SigningKey.generate()
        let intake = EnrolledUser(name: try UserName("intake-bench"), role: try RoleName("intake"),
                                  agency: try AgencyName("ossc-vientiane"), publicKey: key.publicKey.bytes, uid: nil,
                                  createdAt: SystemClock().now(), createdBy: try UserName("admin"))
        try VaultSeeder(directory: vault.directory).enrol([intake], by: try UserName("admin"))
        let daemon = try await DaemonProcess(binaries: binaries, vault: vault, policy: policy, log: work + "/havend.log")
        let client = try await HavenClient.connect(socketPath: daemon.socket, key: key)

        let fresh = try await create(client, "Fresh Survivor")
        let page = try await create(client, "One Page Survivor")
        let long = try await create(client, "Long History Survivor")
        for i in 1...HistoryPage.defaultLimit { try await addNote(client, page, i) }
        for i in 0..<10 { try await changeConsent(client, page, i) }

        // The long record's first notes and its last are timed alike; the rest go in between,
        // over several connections.
        let timedCount = min(200, noteCount / 2)
        let firstNotes = try await timedNotes(client, long, 1...timedCount)
        var connections = [HavenClient]()
        for _ in 0..<8 { connections.append(try await HavenClient.connect(socketPath: daemon.socket, key: key)) }
        let bulk = connections
        var next = timedCount + 1
        let lastStart = noteCount - timedCount + 1
        progress("adding \(noteCount) notes and \(eventCount) consent events to one record")
        while next < lastStart {
            let batch = Array(next..<min(next + 8, lastStart))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (n, i) in batch.enumerated() { group.addTask { try await addNote(bulk[n], long, i) } }
                try await group.waitForAll()
            }
            next += batch.count
        }
        let lastNotes = try await timedNotes(client, long, lastStart...noteCount)
        for i in 0..<eventCount { try await changeConsent(bulk[i % bulk.count], long, i) }
        for c in bulk { await c.close() }

        var table = ResultTable(columns: ["request", "record", "notes", "consent events", "p50 ms", "p99 ms", "vs fresh"])
        func row(_ name: String, _ record: String, _ notes: Int, _ events: Int, _ l: inout Latencies, _ base: Double?) {
            let p50 = l.percentile(50)
            table.add([name, record, String(notes), String(events), format(p50, 3), format(l.percentile(99), 3),
                       base.map { format(p50 / $0, 2) + "×" } ?? ""])
        }
        let whole = { (id: String) in ReadRecordRequest(purpose: "bench", fields: nil, breakGlass: nil) }
        let fieldsOnly = { (id: String) in ReadRecordRequest(purpose: "bench", fields: ["survivor_name", "incident_type"], breakGlass: nil) }
        var freshRead = try await timedReads(client, fresh, whole(fresh), timed)
        var pageRead = try await timedReads(client, page, whole(page), timed)
        var longRead = try await timedReads(client, long, whole(long), timed)
        var longHundred = try await timedReads(client, long, ReadRecordRequest(purpose: "bench", fields: nil, breakGlass: nil,
                                                                               notesLimit: 100), timed)
        var freshFields = try await timedReads(client, fresh, fieldsOnly(fresh), timed)
        var longFields = try await timedReads(client, long, fieldsOnly(long), timed)
        var freshConsent = try await timedConsent(client, fresh, timed)
        var longConsent = try await timedConsent(client, long, timed)
        let base = freshRead.percentile(50), baseFields = freshFields.percentile(50), baseConsent = freshConsent.percentile(50)
        row("read, whole record", "fresh", 0, 0, &freshRead, base)
        row("read, whole record", "one page", HistoryPage.defaultLimit, 10, &pageRead, base)
        row("read, whole record", "long", noteCount, eventCount, &longRead, base)
        row("read, 100 notes", "long", noteCount, eventCount, &longHundred, base)
        row("read, two fields", "fresh", 0, 0, &freshFields, baseFields)
        row("read, two fields", "long", noteCount, eventCount, &longFields, baseFields)
        row("consent show", "fresh", 0, 0, &freshConsent, baseConsent)
        row("consent show", "long", noteCount, eventCount, &longConsent, baseConsent)
        var first = firstNotes, last = lastNotes
        let firstP50 = first.percentile(50)
        table.add(["note add, first \(first.count)", "long", "1…\(first.count)", "0", format(firstP50, 3),
                   format(first.percentile(99), 3), ""])
        table.add(["note add, last \(last.count)", "long", "\(lastStart)…\(noteCount)", "0", format(last.percentile(50), 3),
                   format(last.percentile(99), 3), format(last.percentile(50) / firstP50, 2) + "× first"])
        await client.close()
        try daemon.stop()

        var sizes = ResultTable(columns: ["what", "bytes"])
        let db = try Connection(path: vault.directory.databasePath, mode: .readOnly)
        for (name, id) in [("fresh", fresh), ("one page", page), ("long", long)] {
            let s = try db.statement("SELECT length(header) FROM records WHERE id = ?")
            try s.bind(1, id)
            _ = try s.step()
            sizes.add(["sealed header, \(name) record", String(s.int64(0))])
        }
        db.resetStatements()
        for file in [Database.fileName, Database.fileName + "-wal"] {
            let attributes = try? FileManager.default.attributesOfItem(atPath: vault.directory.path + "/" + file)
            sizes.add([file + " after a clean stop", String((attributes?[.size] as? Int) ?? 0)])
        }
        print("")
        table.print()
        print("")
        sizes.print()
    }

    func create(_ c: HavenClient, _ name: String) async throws -> String {
        let r: RecordWriteResponse = try await c.post("/v1/records", CreateRecordRequest(
            type: "gbv_incident", fields: ["survivor_name": name, "incident_type": "rape"], assign: nil))
        return r.id
    }

    func addNote(_ c: HavenClient, _ id: String, _ i: Int) async throws {
        let _: RecordWriteResponse = try await c.post("/v1/records/\(id)/notes", AddNoteRequest(
            noteClass: "incident", text: "Ghi chú số \(i): ຜູ້ລອດຊີວິດມາພົບທີ່ສູນ, an toàn."))
    }

    func changeConsent(_ c: HavenClient, _ id: String, _ i: Int) async throws {
        let _: RecordWriteResponse = try await c.post("/v1/records/\(id)/consent", ConsentChangeRequest(
            flag: ["police", "health", "statistics"][i % 3], action: i % 2 == 0 ? "grant" : "withdraw",
            evidence: "sha256:" + String(repeating: "5e", count: 32), expires: nil))
    }

    func timedNotes(_ c: HavenClient, _ id: String, _ range: ClosedRange<Int>) async throws -> Latencies {
        var samples = [UInt64]()
        for i in range {
            let start = DispatchTime.now().uptimeNanoseconds
            try await addNote(c, id, i)
            samples.append(DispatchTime.now().uptimeNanoseconds - start)
        }
        var l = Latencies()
        l.add(samples)
        return l
    }

    func timedReads(_ c: HavenClient, _ id: String, _ body: ReadRecordRequest, _ count: Int) async throws -> Latencies {
        let bytes = try JSONEncoder().encode(body)
        return try await timed(count) {
            let r = try await c.connection.send(method: .POST, path: "/v1/records/\(id)/read", body: Array(bytes))
            guard r.status == 200 else { throw BenchFailure("read answered \(r.status)") }
        }
    }

    func timedConsent(_ c: HavenClient, _ id: String, _ count: Int) async throws -> Latencies {
        try await timed(count) {
            let r = try await c.connection.send(method: .GET, path: "/v1/records/\(id)/consent")
            guard r.status == 200 else { throw BenchFailure("consent show answered \(r.status)") }
        }
    }

    func timed(_ count: Int, _ body: () async throws -> Void) async throws -> Latencies {
        for _ in 0..<min(100, count) { try await body() }  // warm-up
        var samples = [UInt64]()
        samples.reserveCapacity(count)
        for _ in 0..<count {
            let start = DispatchTime.now().uptimeNanoseconds
            try await body()
            samples.append(DispatchTime.now().uptimeNanoseconds - start)
        }
        var l = Latencies()
        l.add(samples)
        return l
    }
}
