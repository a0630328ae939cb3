/// A file a form sent, kept only as its SHA-256 digest and size: the desk computes the
/// `sha256:` digest of consent evidence while reading the body and never keeps the bytes
/// or the file's name (a name like "medical-report-<survivor>.pdf" is a survivor's data).
public struct UploadedFile: Sendable, Equatable {
    /// `sha256:` and 64 lowercase hex digits, as `haven consent grant --evidence` sends it.
    public let digest: String
    public let byteCount: Int

    public init(digest: String, byteCount: Int) {
        self.digest = digest
        self.byteCount = byteCount
    }
}
