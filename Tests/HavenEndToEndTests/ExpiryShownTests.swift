import Foundation
import HavenTestSupport
import Testing

extension EndToEnd {
    /// A consent expiry given as a date reads back as that date wherever the CLI shows it,
    /// though the vault keeps the moment it ends (midnight UTC of the next day), which JSON
    /// still gives as it is kept.
    @Suite struct ExpiryShownTests {
        @Test func aDateTypedIsTheDateShown() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Expiry Shown", "incident_type": "rape"])
            let granted = try v.expectOK(as: "intake", ["consent", "grant", id, "counselling", "--expires", "2027-06-30"])
            #expect(granted.stdout.contains("valid through 2027-06-30 (UTC)"), "\(granted)")
            try v.expectOK(as: "intake", ["consent", "grant", id, "health", "--expires", "2027-06-30T12:00:00Z"])
            let shown = try v.expectOK(as: "intake", ["consent", "show", id]).stdout
            #expect(shown.contains("through 2027-06-30 (UTC)") && !shown.contains("2027-07-01"), "\(shown)")
            #expect(shown.contains("2027-06-30T12:00:00"), "a time given is shown as it is: \(shown)")
            let json = try v.expectOK(as: "intake", ["consent", "show", id, "--json"]).stdout
            #expect(json.contains("2027-07-01T00:00:00"), "\(json)")
        }
    }
}
