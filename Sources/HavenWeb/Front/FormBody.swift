import Foundation
import HavenCore
import HavenCrypto
import HavenDesk

/// A POST body as a form: urlencoded or multipart, within the desk's limits. A file part's
/// bytes are hashed here and dropped at once; its name is never read into anything kept.
struct FormBody: Sendable {
    /// A urlencoded form holds text typed by a person: 64 KiB is many pages of notes.
    static let urlencodedLimit = 64 * 1024
    /// Multipart carries the consent evidence (a scanned form).
    static let multipartLimit = 16 * 1024 * 1024

    var fields: [(name: String, value: String)] = []
    var files: [String: UploadedFile] = [:]

    /// The limit for a body of `contentType` (the urlencoded one for anything else).
    static func limit(contentType: String?) -> Int {
        isMultipart(contentType) ? multipartLimit : urlencodedLimit
    }

    static func isMultipart(_ contentType: String?) -> Bool {
        contentType?.lowercased().hasPrefix("multipart/form-data") ?? false
    }

    /// Nil when the body is not a well-formed form.
    init?(contentType: String?, body: [UInt8]) {
        if body.isEmpty { return }
        if Self.isMultipart(contentType) {
            guard let boundary = try? MultipartForm.boundary(contentType: contentType ?? ""),
                  let form = try? MultipartForm(body: body, boundary: boundary) else { return nil }
            for part in form.parts {
                if part.isFile {
                    // An empty file input sends an empty part: no file was chosen.
                    guard !part.body.isEmpty else { continue }
                    let digest = SHA256.hash(part.body).map { String(format: "%02x", $0) }.joined()
                    files[part.name] = UploadedFile(digest: "sha256:" + digest, byteCount: part.body.count)
                } else {
                    guard let text = String(validating: part.body, as: UTF8.self) else { return nil }
                    fields.append((part.name, text))
                }
            }
        } else {
            guard let pairs = try? URLEncodedForm.parse(body) else { return nil }
            fields = pairs
        }
    }

    init() {}

    /// The first value of `name`.
    func value(_ name: String) -> String? {
        fields.first { $0.name == name }?.value
    }

    /// The fields a page handler gets: everything but the form token.
    var pageFields: (form: [String: String], lists: [String: [String]]) {
        var form: [String: String] = [:]
        var lists: [String: [String]] = [:]
        for (name, value) in fields where name != "_csrf" {
            if form[name] == nil { form[name] = value }
            lists[name, default: []].append(value)
        }
        return (form, lists)
    }
}
