import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
@testable import HavenStats
import Testing

/// The formats: CSV a spreadsheet reads without running anything, and HTML checked by an
/// XML parser for what it may hold (no script, nothing fetched, every text escaped).
@Suite struct StatisticsOutputTests {
    static func report() throws -> StatisticsReport {
        try IncidentReleaseTests.answer("2025-01", "2025-03", ["province", "incident_type"])
    }

    @Test func csvHasAHeaderGroupColumnsThenCountAndHidesCellsAsShown() throws {
        let csv = StatisticsCSV.render(try Self.report())
        let lines = csv.split(separator: "\r\n").map(String.init)
        #expect(lines[0] == "province,incident_type,count")
        #expect(lines.contains("la-luang-prabang,physical_assault,<5"))
        #expect(lines.contains("all,all,x") || lines.contains { $0.hasPrefix("all,all,") })
        for line in lines.dropFirst() {
            let count = line.split(separator: ",").last!
            #expect(count == "<5" || count == "x" || Int(count).map { $0 == 0 || $0 >= 5 } == true, "\(line)")
        }
        #expect(StatisticsCSV.field("=1+1") == "'=1+1")
        #expect(StatisticsCSV.field("a,\"b\"") == "\"a,\"\"b\"\"\"")
    }

    /// Everything the page holds, as an XML parser sees it.
    final class PageCheck: NSObject, XMLParserDelegate {
        var elements = [String]()
        var attributes = [String]()
        var text = ""
        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String]) {
            elements.append(name)
            self.attributes += attributes.map { "\($0.key)=\($0.value)" }
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    @Test func htmlIsWellFormedSelfContainedAndCarriesTheLabels() throws {
        for language in ["en", "lo", "vi"] {
            let html = StatisticsHTML.render(try Self.report(), language: language)
            let parser = XMLParser(data: Data(html.utf8))
            let check = PageCheck()
            parser.delegate = check
            #expect(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
            let allowed: Set = ["html", "head", "meta", "title", "style", "body", "h1", "p", "table", "thead", "tbody", "tr", "th",
                                "td", "svg", "text", "rect"]
            #expect(Set(check.elements).isSubset(of: allowed), "\(Set(check.elements).subtracting(allowed))")
            #expect(check.elements.contains("svg") && check.elements.filter { $0 == "rect" }.count >= 1)
            #expect(!check.attributes.contains { $0.hasPrefix("href") || $0.hasPrefix("src") || $0.hasPrefix("on") })
            #expect(!html.contains("url(") && !html.contains("@import") && !html.contains("<script"))
            #expect(check.text.contains(language == "lo" ? "ແຂວງຫຼວງພະບາງ" : "Luang Prabang"))
            #expect(check.text.contains("<5"))
        }
        #expect(StatisticsHTML.escape("<b>&\"'") == "&lt;b&gt;&amp;&quot;&#39;")
    }

    @Test func theTextTableNamesThePeriodAndWhyCellsAreHidden() throws {
        let text = StatisticsText.render(try Self.report())
        #expect(text.hasPrefix("Incidents, 2025-Q1 (2025-01 to 2025-03), by province, incident_type"))
        #expect(text.contains("Luang Prabang") && text.contains("shown as <5"))
    }
}
