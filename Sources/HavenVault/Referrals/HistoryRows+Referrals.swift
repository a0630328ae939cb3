import HavenCore
import HavenStore

extension HistoryRows {
    /// Every step of the record's referrals, oldest first: each row the header counts must
    /// be there and open at its index, or the record's history is damaged.
    func referralEvents() throws(HavenError) -> [ReferralEvent] {
        let count = record.header.referralEvents
        guard count > 0 else { return [] }
        let range = UInt64(1)...count
        let id = record.header.id
        let stored = try storeCall(logger) { try ReferralTable.events(of: id, in: range, on: db) }
        guard stored.map(\.index) == Array(range) else { throw missing("referral event", in: range, found: stored.map(\.index)) }
        var out = [ReferralEvent]()
        out.reserveCapacity(stored.count)
        for row in stored {
            let opened = row.sealed.withUnsafeBytes { b in
                Result { () throws(HavenError) -> ReferralEvent in try record.cipher.openReferralEvent(index: row.index, box: b) }
            }
            guard case .success(let event) = opened else { throw damaged("referral event", row.index) }
            out.append(event)
        }
        return out
    }
}
