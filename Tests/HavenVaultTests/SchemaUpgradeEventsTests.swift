import HavenAudit
@testable import HavenVault
import Testing

/// The `vault.migrate` entries written after an upgrade are in the log of every vault
/// upgraded so: the table must give exactly the entries earlier releases wrote, word for word.
@Suite struct SchemaUpgradeEventsTests {
    static func migrate(_ from: String, _ to: String, _ rule: String) -> AuditEvent {
        AuditEvent(action: "vault.migrate", decision: .allow, rule: rule, detail: ["from_schema": from, "to_schema": to])
    }

    /// Each step's entry as it was written out, one constant per step, before the table.
    static let written = [
        migrate("3", "4", "schema 3 upgraded to 4: notes and consent events get sealed rows of their own, each record's at its next change"),
        migrate("4", "5", "schema 4 upgraded to 5: records are indexed by last change, which record list pages through"),
        migrate("5", "6", "schema 5 upgraded to 6: searchable fields get blind indexes, built as the daemon starts"),
        migrate("6", "7", "schema 6 upgraded to 7: each record's contribution to statistics is sealed beside it, built as the daemon starts"),
        migrate("7", "8", "schema 7 upgraded to 8: referrals between agencies, kept in each record's sealed header and history"),
        migrate("8", "9", "schema 8 upgraded to 9: a record's new audit entries are found through links from each to the one before"),
        migrate("9", "10", "schema 9 upgraded to 10: each year's statistics are published once, sealed and stored, and answered from unchanged"),
        migrate("10", "11", "schema 10 upgraded to 11: each record gets a case number of its agency, the records made before in the order they were made"),
    ]

    @Test func eachStepsEntryIsTheOneEarlierReleasesWrote() {
        #expect(SchemaUpgradeEvents.after(2) == Self.written)
        #expect(SchemaUpgradeEvents.after(3) == Self.written)
        #expect(SchemaUpgradeEvents.after(6) == Array(Self.written.suffix(5)))
        #expect(SchemaUpgradeEvents.after(8) == [Self.written[5], Self.written[6], Self.written[7]])
        #expect(SchemaUpgradeEvents.after(9) == [Self.written[6], Self.written[7]])
        #expect(SchemaUpgradeEvents.after(10) == [Self.written[7]])
        #expect(SchemaUpgradeEvents.after(11).isEmpty)
    }
}
