import HavenAPI
import HavenCore
import HavenCrypto
import NIOCore
import NIOHTTP1

/// An answer ready to write: status and JSON body. `sensitive` bodies carry decrypted
/// values and are wiped once written.
struct Response: Sendable {
    let status: HTTPResponseStatus
    let body: ResponseBody

    var sensitive: Bool { body.sensitive }

    /// An answer that carries nothing to wipe.
    static func json(_ body: [UInt8], status: HTTPResponseStatus = .ok) -> Response {
        Response(status: status, body: ResponseBody(body))
    }

    /// An answer already in wiped memory (a record read, an extract).
    static func sensitive(_ body: PlaintextBuffer, status: HTTPResponseStatus = .ok) -> Response {
        Response(status: status, body: ResponseBody(sensitive: body))
    }

    /// An answer encoded straight into wiped memory: the encoder's array is the only
    /// reference to its storage, so it is zeroed where it lies as it is taken.
    static func sensitive<T: Encodable>(encoding value: T, status: HTTPResponseStatus = .ok) -> Response {
        var bytes = JSONAnswer.encode(value)
        return sensitive(PlaintextBuffer(taking: &bytes), status: status)
    }

    static func error(_ e: HavenError) -> Response {
        Response(status: e.code.httpStatus, body: ResponseBody(ErrorBody.json(e)))
    }
}
