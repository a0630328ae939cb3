import ArgumentParser
import Foundation
import HavenCore
import HavenPolicy
import HavenStats

/// Shell completion of the values the policy defines: agencies, roles, record types,
/// consent flags and the dimensions of `stats --by`.
///
/// Completion runs at every Tab, offline: it never contacts the daemon and needs no key.
/// The values come from the policy directory in $HAVEN_POLICY, else the installed
/// /etc/haven/policy; without a readable policy there is nothing to offer (the shell then
/// completes nothing rather than guessing). Consent flags and dimensions are Haven's own,
/// so they complete without a policy.
enum PolicyCompletion {
    /// Where the completer looks for the policy when HAVEN_POLICY is not set.
    static let installedPolicy = "/etc/haven/policy"

    static let agencies = CompletionKind.custom { _, _, _ in
        policy().flatMap { $0.agencies.agencies?.keys.map(\.rawValue).sorted() } ?? []
    }

    static let roles = CompletionKind.custom { _, _, _ in
        policy()?.roles.keys.map(\.rawValue).sorted() ?? []
    }

    static let recordTypes = CompletionKind.custom { _, _, _ in
        policy()?.recordTypes.keys.map(\.rawValue).sorted() ?? []
    }

    static let consentFlags = CompletionKind.custom { _, _, _ in
        ConsentFlag.allCases.map(\.rawValue)
    }

    /// A list separated by commas completes its last item, the ones before it kept.
    static let dimensions = CompletionKind.custom { _, _, typed in
        let done = typed.split(separator: ",", omittingEmptySubsequences: false).dropLast().map(String.init)
        let head = done.map { $0 + "," }.joined()
        return StatisticsDimension.allCases.map(\.rawValue).filter { !done.contains($0) }.map { head + $0 }
    }

    /// The policy in $HAVEN_POLICY or the installed one, or nil if neither loads.
    static func policy() -> Policy? {
        let env = ProcessInfo.processInfo.environment["HAVEN_POLICY"] ?? ""
        return try? PolicyDirectory.load(env.isEmpty ? installedPolicy : env)
    }
}
