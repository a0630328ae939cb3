import Foundation
import HavenCore
import HavenCrypto

/// What `haven-bench socket --workdir` keeps beside a seeded vault so that a later run
/// measures the same vault without seeding it again (re-runs, profiling, a daemon built
/// since): the benchmark users' key seeds, the seeded record ids in seeding order, and how
/// long seeding took. A bench file in a bench directory: no vault of anyone's.
struct SeededVault: Codable {
    var keys: [String: String]
    var ids: [String]
    var seconds: Double

    static func path(in root: String) -> String { root + "/bench-seed.json" }

    static func load(in root: String) throws -> ([String: SigningKey], [RecordID], Double)? {
        guard let data = FileManager.default.contents(atPath: path(in: root)) else { return nil }
        let saved = try JSONDecoder().decode(SeededVault.self, from: data)
        var keys = [String: SigningKey]()
        for (name, hex) in saved.keys {
            let bytes = try Self.bytes(hex)
            keys[name] = try SigningKey(seed: try SecureBytes(count: bytes.count) { $0.copyBytes(from: bytes) })
        }
        return (keys, try saved.ids.map { try RecordID($0) }, saved.seconds)
    }

    static func save(_ keys: [String: SigningKey], _ ids: [RecordID], seconds: Double, in root: String) throws {
        let hexKeys = keys.mapValues { key in key.seed().withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() } }
        let data = try JSONEncoder().encode(SeededVault(keys: hexKeys, ids: ids.map(\.rawValue), seconds: seconds))
        guard FileManager.default.createFile(atPath: path(in: root), contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw BenchFailure("cannot write \(path(in: root))")
        }
    }

    private static func bytes(_ hex: String) throws -> [UInt8] {
        let digits = Array(hex.utf8)
        guard digits.count.isMultiple(of: 2) else { throw BenchFailure("a key seed in bench-seed.json is not hex") }
        return try stride(from: 0, to: digits.count, by: 2).map { i in
            guard let b = UInt8(String(decoding: digits[i...i + 1], as: UTF8.self), radix: 16) else {
                throw BenchFailure("a key seed in bench-seed.json is not hex")
            }
            return b
        }
    }
}
