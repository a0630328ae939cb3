import Foundation

/// A request as a page handler sees it: values only, already past every check the desk
/// makes (Host, Origin, session, CSRF token), so a handler never re-implements them.
public struct DeskRequest: Sendable {
    public enum Method: String, Sendable { case get = "GET", post = "POST" }

    public let method: Method
    /// The path without the query, e.g. `/records/7f3a…`.
    public let path: String
    /// The route's `:name` parts, e.g. `["id": "7f3a…"]`.
    public let parameters: [String: String]
    /// The query string's fields (never survivor data: pages put none there).
    public let query: [String: String]
    /// A POSTed form's text fields (urlencoded or multipart), without the CSRF token.
    public let form: [String: String]
    /// A POSTed form's repeated fields in order (a multi-select), by name.
    public let formLists: [String: [String]]
    /// A multipart form's files, as digests.
    public let files: [String: UploadedFile]

    public init(method: Method, path: String, parameters: [String: String] = [:], query: [String: String] = [:],
                form: [String: String] = [:], formLists: [String: [String]] = [:], files: [String: UploadedFile] = [:]) {
        self.method = method
        self.path = path
        self.parameters = parameters
        self.query = query
        self.form = form
        self.formLists = formLists
        self.files = files
    }

    /// A form field trimmed of surrounding spaces; nil when absent or blank.
    public func field(_ name: String) -> String? {
        guard let value = form[name]?.trimmingCharacters(in: .whitespacesAndNewlines), !value.isEmpty else { return nil }
        return value
    }
}
