import Foundation
import Glibc
import HavenAPI
import HavenCrypto
import HavenTestSupport
import Testing

/// The daemon's memory as a debugger with CAP_SYS_PTRACE sees it: every writable mapping read
/// through /proc/PID/mem (havend is not dumpable, so nothing less can read it).
enum ProcessMemory {
    /// Whether this process has CAP_SYS_PTRACE (bit 19 of the effective set).
    static let readable: Bool = {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("CapEff:") }),
              let caps = UInt64(line.dropFirst("CapEff:".count).trimmingCharacters(in: .whitespaces), radix: 16) else { return false }
        return caps & (1 << 19) != 0
    }()

    /// How many times `needle` occurs in the writable memory of process `pid` (with
    /// `readOnly`, in the read-only mappings too: keys are write-protected once filled).
    static func count(_ needle: [UInt8], in pid: Int32, readOnly: Bool = false) throws -> Int {
        // Read to the end: /proc files report no size, and a reader that trusts the size (or
        // stops at its first buffer) sees only the first mappings.
        guard let handle = FileHandle(forReadingAtPath: "/proc/\(pid)/maps") else { throw TestFailure("cannot read /proc/\(pid)/maps") }
        let maps = String(decoding: handle.readDataToEndOfFile(), as: UTF8.self)
        try? handle.close()
        let fd = open("/proc/\(pid)/mem", O_RDONLY)
        guard fd >= 0 else { throw TestFailure("cannot open /proc/\(pid)/mem: errno \(errno)") }
        defer { close(fd) }
        var hits = 0
        for line in maps.split(separator: "\n") {
            let parts = line.split(separator: " ", omittingEmptySubsequences: true)
            guard parts.count >= 2, parts[1].hasPrefix(readOnly ? "r" : "rw") else { continue }
            let range = parts[0].split(separator: "-").compactMap { UInt64($0, radix: 16) }
            guard range.count == 2, range[1] > range[0], range[1] - range[0] < 1 << 32 else { continue }
            var region = [UInt8](repeating: 0, count: Int(range[1] - range[0]))
            let n = region.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, off_t(range[0])) }
            guard n > 0 else { continue }  // [vvar] and the like do not read
            hits += occurrences(of: needle, in: region.prefix(n))
        }
        return hits
    }

    static func occurrences(of needle: [UInt8], in hay: ArraySlice<UInt8>) -> Int {
        guard let first = needle.first else { return 0 }
        return hay.withUnsafeBytes { h in
            needle.withUnsafeBytes { p in
                var hits = 0
                var offset = 0
                while offset + p.count <= h.count,
                      let found = memchr(h.baseAddress! + offset, Int32(first), h.count - offset - p.count + 1) {
                    let at = UnsafeRawPointer(found) - h.baseAddress!
                    if memcmp(found, p.baseAddress!, p.count) == 0 { hits += 1 }
                    offset = at + 1
                }
                return hits
            }
        }
    }
}

extension EndToEnd {
    /// Decrypted values leave no copy in the daemon once their answer is on the socket: the
    /// field buffers, the answer Haven builds and the buffer it writes are wiped. Checked by
    /// reading the running daemon's memory, which needs CAP_SYS_PTRACE.
    @Suite struct MemoryWipingTests {
        @Test(.enabled(if: ProcessMemory.readable, "needs CAP_SYS_PTRACE to read the daemon's memory"))
        func aReadLeavesNoCopyOfTheValuesInTheDaemon() throws {
            let v = try TestVault()
            let marker = "Survivor-\(UUID().uuidString.prefix(13))"
            let note = "Note-\(UUID().uuidString.prefix(13))"
            let id = try v.createRecord(["survivor_name": marker, "incident_type": "rape"])
            try v.expectOK(as: "intake", ["note", "add", id, "--class", "incident", "--text", note])
            // A fresh process: the values have only the read path to travel.
            v.stop()
            try v.start()
            let pid = try #require(v.pid)
            for _ in 0..<5 {
                let r = try v.expectOK(as: "intake", ["record", "get", id, "--purpose", "memory check"])
                #expect(r.stdout.contains(marker) && r.stdout.contains(note))
            }
            // The CLI has its answer, so the daemon's write completed and was wiped.
            #expect(try ProcessMemory.count(Array(marker.utf8), in: pid) == 0, "the field value is still in the daemon's memory")
            #expect(try ProcessMemory.count(Array(note.utf8), in: pid) == 0, "the note is still in the daemon's memory")
            // The scan does find what is there: the record id, which is no secret.
            #expect(try ProcessMemory.count(Array(id.utf8), in: pid) > 0)
        }

