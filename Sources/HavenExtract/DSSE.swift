import Foundation
import HavenCore

/// Dead Simple Signing Envelope (DSSE v1), the container of a certified extract.
///
/// The signature covers the pre-authentication encoding of the payload type and the
/// payload together, so neither can be swapped without breaking it, and a verifier checks
/// it before parsing a single byte of the payload.
public struct Envelope: Sendable, Equatable {
    public struct Signature: Sendable, Equatable {
        public let keyID: String
        public let sig: [UInt8]

        public init(keyID: String, sig: [UInt8]) {
            self.keyID = keyID
            self.sig = sig
        }
    }

    public let payloadType: String
    public let payload: [UInt8]
    public let signatures: [Signature]

    public init(payloadType: String, payload: [UInt8], signatures: [Signature]) {
        self.payloadType = payloadType
        self.payload = payload
        self.signatures = signatures
    }

    /// PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, lengths in
    /// ASCII decimal (DSSE specification, "Protocol").
    public static func preAuthenticationEncoding(payloadType: String, payload: [UInt8]) -> [UInt8] {
        let type = Array(payloadType.utf8)
        var out = Array("DSSEv1 \(type.count) ".utf8)
        out += type
        out += Array(" \(payload.count) ".utf8)
        out += payload
        return out
    }

    public var preAuthenticationEncoding: [UInt8] {
        Self.preAuthenticationEncoding(payloadType: payloadType, payload: payload)
    }

    /// `{"payloadType":…,"payload":<base64>,"signatures":[{"keyid":…,"sig":<base64>}]}`.
    public func json() -> [UInt8] {
        var w = JSONWriter()
        w.object { o in
            o.field("payloadType", payloadType)
            o.field("payload", Base64.encode(payload))
            o.key("signatures")
            o.array { a in
                for s in signatures {
                    a.object { x in
                        x.field("keyid", s.keyID)
                        x.field("sig", Base64.encode(s.sig))
                    }
                }
            }
        }
        return w.bytes + [UInt8(ascii: "\n")]
    }

    /// Parses an envelope; anything malformed is refused before any signature is checked.
    public init(json: [UInt8]) throws(HavenError) {
        struct Wire: Decodable {
            struct Sig: Decodable {
                let keyid: String
                let sig: String
            }
            let payloadType: String
            let payload: String
            let signatures: [Sig]
        }
        if let key = JSONValue.firstDuplicateKey(in: json) {
            throw HavenError(.invalidDocument, "the envelope names '\(NameRules.printable(key))' twice (a reader that takes the "
                             + "other one would see another document)")
        }
        guard json.count <= 16 << 20, let wire = try? JSONDecoder().decode(Wire.self, from: Data(json)) else {
            throw HavenError(.invalidDocument, "not a signed extract (the file is not a DSSE envelope)")
        }
        guard let payload = Base64.decode(wire.payload) else {
            throw HavenError(.invalidDocument, "the envelope's payload is not valid base64")
        }
        var sigs = [Signature]()
        for s in wire.signatures {
            guard let sig = Base64.decode(s.sig) else { throw HavenError(.invalidDocument, "a signature is not valid base64") }
            sigs.append(Signature(keyID: s.keyid, sig: sig))
        }
        self.init(payloadType: wire.payloadType, payload: payload, signatures: sigs)
    }
}
