import HavenPolicy
import HavenTestSupport
@testable import HavenVault
import Testing

/// The policy in force reads back exactly as it was put in, and after a replacement.
@Suite struct PolicyHolderTests {
    @Test func thePolicyReadsBackWholeAndIsReplacedWhole() throws {
        let policy = try PolicyDirectory.load(Repository.path("policy"))
        let holder = PolicyHolder(policy)
        #expect(holder.policy == policy && holder.policy.version.count == 64)
        let other = Policy(version: String(repeating: "0", count: 64), recordTypes: policy.recordTypes, roles: policy.roles)
        holder.replace(with: other)
        #expect(holder.policy == other)
    }
}