        /// `haven operator seal` drops the vault and its keys: the root key and a key derived
        /// from it are in the daemon's memory while it serves, and nowhere once it is sealed.
        @Test(.enabled(if: ProcessMemory.readable, "needs CAP_SYS_PTRACE to read the daemon's memory"))
        func sealingWipesTheKeysFromTheDaemon() throws {
            let passphrase = try SealTests.passphraseFile("the memory test's passphrase")
            defer { unlink(passphrase) }
            let v = try TestVault(enrol: false, initArguments: ["--seal", "passphrase", "--passphrase-file", passphrase])
            try v.expectOK(as: nil, ["operator", "unseal", "--passphrase-file", passphrase])
            let sealFile = try PassphraseSeal(bytes: try KeyFiles.readSecret(kind: .rootKeyPassphrase, path: v.data + "/root.passphrase"))
            let text = Array("the memory test's passphrase".utf8)
            let root = try sealFile.open(passphrase: try SecureBytes(count: text.count) { $0.copyBytes(from: text) }, vault: sealFile.vault)
            let rootBytes = root.withUnsafeBytes { Array($0) }
            let derived = root.derive(.rowAuthentication, version: 1).withUnsafeBytes { Array($0) }
            let pid = try #require(v.pid)
            #expect(try ProcessMemory.count(rootBytes, in: pid, readOnly: true) > 0, "the scan finds the key while the vault is open")
            #expect(try ProcessMemory.count(derived, in: pid, readOnly: true) > 0)
            try v.expectOK(as: "admin", ["operator", "seal"])
            #expect(try ProcessMemory.count(rootBytes, in: pid, readOnly: true) == 0, "the root key is still in the sealed daemon's memory")
            #expect(try ProcessMemory.count(derived, in: pid, readOnly: true) == 0, "a derived key is still in the sealed daemon's memory")
        }

        /// An answer that lists many withheld notes is still written into one reservation:
        /// had it grown, the values already in it would have been left behind unwiped.
        @Test(.enabled(if: ProcessMemory.readable, "needs CAP_SYS_PTRACE to read the daemon's memory"))
        func aReadWithManyWithheldNotesLeavesNoCopy() async throws {
            let v = try TestVault()
            // A field the start does not open: the check of derived rows at start opens each
            // record's searchable fields (name, phone, date of birth) to recompute its index rows,
            // and their search forms pass through strings (SECURITY.md, "Memory disclosure").
            let marker = "Address-\(UUID().uuidString.prefix(13))"
            let id = try v.createRecord(["survivor_name": "Withheld Notes Survivor", "address": marker, "incident_type": "rape"],
                                        assign: ["counsellor"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "counselling"])
            let c = try await v.client(as: "counsellor")
            for i in 0..<300 {
                let _: RecordWriteResponse = try await c.post("/v1/records/\(id)/notes",
                                                              AddNoteRequest(noteClass: "counselling", text: "session \(i)"))
            }
            await c.close()
            v.stop()
            try v.start()
            let pid = try #require(v.pid)
            let r = try v.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "memory check",
                                                                     "--notes-limit", "1000", "--json"])
            #expect(r.fields["address"] == marker && r.withheldNotes.count == 300)
            #expect(try ProcessMemory.count(Array(marker.utf8), in: pid) == 0, "the field value is still in the daemon's memory")
        }

        /// Request bodies, answered, refused as too large or sent in many pieces, leave no copy
        /// in the daemon: each piece is wiped where the HTTP decoder left it once copied into
        /// Haven's own buffer, and that buffer is wiped when the request is done.
        @Test(.enabled(if: ProcessMemory.readable, "needs CAP_SYS_PTRACE to read the daemon's memory"),
              arguments: ["answered", "too large", "in pieces"])
        func aRequestBodyLeavesNoCopyInTheDaemon(shape: String) async throws {
            let v = try TestVault()
            let pid = try #require(v.pid)
            let marker = "Survivor-\(UUID().uuidString.prefix(13))"
            let value = #"{"type":"gbv_incident","fields":{"survivor_name":"\#(marker)"}}"#
            let head = "POST /v1/records HTTP/1.1\r\nHost: h\r\nContent-Type: application/json\r\n"
            let c = try await RawConnection.connect(v.socket)
            // Unauthenticated, so the body is gathered and then refused without being decoded.
            switch shape {
            case "answered":
                let r = await c.exchange(Array((head + "Content-Length: \(value.utf8.count)\r\n\r\n" + value).utf8))
                #expect(r?.status == 401)
            case "too large":
                var bytes = Array((head + "Transfer-Encoding: chunked\r\n\r\n").utf8)
                let piece = Array(String(repeating: marker + " ", count: 2000).utf8)
                for _ in 0..<(1_100_000 / piece.count + 1) {
                    bytes += Array(String(piece.count, radix: 16).utf8) + [13, 10] + piece + [13, 10]
                }
                let r = await c.exchange(bytes)
                #expect(r?.status == 413)
            default:
                let padded = #"{"type":"gbv_incident","fields":{"survivor_name":"\#(marker)","address":""#
                    + String(repeating: "x", count: 300_000) + #""}}"#
                let r = await c.exchange(Array((head + "Content-Length: \(padded.utf8.count)\r\n\r\n" + padded).utf8))
                #expect(r?.status == 401)
            }
            await c.close()
            try await Task.sleep(nanoseconds: 200_000_000)
            #expect(try ProcessMemory.count(Array(marker.utf8), in: pid) == 0, "the body of a request \(shape) is still in the daemon")
        }
    }
}
