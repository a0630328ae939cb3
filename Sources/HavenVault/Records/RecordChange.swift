import HavenCore
import HavenStore

/// What a change to an existing record writes besides its new header.
struct RecordChange {
    var fields: [StoredField] = []
    var note: (index: UInt64, meta: [UInt8], ciphertext: [UInt8])?
    var consentEvent: (index: UInt64, sealed: [UInt8])?
    var assigneesChanged = false
    /// Indexed fields given new values, whose search index rows are replaced by `searchRows`.
    var searchFields: [String] = []
    var searchRows: [SearchIndexEntry] = []
    /// New values of fields the statistics read (the rest are opened as stored).
    var statisticsValues: [FieldName: String] = [:]
    /// A step of a referral: its sealed history row, and its index row as it now stands.
    var referralEvent: (index: UInt64, sealed: [UInt8])?
    var referral: (row: StoredReferral, isNew: Bool)?
}
