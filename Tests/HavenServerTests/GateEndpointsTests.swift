@testable import HavenServer
import Testing

/// Which routes the gate answers: the seven that need no open vault or open a session,
/// and none that a vault's endpoints answer.
@Suite struct GateEndpointsTests {
    @Test func theGateServesItsSevenRoutesAndNoOther() {
        let gate: Set<String> = ["/v1/health", "/v1/operator/seal", "/v1/operator/unseal", "/v1/operator/rotate",
                                 "/v1/auth/challenge", "/v1/auth/session"]
        var served = 0
        for entry in Route.table {
            let route = entry.make(entry.segments.filter { $0.hasPrefix("{") }.map { _ in "x" })
            #expect(GateEndpoints.serves(route) == gate.contains(entry.template), "\(entry.method) \(entry.template)")
            if GateEndpoints.serves(route) { served += 1 }
        }
        #expect(served == 7, "GET and POST /v1/operator/seal are two routes")
    }
}
