import HavenAPI
import HavenCore
import NIOCore
import NIOHTTP1

/// An answer ready to write: status and JSON body. `sensitive` bodies carry decrypted
/// values and are wiped once written.
struct Response: Sendable {
    let status: HTTPResponseStatus
    let body: ResponseBody

    var sensitive: Bool { body.sensitive }

    /// A sensitive `body` array is wiped once its bytes are taken (see `ResponseBody`).
    static func json(_ body: [UInt8], status: HTTPResponseStatus = .ok, sensitive: Bool = false) -> Response {
        Response(status: status, body: ResponseBody(body, sensitive: sensitive))
    }

    static func error(_ e: HavenError) -> Response {
        Response(status: e.code.httpStatus, body: ResponseBody(ErrorBody.json(e), sensitive: false))
    }
}
