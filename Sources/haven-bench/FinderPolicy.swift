import Foundation
import HavenCore
import HavenPolicy

/// The policy the socket benchmark's daemon enforces: a copy of the one it was given in
/// which the counsellor role, which the `find` workload searches as, has the fastest
/// `find_limit` the policy checker accepts (`FindLimit.burstRange`, `secondsRange`). Every
/// other role keeps its pace, so the row of one user's script shows the pace as shipped.
/// The daemon and its throttle are the real ones; only the copy's value differs, and the
/// copy is checked by the same loader as `haven policy check` before the daemon sees it.
enum FinderPolicy {
    static let searcher = "counsellor"
    static let fastest = FindLimit(burst: FindLimit.burstRange.upperBound, secondsPerFind: FindLimit.secondsRange.lowerBound)

    /// Copies `policy` into `directory` with the searcher's `find_limit` set to `fastest`;
    /// returns the copy's path and the loaded copy.
    static func copy(_ policy: String, into directory: String) throws -> (path: String, policy: Policy) {
        let files = FileManager.default
        try? files.removeItem(atPath: directory)
        try files.createDirectory(atPath: URL(fileURLWithPath: directory).deletingLastPathComponent().path,
                                  withIntermediateDirectories: true)
        try files.copyItem(atPath: policy, toPath: directory)
        let rolesPath = directory + "/roles.yaml"
        let roles = try String(contentsOfFile: rolesPath, encoding: .utf8)
        try withLimit(roles).write(toFile: rolesPath, atomically: true, encoding: .utf8)
        let loaded: Policy
        do {
            loaded = try PolicyDirectory.load(directory)
        } catch {
            throw BenchFailure("the bench's copy of the policy (\(directory)) does not load: \(error)")
        }
        guard let role = loaded.role(try RoleName(searcher)), role.findLimit == fastest else {
            throw BenchFailure("the bench's copy of the policy (\(directory)) does not give \(searcher) find_limit \(fastest)")
        }
        return (directory, loaded)
    }

    /// roles.yaml with the searcher role's `find_limit` (a one-line one, if it had any)
    /// replaced by the fastest, as the role's first key.
    static func withLimit(_ roles: String) -> String {
        var lines = roles.components(separatedBy: "\n")
        guard let start = lines.firstIndex(of: "  \(searcher):") else { return roles }
        var end = start + 1
        // The role's block: every line indented deeper than its name, or blank.
        while end < lines.count, lines[end].isEmpty || lines[end].hasPrefix("   ") || lines[end].hasPrefix("  #") { end += 1 }
        let kept = lines[(start + 1)..<end].filter { !$0.trimmingCharacters(in: .whitespaces).hasPrefix("find_limit:") }
        let limit = "    find_limit: {burst: \(fastest.burst), seconds_per_find: \(fastest.secondsPerFind)}"
        lines.replaceSubrange((start + 1)..<end, with: [limit] + kept)
        return lines.joined(separator: "\n")
    }
}
