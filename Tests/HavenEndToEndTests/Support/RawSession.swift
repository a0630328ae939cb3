import Foundation
import Glibc
import HavenAPI
import HavenCore
import HavenCrypto
import HavenTestSupport

extension RawConnection {
    /// Opens a session on a raw connection with the handshake of AUTHENTICATION.md.
    static func authenticated(_ path: String, key: SigningKey) async throws -> RawConnection {
        let c = try await RawConnection.connect(path)
        guard let ch = await c.exchange(FuzzCorpus.request("POST", "/v1/auth/challenge")), ch.status == 200,
              let challenge = try? JSONDecoder().decode(ChallengeResponse.self, from: Data(ch.body)) else {
            throw TestFailure("no challenge")
        }
        let pk = Base64.encode(key.publicKey.bytes)
        let sig = key.sign(AuthTranscript.bytes(vaultID: challenge.vaultID, nonce: challenge.nonce, uid: getuid(), pid: getpid(), publicKey: pk))
        let body = String(decoding: try JSONEncoder().encode(SessionRequest(publicKey: pk, signature: Base64.encode(sig))), as: UTF8.self)
        guard let s = await c.exchange(FuzzCorpus.request("POST", "/v1/auth/session", body: body)), s.status == 200 else {
            throw TestFailure("session refused")
        }
        return c
    }
}

/// What every answer to a hostile request must look like: a documented status, and JSON
/// with a stable error code when it is an error. Never a 500, and no 503 while the audit
/// log works.
enum ResponseRules {
    static let allowedStatuses: Set<Int> = [200, 201, 400, 401, 403, 404, 405, 408, 409, 413, 415, 429, 431]
    static let codes = Set(ErrorCode.allCases.map(\.rawValue))

    /// Nil when the answer is acceptable, else what is wrong with it.
    static func problem(_ r: RawResponse) -> String? {
        guard allowedStatuses.contains(r.status) else { return "status \(r.status): \(r.text.prefix(300))" }
        guard let json = try? JSONSerialization.jsonObject(with: Data(r.body), options: [.fragmentsAllowed]) else {
            return "status \(r.status) without a JSON body: \(r.text.prefix(200))"
        }
        if r.status >= 400 {
            guard let e = (json as? [String: Any])?["error"] as? [String: Any], let code = e["code"] as? String, codes.contains(code),
                  e["message"] is String else {
                return "status \(r.status) without a stable error code: \(r.text.prefix(300))"
            }
        }
        return nil
    }
}
