/// Whether a case is still being worked.
public enum RecordStatus: String, Sendable, Codable, CaseIterable {
    case open
    case closed
}
