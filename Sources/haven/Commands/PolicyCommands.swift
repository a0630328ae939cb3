import ArgumentParser
import HavenPolicy

struct PolicyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "policy", abstract: "Work with policy files.",
                                                    subcommands: [PolicyCheck.self])
}

/// `haven policy check DIR`: validate a policy directory offline, as the daemon would.
struct PolicyCheck: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Validate a policy directory; prints file:line: reason and exits 1 if it is invalid.")

    @Argument(help: "The policy directory.")
    var directory: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let policy = try PolicyDirectory.load(directory)
        var report = PolicyReport(directory: directory, valid: true, version: policy.version,
                                  recordTypes: policy.recordTypes.keys.map(\.rawValue).sorted(),
                                  roles: policy.roles.keys.map(\.rawValue).sorted(),
                                  agencies: policy.agencies.agencies.map { $0.keys.map(\.rawValue).sorted() },
                                  provinces: policy.provinces.map(\.code), smallCellThreshold: policy.statistics.threshold,
                                  referralServices: policy.referrals.keys.sorted(), erasureReasons: policy.erasure.codes)
        report.warnings = policy.warnings.map(\.description)
        if output.json { Output.json(report); return }
        // On stderr, as every warning: a script reading the summary is not disturbed.
        for warning in report.warnings { Output.error("warning: " + warning) }
        Output.line("policy \(directory) is valid (version \(policy.shortVersion))")
        Output.line("record types: \(report.recordTypes.joined(separator: ", "))")
        Output.line("roles: \(report.roles.joined(separator: ", "))")
        if let agencies = report.agencies {
            Output.line("agencies: \(agencies.joined(separator: ", "))")
        } else {
            Output.line("agencies: any name (no agencies.yaml: a mistyped agency would be taken as a new one)")
        }
        let countries = Dictionary(grouping: policy.provinces, by: \.country).map { "\($0.value.count) \($0.key)" }.sorted()
        Output.line("provinces: \(policy.provinces.isEmpty ? "none (no provinces.yaml)" : "\(policy.provinces.count) (\(countries.joined(separator: ", ")))")")
        Output.line("referral services: \(report.referralServices.isEmpty ? "none (no referrals.yaml)" : report.referralServices.joined(separator: ", "))")
        Output.line("erasure reasons: \(report.erasureReasons.joined(separator: ", "))")
        Output.line("statistics: counts below \(policy.statistics.threshold) published as <\(policy.statistics.threshold)")
        // What each searching role learns beyond its reach, so a widened find_elsewhere is seen.
        let finders = policy.roles.values.filter { $0.actions.contains(.recordFind) }.sorted { $0.name.rawValue < $1.name.rawValue }
        Output.line("record find beyond reach: " + finders.map { r in
            "\(r.name) \(r.findElsewhere.rawValue) (\(r.findLimit.burst) at once, then one every \(r.findLimit.secondsPerFind) s)"
        }.joined(separator: "; "))
    }
}
