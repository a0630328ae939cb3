import Foundation
import HavenCore

/// Reads a policy directory from disk (the only I/O in HavenPolicy).
public enum PolicyDirectory {
    /// Loads and validates the policy in `path`.
    public static func load(_ path: String) throws(HavenError) -> Policy {
        let files = try read(path)
        do {
            let prefix = path.hasSuffix("/") ? path : path + "/"
            return try PolicyParser.parse(files, displayPrefix: prefix)
        } catch {
            throw error.havenError
        }
    }

    static func read(_ path: String) throws(HavenError) -> [PolicyFile] {
        let root = URL(fileURLWithPath: path)
        var isDir: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDir), isDir.boolValue else {
            throw HavenError(.invalidPolicy, "\(path): not a policy directory")
        }
        var out = [PolicyFile]()
        for relative in Self.namedFiles + schemaFiles(root) + extraFiles(root) {
            let url = root.appendingPathComponent(relative)
            guard FileManager.default.fileExists(atPath: url.path) else { continue }
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw HavenError(.invalidPolicy, "\(url.path):1: cannot read the file")
            }
            guard data.count <= 1 << 20 else {
                throw HavenError(.invalidPolicy, "\(url.path):1: larger than 1 MiB; not a policy file")
            }
            out.append(PolicyFile(path: relative, contents: [UInt8](data)))
        }
        return out
    }

    static let namedFiles = ["roles.yaml", "agencies.yaml", "provinces.yaml", "statistics.yaml", "referrals.yaml", "erasure.yaml", "labels.yaml"]

    private static func schemaFiles(_ root: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("schema").path)) ?? []
        return names.filter { !$0.hasPrefix(".") }.sorted().map { "schema/" + $0 }
    }

    /// Anything else at the top level, so a stray file is reported rather than ignored.
    private static func extraFiles(_ root: URL) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: root.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && !namedFiles.contains($0) && $0 != "schema" }.sorted()
    }
}
