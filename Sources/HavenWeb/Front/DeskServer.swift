import Foundation
import HavenCore
import HavenDesk
import HTTPTypes
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore

/// The request context: Hummingbird's, and the client's address for the sign-in throttle.
struct FrontContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let remoteAddress: SocketAddress?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        remoteAddress = source.channel.remoteAddress
    }
}

/// The HTTP side: Hummingbird hands every request to the front, whole, and every answer
/// goes out with the security headers. No router of Hummingbird's: the front's own
/// checks come before any page, in one place.
struct FrontResponder: HTTPResponder {
    let front: DeskFront

    func respond(to request: Request, context: FrontContext) async throws -> Response {
        let path = request.uri.path
        let method = request.method.rawValue
        var headers: [String: String] = [:]
        for field in request.headers where headers[field.name.canonicalName] == nil {
            headers[field.name.canonicalName] = field.value
        }
        // HTTPTypes carries Host as the request's authority, not among its fields.
        if let authority = request.head.authority { headers["host"] = authority }
        let address = context.remoteAddress?.ipAddress ?? "-"
        let probe = FrontRequest(method: method, path: path, query: request.uri.query ?? "", headers: headers, body: [], address: address)
        let answer: FrontAnswer
        if !front.origin.allows(host: headers["host"]) {
            // DNS rebinding: a page of another site whose name now points here.
            answer = .text("Misdirected request: this desk does not answer to that host name.\n", status: 421)
        } else {
            switch await front.admit(probe) {
            case .answer(let early):
                answer = early
            case .read(let limit):
                var request = request
                do {
                    let buffer = try await request.collectBody(upTo: limit)
                    let full = FrontRequest(method: method, path: path, query: probe.query, headers: headers,
                                            body: Array(buffer.readableBytesView), address: address)
                    answer = await front.answer(full)
                } catch {
                    answer = front.tooLarge(probe)
                }
            }
        }
        // Method, route and status only: never a query, a cookie, a form value or a body.
        front.logger.info("request", metadata: ["method": "\(method)", "route": "\(front.routePattern(probe))", "status": "\(answer.status)"])
        return Self.response(answer)
    }

    static func response(_ answer: FrontAnswer) -> Response {
        var fields = HTTPFields()
        SecurityHeaders.apply(to: &fields, cacheable: answer.cacheable)
        if let type = answer.contentType { fields[.contentType] = type }
        for (name, value) in answer.headers {
            if let n = HTTPField.Name(name) { fields.append(HTTPField(name: n, value: value)) }
        }
        let buffer = ByteBuffer(bytes: answer.body)
        fields[.contentLength] = String(buffer.readableBytes)
        return Response(status: .init(code: answer.status), headers: fields, body: .init(byteBuffer: buffer))
    }
}

extension DeskFront {
    /// 413: a body over the desk's limit (nothing of it was read further).
    func tooLarge(_ request: FrontRequest) -> FrontAnswer {
        let w = words(request)
        return frontPage(request, title: w("What was sent is too large"), status: 413,
                         body: FrontViews.message(w("Nothing was saved. A form may carry at most 64 KiB of text, and a file at most 16 MiB.")))
    }
}

/// Runs the desk until SIGTERM or SIGINT, then wipes every session's key.
public enum DeskServer {
    public static func run(front: DeskFront, tlsCertificate: String?, tlsKey: String?, logger: Logger) async throws {
        let listen = front.configuration.listen
        let server: HTTPServerBuilder
        if let tlsCertificate, let tlsKey {
            let chain = try NIOSSLCertificate.fromPEMFile(tlsCertificate)
            let key = try NIOSSLPrivateKey(file: tlsKey, format: .pem)
            let tls = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
            server = try .tls(.http1(), tlsConfiguration: tls)
        } else {
            server = .http1()
        }
        let scheme = front.configuration.scheme
        let app = Application(
            responder: FrontResponder(front: front), server: server,
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: nil),
            onServerRunning: { channel in
                let port = channel.localAddress?.port ?? listen.port
                let host = listen.host.contains(":") ? "[\(listen.host)]" : listen.host
                FileHandle.standardError.write(Data("haven-web: serving \(scheme)://\(host):\(port)\n".utf8))
            },
            logger: logger)
        let sweeper = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(30))
                await front.sweep()
            }
        }
        defer { sweeper.cancel() }
        try await app.runService()
        await front.closeAll()
    }
}
