import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStore

/// A record whose data key is unwrapped and whose header opened and matched its row.
struct OpenedRecord {
    let row: StoredRecord
    let header: RecordHeader
    let cipher: RecordCipher
    let type: RecordType

    /// What the policy decides on; every fact comes from the sealed header, and `notes` (the
    /// page a read shows) from rows the header counts.
    func facts(notes: [NoteMetadata] = []) -> RecordFacts {
        RecordFacts(id: header.id, type: type, agency: header.agency, assignees: header.assignees,
                    consent: header.consent, notes: notes,
                    presentFields: type.fields.map(\.name).filter { header.fieldVersions[$0] != nil },
                    referrals: header.referrals)
    }

    var facts: RecordFacts { facts() }
}
