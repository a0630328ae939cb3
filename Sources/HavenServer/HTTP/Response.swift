import HavenAPI
import HavenCore
import NIOCore
import NIOHTTP1

/// An answer ready to write: status and JSON body. `sensitive` bodies carry decrypted
/// values and are wiped once written.
struct Response {
    let status: HTTPResponseStatus
    var body: [UInt8]
    let sensitive: Bool

    static func json(_ body: [UInt8], status: HTTPResponseStatus = .ok, sensitive: Bool = false) -> Response {
        Response(status: status, body: body, sensitive: sensitive)
    }

    static func error(_ e: HavenError) -> Response {
        Response(status: e.code.httpStatus, body: ErrorBody.json(e), sensitive: false)
    }
}
