import Foundation
import HavenTestSupport
import Testing

extension EndToEnd {
    /// haven-web's benchmark keeps working: `haven-bench web --smoke` seeds a small vault,
    /// starts the real havend and haven-web, makes a web person from an invitation, signs in
    /// over HTTP and measures both pages. Its numbers are not checked: benchmarks are for people.
    @Suite struct WebBenchmarkSmokeTests {
        @Test func theWebBenchmarkSignsInAndMeasuresBothPagesWithoutAFailure() throws {
            let r = try Command.run(TestVault.binaries + "/haven-bench", ["web", "--smoke", "--policy", Repository.path("policy")],
                                    timeout: 180)
            #expect(r.status == 0, "\(r)")
            for page in ["| list ", "| record "] { #expect(r.stdout.contains(page), "\(r)") }
            #expect(r.stdout.contains("web RSS start MiB") && r.stdout.contains("RssAnon after MiB"), "\(r)")
        }
    }
}
