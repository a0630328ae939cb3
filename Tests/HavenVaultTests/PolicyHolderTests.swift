import Foundation
import HavenPolicy
@testable import HavenVault
import Testing

/// The policy in force reads back exactly as it was put in, and after a replacement.
@Suite struct PolicyHolderTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("policy").path

    @Test func thePolicyReadsBackWholeAndIsReplacedWhole() throws {
        let policy = try PolicyDirectory.load(Self.directory)
        let holder = PolicyHolder(policy)
        #expect(holder.policy == policy && holder.policy.version.count == 64)
        let other = Policy(version: String(repeating: "0", count: 64), recordTypes: policy.recordTypes, roles: policy.roles)
        holder.replace(with: other)
        #expect(holder.policy == other)
    }
}
