import Foundation
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The benchmark keeps working: a run of a few seconds of `haven-bench socket --smoke`
    /// (real vault, real daemon, every workload), `history --smoke`, `stats --smoke`, `duplicates --smoke` and a small `audit-verify`. Its numbers
    /// are not checked here; benchmarks are for people, not for assertions.
    @Suite struct BenchmarkSmokeTests {
        @Test func theSocketBenchmarkRunsEveryWorkloadWithoutAFailure() throws {
            let r = try Command.run(TestVault.binaries + "/haven-bench", ["socket", "--smoke", "--policy", Repository.path("policy")],
                                    timeout: 120)
            #expect(r.status == 0, "\(r)")
            for workload in ["status", "read", "update", "create", "create-shared", "mix", "find"] {
                #expect(r.stdout.contains("| \(workload) "), "\(r)")
            }
            // The daemon's own memory apart from the pages of files it has mapped.
            #expect(r.stdout.contains("| private MiB | file MiB |"), "\(r)")
            // The finds spread over enough users that none is refused (status 0 above), and
            // the row of what one user's script gets under find_limit, refusals counted apart.
            #expect(r.stdout.contains("| find, one user "), "\(r)")
            #expect(r.stdout.contains("| refused/s"), "\(r)")
        }

        @Test func theHistoryBenchmarkRunsEveryRow() throws {
            let r = try Command.run(TestVault.binaries + "/haven-bench", ["history", "--smoke", "--policy", Repository.path("policy")],
                                    timeout: 120)
            #expect(r.status == 0, "\(r)")
            for row in ["read, whole record", "read, two fields", "consent show", "note add, last", "haven.db-wal"] {
                #expect(r.stdout.contains(row), "\(r)")
            }
        }

        @Test func theStatisticsBenchmarkAnswersItsQueries() throws {
            let r = try Command.run(TestVault.binaries + "/haven-bench", ["stats", "--smoke", "--policy", Repository.path("policy")],
                                    timeout: 120)
            #expect(r.status == 0, "\(r)")
            for row in ["| province,incident_type ", "| month,province ", "| sex,province "] {
                #expect(r.stdout.contains(row), "\(r)")
            }
        }

        @Test func theDuplicatesBenchmarkMeasuresItsCreates() throws {
            let r = try Command.run(TestVault.binaries + "/haven-bench", ["duplicates", "--smoke", "--policy", Repository.path("policy")],
                                    timeout: 120)
            #expect(r.status == 0, "\(r)")
            #expect(r.stdout.contains("answer bytes") && r.stdout.contains("\n30 "), "\(r)")
        }

        @Test func theAuditVerificationBenchmarkVerifiesItsLog() throws {
            let r = try Command.run(TestVault.binaries + "/haven-bench", ["audit-verify", "--entries", "5000"], timeout: 120)
            #expect(r.status == 0, "\(r)")
            #expect(r.stdout.contains("from the database (daemon)"), "\(r)")
        }
    }
}
