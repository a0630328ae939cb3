import Foundation
import HavenCore
import HavenCrypto
import HavenStore

/// `havend share-status --data DIR` (what `haven operator status --data DIR` runs, so that
/// the client never links SQLite): which share set is in force, read from the data
/// directory (root.shares; root.shares.new after a rotation a crash interrupted), and for
/// each share file whether it is one of it. Needs no key and no daemon: a share's header
/// and the set hold no secret. After an interrupted rotation it decides as havend will at
/// its next start (`RootKeyCustody.recover`): the new set is in force exactly when the
/// database committed to it, its digest being `vault_meta.custody` (read from the SQLite
/// file, opened read-only).
struct ShareReport: Encodable {
    struct Member: Encodable {
        let index: Int
        let fingerprint: String
        let custodian: String?
    }

    struct FileState: Encodable {
        let path: String
        /// `in_force`, `pending` (in the interrupted rotation's set), `stale` or `unreadable`.
        let state: String
        let detail: String
    }

    let vaultID: String
    let threshold: Int
    let shares: Int
    let inForce: [Member]
    /// The set of a rotation a crash interrupted (root.shares.new).
    let pending: [Member]?
    /// Whether that rotation committed: `committed` (its set is in force), `not_committed`
    /// (root.shares is), or `unknown` (the database could not be read).
    let interrupted: String?
    let files: [FileState]

    enum CodingKeys: String, CodingKey {
        case threshold, shares, pending, files
        case vaultID = "vault_id"
        case inForce = "in_force"
        case interrupted = "interrupted_rotation"
    }

    init(data: String, shareDir: String?, files given: [String]) throws {
        let path = data + "/root.shares"
        guard FileManager.default.fileExists(atPath: path) else {
            throw HavenError(.notFound, "\(data) holds no root.shares: it is not a vault sealed by shares")
        }
        let current = try Self.readSet(path)
        let pendingPath = path + ".new"
        let exists = FileManager.default.fileExists(atPath: pendingPath)
        let next = exists ? try? Self.readSet(pendingPath) : nil
        let committed: Bool? = exists ? Self.committed(pendingPath, database: data + "/" + Database.fileName) : nil
        interrupted = committed.map { $0 ? "committed" : "not_committed" } ?? (exists ? "unknown" : nil)
        // The set in force, and the other one, whose shares open nothing (nil while undecided).
        let set = committed == true ? next ?? current : current
        let replaced: ShareSet? = committed == true ? current : committed == false ? next : nil
        vaultID = set.vault.rawValue
        threshold = set.threshold
        shares = set.count
        inForce = Self.members(set)
        pending = next.map(Self.members)
        var paths = given
        if let shareDir {
            let names = try FileManager.default.contentsOfDirectory(atPath: shareDir).filter { $0.hasSuffix(".key") }.sorted()
            paths += names.map { shareDir + "/" + $0 }
        }
        files = paths.map { p in
            let share: StoredShare
            do {
                share = try StoredShare.read(path: p)
            } catch {
                return FileState(path: p, state: "unreadable", detail: "\(error)")
            }
            let name = "share \(share.index) of \(share.count), \(Hex.encode(Array(share.checkValue.prefix(4))))"
            if set.holds(share) { return FileState(path: p, state: "in_force", detail: name) }
            if let replaced, replaced.holds(share) {
                let why = committed == true ? "the split the interrupted rotation replaced" : "the interrupted rotation's, which never committed"
                return FileState(path: p, state: "stale", detail: name + ": " + why + "; it opens nothing now")
            }
            if let next, next.holds(share) {
                return FileState(path: p, state: "pending", detail: name + ", of the interrupted rotation: in force only if it committed")
            }
            let why = share.vault == set.vault ? "an older split, or a ceremony that never committed" : "another vault's (\(share.vault))"
            return FileState(path: p, state: "stale", detail: name + ": " + why + "; it opens nothing now")
        }
    }

    /// Whether the database committed to the set in `pending`, as `RootKeyCustody.recover`
    /// decides it: a file cut short by a crash cannot be what the database committed to.
    /// Nil when the database cannot be read.
    private static func committed(_ pending: String, database: String) -> Bool? {
        guard let db = try? Connection(path: database, mode: .readOnly) else { return nil }
        defer { db.resetStatements() }
        let custody: [UInt8]?
        do {
            custody = try VaultMetaTable.custody(on: db)
        } catch {
            return nil
        }
        guard let custody, let bytes = try? KeyFiles.readSecret(kind: .rootShareSet, path: pending) else { return false }
        return bytes.withUnsafeBytes { BLAKE2b.digest256($0).bytes } == custody
    }

    private static func readSet(_ path: String) throws -> ShareSet {
        try ShareSet(bytes: try KeyFiles.readSecret(kind: .rootShareSet, path: path).withUnsafeBytes { Array($0) })
    }

    private static func members(_ set: ShareSet) -> [Member] {
        set.fingerprints.enumerated().map { i, f in
            Member(index: i + 1, fingerprint: f, custodian: set.custodians.isEmpty ? nil : set.custodians[i].keyID)
        }
    }

    /// For people.
    var lines: [String] {
        var out = ["vault \(vaultID): share set in force, any \(threshold) of \(shares):"]
        for m in inForce { out.append("  share \(m.index): \(m.fingerprint)" + (m.custodian.map { " (custodian key \($0))" } ?? "")) }
        switch interrupted {
        case "committed":
            out.append("a rotation was interrupted after its commit: the database is under the new key, so root.shares.new (above) "
                       + "is the set in force and root.shares is stale; havend puts it in place at its next start")
        case "not_committed":
            out.append("a rotation was interrupted before its commit: root.shares (above) is in force and root.shares.new is stale; "
                       + "havend removes it at its next start")
        default:
            if let pending {
                out.append("a rotation was interrupted, and the database could not be read to tell whether it committed: "
                           + "root.shares.new is in force only if it did; havend keeps or removes it at its next start (then run this again):")
                for m in pending { out.append("  share \(m.index): \(m.fingerprint)") }
            }
        }
        for f in files { out.append("\(f.path): \(f.state.replacingOccurrences(of: "_", with: " ")) (\(f.detail))") }
        return out
    }
}
