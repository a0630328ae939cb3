@testable import HavenStats
import Testing

/// A year's release keeps the labels of the policy it was published under; the answer is
/// shown with the labels in force now, code by code, and its counts stay as published.
@Suite struct LabelOverlayTests {
    @Test func aReleasePublishedBeforeATranslationIsShownWithIt() throws {
        var report = try IncidentReleaseTests.answer("2025-01", "2025-03", ["province", "incident_type"])
        let before = report
        #expect(report.label("incident_type", "rape", language: "vi") == "rape")
        report.relabel([.incidentType: [Category(code: "rape", en: "Rape", lo: "ການຂົ່ມຂືນ", vi: "Hiếp dâm")]])
        #expect(report.label("incident_type", "rape", language: "vi") == "Hiếp dâm")
        #expect(report.label("incident_type", "rape", language: "lo") == "ການຂົ່ມຂືນ")
        // A code the policy no longer lists keeps its frozen label; the counts are untouched.
        #expect(report.label("incident_type", "physical_assault") == before.label("incident_type", "physical_assault"))
        #expect(report.label("province", "la-luang-prabang", language: "lo") == "ແຂວງຫຼວງພະບາງ")
        #expect(report.rows == before.rows && report.suppressed == before.suppressed)
    }
}
