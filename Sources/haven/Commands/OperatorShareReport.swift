import Foundation
import HavenCore
import HavenCrypto

/// `haven operator status --data DIR`: which share set is in force, read from the data
/// directory (root.shares; root.shares.new after a rotation a crash interrupted), and for
/// each share file whether it is one of it. Needs no key and no daemon: a share's header
/// and the set hold no secret.
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
    /// The set of a rotation a crash interrupted: in force only if its commit was reached.
    let pending: [Member]?
    let files: [FileState]

    enum CodingKeys: String, CodingKey {
        case threshold, shares, pending, files
        case vaultID = "vault_id"
        case inForce = "in_force"
    }

    init(data: String, shareDir: String?, files given: [String]) throws {
        let path = data + "/root.shares"
        guard FileManager.default.fileExists(atPath: path) else {
            throw HavenError(.notFound, "\(data) holds no root.shares: it is not a vault sealed by shares")
        }
        let set = try Self.readSet(path)
        let next = FileManager.default.fileExists(atPath: path + ".new") ? try? Self.readSet(path + ".new") : nil
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
            if let next, next.holds(share) {
                return FileState(path: p, state: "pending", detail: name + ", of the interrupted rotation: in force only if it committed")
            }
            let why = share.vault == set.vault ? "an older split, or a ceremony that never committed" : "another vault's (\(share.vault))"
            return FileState(path: p, state: "stale", detail: name + ": " + why + "; it opens nothing now")
        }
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
        if let pending {
            out.append("a rotation was interrupted: root.shares.new is in force only if its commit was reached; havend keeps or "
                       + "removes it at its next start (then run this again):")
            for m in pending { out.append("  share \(m.index): \(m.fingerprint)") }
        }
        for f in files { out.append("\(f.path): \(f.state.replacingOccurrences(of: "_", with: " ")) (\(f.detail))") }
        return out
    }
}
