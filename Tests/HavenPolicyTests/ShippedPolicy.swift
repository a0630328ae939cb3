import Foundation
import HavenPolicy
import HavenTestSupport

/// The policy shipped in policy/, read from the repository.
enum ShippedPolicy {
    static let directory = Repository.path("policy")

    static func files() throws -> [PolicyFile] {
        var out = [PolicyFile(path: "roles.yaml", contents: try bytes("roles.yaml"))]
        for name in try FileManager.default.contentsOfDirectory(atPath: directory + "/schema").sorted() {
            out.append(PolicyFile(path: "schema/" + name, contents: try bytes("schema/" + name)))
        }
        for name in ["agencies.yaml", "provinces.yaml", "statistics.yaml", "referrals.yaml", "erasure.yaml", "labels.yaml"] {
            out.append(PolicyFile(path: name, contents: try bytes(name)))
        }
        return out
    }

    static func bytes(_ path: String) throws -> [UInt8] {
        [UInt8](try Data(contentsOf: URL(fileURLWithPath: directory + "/" + path)))
    }

    static let policy: Policy = try! PolicyParser.parse(files())
}
