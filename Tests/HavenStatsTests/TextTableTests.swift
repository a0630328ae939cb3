import HavenCore
@testable import HavenStats
import Testing

/// A Lao or Vietnamese text table lines up: padded by display width, every row of a table
/// takes the same columns, and each column starts at the same column on every row.
@Suite struct TextTableTests {
    @Test func aLaoTableLinesUp() {
        let headers = ["ແຂວງ", "ປະເພດເຫດການ", "ຈຳນວນ"]
        let rows = [["ນະຄອນຫຼວງວຽງຈັນ", "ການຂົ່ມຂືນ", "7"],
                    ["ແຂວງຫຼວງພະບາງ", "ການທຳຮ້າຍຮ່າງກາຍ", "<5"],
                    ["ທັງໝົດ", "ການບັງຄັບແຕ່ງງານ", "x"],
                    ["Hà Nội", "Ngăn cản tiếp cận nguồn lực", "12"]]
        let lines = StatisticsText.table(headers, rows).split(separator: "\n").map(String.init)
        #expect(lines.count == 6)
        let widths = Set(lines.map(DisplayWidth.of))
        #expect(widths.count == 1, "\(lines.map(DisplayWidth.of))")
        // The second column starts at the same display column on every row.
        let first = rows.map(\.[0]).map(DisplayWidth.of).max()!
        for (line, row) in zip(lines.dropFirst(2), rows) {
            let prefix = String(line.prefix { _ in true }.unicodeScalars.prefix(row[0].unicodeScalars.count))
            #expect(prefix == row[0])
            let rest = String(String.UnicodeScalarView(line.unicodeScalars.dropFirst(row[0].unicodeScalars.count)))
            #expect(DisplayWidth.of(row[0]) + (rest.prefix { $0 == " " }.count) == first + 2, "\(line)")
        }
        // Counting scalars, as before, would have put them out of line.
        #expect(Set(lines.map { $0.unicodeScalars.count }).count > 1)
    }

    @Test func theLaoReportSpeaksLao() throws {
        let report = try IncidentReleaseTests.answer("2025-01", "2025-03", ["province", "incident_type"])
        let text = StatisticsText.render(report, language: "lo")
        #expect(text.hasPrefix("ຈຳນວນເຫດການ, ໄຕມາດ 1 ປີ 2025 (ເດືອນ 01/2025 ຫາ ເດືອນ 03/2025), ແຍກຕາມ ແຂວງ, ປະເພດເຫດການ"), "\(text)")
        #expect(text.contains("ຈຳນວນ") && text.contains("ແຂວງຫຼວງພະບາງ") && text.contains("<5"))
        #expect(!text.contains("Count") && !text.contains("shown as"))
        let vi = StatisticsText.render(report, language: "vi")
        #expect(vi.hasPrefix("Số vụ việc, Quý 1 năm 2025 (từ tháng 01/2025 đến tháng 03/2025), theo Tỉnh, thành phố, Loại vụ việc"), "\(vi)")
        let table = text.split(separator: "\n", omittingEmptySubsequences: false).dropFirst(2).prefix { !$0.isEmpty }.map(String.init)
        #expect(Set(table.map(DisplayWidth.of)).count == 1, "\(table)")
    }
}
