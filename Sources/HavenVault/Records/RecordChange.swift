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
    /// Steps of referrals (one, or each a consent withdrawal ends): their sealed history
    /// rows, and their index rows as they now stand.
    var referralEvents: [(index: UInt64, sealed: [UInt8])] = []
    var referrals: [(row: StoredReferral, isNew: Bool)] = []
    /// An agency that gives the record its case number in this change (a referral accepted).
    var caseNumberAt: AgencyName?
    /// What the change's audit entry says besides (the referrals a withdrawal ended).
    var detail: [String: String] = [:]
}
