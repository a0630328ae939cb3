import Foundation
import HavenAPI
import HavenCore
import HavenCrypto
@testable import HavenServer
import Testing

/// The rotate request's forms: a split (each part optional), a pending rotation described,
/// one current share offered — and never two shares in one request.
@Suite struct OperatorRequestsTests {
    static func decode(_ json: String) throws -> RotateRequest {
        try JSONDecoder().decode(RotateRequest.self, from: Data(json.utf8))
    }

    @Test func twoCurrentSharesInOneRequestAreRefused() throws {
        let r = try Self.decode(#"{"commit":"ab12","current_shares":["AAAA","BBBB"]}"#)
        #expect(throws: HavenError.self) { try OperatorRequests.ceremony(r) }
        #expect(throws: HavenError.self) { try OperatorRequests.ceremony(Self.decode(#"{"commit":"ab12","current_share":"AAAA","shares":3}"#)) }
        #expect(throws: HavenError.self) { try OperatorRequests.ceremony(Self.decode(#"{"current_share":"AAAA"}"#)) }
    }

    @Test func oneShareIsAnOfferAndNoneADescription() throws {
        guard case .offer(let id, let share)? = try OperatorRequests.ceremony(Self.decode(#"{"commit":"ab12","current_share":"AAAA"}"#)) else {
            Issue.record("not an offer")
            return
        }
        #expect(id == "ab12" && share.count == 3)
        guard case .offer? = try OperatorRequests.ceremony(Self.decode(#"{"commit":"ab12","current_shares":["AAAA"]}"#)) else {
            Issue.record("a list of one is an offer too")
            return
        }
        guard case .describe("ab12")? = try OperatorRequests.ceremony(Self.decode(#"{"commit":"ab12"}"#)) else {
            Issue.record("not a description")
            return
        }
        #expect(try OperatorRequests.ceremony(Self.decode("{}")) == nil)
    }

    @Test func aSplitTakesEachPartOrNone() throws {
        let key = Base64.encode(SigningKey.generate().publicKey.bytes)
        // An empty body is the vault's default: a split like the one in force, for a vault sealed by shares.
        guard case .file = try OperatorRequests.rotation(Self.decode("{}")) else { Issue.record("{} is not the default"); return }
        guard case .split(2, nil, let keys?) = try OperatorRequests.rotation(Self.decode(#"{"threshold":2,"custodian_keys":["\#(key)","\#(key)"]}"#)),
              keys.count == 2 else {
            Issue.record("not a split with custodians")
            return
        }
        #expect(throws: HavenError.self) { try OperatorRequests.rotation(Self.decode(#"{"shares":3,"custodian_keys":["\#(key)"]}"#)) }
        #expect(throws: HavenError.self) { try OperatorRequests.rotation(Self.decode(#"{"custodian_keys":["not a key"]}"#)) }
        #expect(throws: HavenError.self) { try OperatorRequests.rotation(Self.decode(#"{"shares":1,"threshold":1}"#)) }
    }
}
