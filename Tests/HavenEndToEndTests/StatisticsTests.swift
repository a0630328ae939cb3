import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HavenAPI
import HavenStats
import HavenTestSupport
import Testing

extension EndToEnd {
    /// `haven stats incidents` with the real binaries on the real SQLite file: only records
    /// whose survivor consents to statistics are counted, once each; no count from 1 to 4
    /// is ever shown; a year, once published, answers unchanged (StatisticsReleaseTests); the
    /// analyst reaches no record; every query is in the audit log; a statistics row kept from
    /// before a change is not counted.
    @Suite struct StatisticsTests {
        /// February 2025 at two OSSCs: 7 rapes and 6 assaults in Vientiane Capital, 2 rapes and
        /// 5 assaults in Luang Prabang, all consented; 3 more Luang Prabang rapes without the
        /// statistics consent; one consented Vientiane rape already reported elsewhere; and a
        /// consented trafficking case; with each copy, the ids of the Vientiane assaults. Made
        /// once by the CLI, copied for each test.
        static let populated = VaultTemplate { v in try populate(v) }

        static func populate(_ v: TestVault) throws -> [String] {
            func make(_ province: String, _ type: String, day: Int, consent: Bool = true, elsewhere: Bool = false) throws -> String {
                var fields = ["survivor_name": "Survivor \(province) \(type) \(day)", "incident_type": type, "province": province,
                              "intake_date": "2025-02-\(day < 10 ? "0" : "")\(day)", "sex": "female", "date_of_birth": "1996-05-0\(day % 9 + 1)"]
                if elsewhere { fields["reported_elsewhere"] = "yes" }
                let id = try v.createRecord(fields)
                if consent { try v.expectOK(as: "intake", ["consent", "grant", id, "statistics"]) }
                return id
            }
            var assaults = [String]()
            for d in 1...7 { _ = try make("la-vientiane-capital", "rape", day: d) }
            for d in 1...6 { assaults.append(try make("la-vientiane-capital", "physical_assault", day: d + 7)) }
            for d in 1...2 { _ = try make("la-luang-prabang", "rape", day: d + 13) }
            for d in 1...5 { _ = try make("la-luang-prabang", "physical_assault", day: d + 15) }
            for d in 1...3 { _ = try make("la-luang-prabang", "rape", day: d + 20, consent: false) }
            _ = try make("la-vientiane-capital", "rape", day: 24, elsewhere: true)
            let trafficking = try v.createRecord(["survivor_name": "Survivor trafficked", "exploitation_form": "forced_labour",
                                                  "province": "la-vientiane-capital", "screening_date": "2025-02-25"],
                                                 type: "trafficking_case")
            try v.expectOK(as: "intake", ["consent", "grant", trafficking, "statistics"])
            return assaults
        }

        static func csv(_ v: TestVault, _ args: [String]) throws -> [String: String] {
            let r = try v.expectOK(as: "analyst", ["stats", "incidents", "--format", "csv"] + args)
            let lines = r.stdout.split(separator: "\r\n").map(String.init)
            var out = [String: String]()
            for line in lines.dropFirst() {
                let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                out[cells.dropLast().joined(separator: ",")] = cells.last!
            }
            out["header"] = lines.first
            return out
        }

        @Test func theAnalystCountsOnlyConsentedRecordsAndNoSmallCountAppears() throws {
            let (v, assaults) = try Self.populated.copy()
            let feb = ["--from", "2025-02", "--to", "2025-02"]
            let table = try Self.csv(v, feb + ["--by", "province,incident_type"])
            #expect(table["header"] == "province,incident_type,count")
            // Luang Prabang's 2 consented rapes (5 with the unconsented ones) are a small cell.
            #expect(table["la-luang-prabang,rape"] == "<5", "\(table)")
            #expect(table["la-vientiane-capital,rape"] == "7" || table["la-vientiane-capital,rape"] == "x")
            for (key, count) in table where key != "header" {
                #expect(["<5", "x"].contains(count) || Int(count).map { $0 == 0 || $0 >= 5 } == true, "\(key): \(count)")
            }
            // Counted: 7 + 6 + 2 + 5 gbv incidents and the trafficking case; not the 3 without
            // consent, nor the one reported elsewhere.
            // (The single trafficking case is a small cell; so that the total cannot give it
            // back, the 20 is hidden as well.)
            let types = try Self.csv(v, feb + ["--by", "record_type"])
            #expect(types["gbv_incident"] == "x" && types["trafficking_case"] == "<5" && types["all"] == "21", "\(types)")
            let byType = try Self.csv(v, feb + ["--by", "incident_type"])
            // The trafficking case has no incident type: a small cell, protected by the 9 rapes.
            #expect(byType["rape"] == "x" && byType["physical_assault"] == "11" && byType["not_recorded"] == "<5"
                    && byType["all"] == "21", "\(byType)")

            // A withdrawal after the year's release changes nothing of it: the record counts no
            // more from the next year's release on.
            try v.expectOK(as: "intake", ["consent", "withdraw", assaults[0], "statistics"])
            #expect(try Self.csv(v, feb + ["--by", "incident_type"])["physical_assault"] == "11")

            // The answer says how many cells were hidden and why, in every format.
            let json = try v.json(StatisticsReport.self, as: "analyst", ["stats", "incidents", "--format", "json"] + feb
                                  + ["--by", "province,incident_type"])
            #expect(json.suppressed.small > 0 && json.suppressed.why.first?.contains("shown as <5") == true)
            #expect(json.rows.allSatisfy { $0.count.map { $0 == 0 || $0 >= 5 } ?? ($0.shown == "<5" || $0.shown == "x") })
            #expect(json.auditSeq != nil)
            let text = try v.expectOK(as: "analyst", ["stats", "incidents", "--by", "province,incident_type"] + feb)
            #expect(text.stdout.contains("Luang Prabang") && text.stdout.contains("shown as <5"), "\(text.stdout)")

            // Only whole months, quarters and years that have ended.
            let odd = try v.haven(as: "analyst", ["stats", "incidents", "--from", "2025-02", "--to", "2025-04", "--by", "sex"])
            #expect(odd.status == 1 && odd.stderr.contains("not a whole month, quarter or year"), "\(odd)")
            let unknown = try v.haven(as: "analyst", ["stats", "incidents", "--from", "2025-02", "--to", "2025-02", "--by", "name"])
            #expect(unknown.status == 1 && unknown.stderr.contains("unknown dimension 'name'"), "\(unknown)")

            // The auditor sees who asked for what; the refusals are in the log too.
            let entries = try v.auditLog(["--user", "analyst", "--all"]).filter { $0.action == "stats.read" }
            #expect(entries.filter { $0.decision == "allow" }.count == 6, "\(entries.map(\.decision))")
            let first = entries.first { $0.decision == "allow" }
            #expect(first?.actor?.user == "analyst" && first?.detail["dimensions"] == "province,incident_type"
                    && first?.detail["from"] == "2025-02" && first?.detail["to"] == "2025-02" && first?.detail["small"] != nil,
                    "\(String(describing: first))")
            #expect(entries.filter { $0.outcome == "invalid_value" }.count == 2)
            let shown = try v.expectOK(as: "auditor", ["audit", "log", "--user", "analyst"]).stdout
            #expect(shown.contains("stats.read") && shown.contains("by province,incident_type, 2025-02"), "\(shown)")

            // The statistics rows hold no value in the clear.
            for file in try v.dataFiles() where FileManager.default.fileExists(atPath: file) {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: file))
                for needle in ["la-luang-prabang", "physical_assault", "2025-02-1"] {
                    #expect(bytes.range(of: Data(needle.utf8)) == nil, "\(needle) in \(file)")
                }
            }
        }

        @Test func theAnalystReachesNoRecordAndOthersCannotCount() throws {
            let v = try TestVault()
            let id = try v.createRecord(["survivor_name": "Bounmy", "incident_type": "rape", "intake_date": "2025-02-03"])
            try v.expectOK(as: "intake", ["consent", "grant", id, "statistics"])
            for args in [["record", "list"], ["record", "get", id, "--purpose", "statistics"], ["consent", "show", id],
                         ["record", "find", "--name", "Bounmy", "--purpose", "statistics"],
                         ["record", "update", id, "--field", "sex=female"], ["note", "add", id, "--class", "incident", "--text", "x"],
                         ["extract", "create", id, "--purpose", "statistics", "--consent", "--all-permitted", "--out", v.root + "/x.json"],
                         ["record", "create", "--type", "gbv_incident", "--field", "survivor_name=Analyst made", "--field", "incident_type=rape"],
                         ["record", "assign", id, "counsellor"], ["record", "erase", id, "--reason", "the analyst asks to erase this record today"],
                         ["consent", "grant", id, "counselling"], ["consent", "withdraw", id, "statistics"],
                         ["referral", "create", id, "--to", "lwu-shelter-vientiane", "--service", "shelter", "--purpose", "statistics"]] {
                let r = try v.haven(as: "analyst", args)
                #expect(r.status == 3, "\(args): \(r)")
            }
            for user in ["intake", "counsellor", "auditor", "admin", "court"] {
                let r = try v.haven(as: user, ["stats", "incidents", "--from", "2025-01", "--to", "2025-12", "--by", "sex"])
                #expect(r.status == 3 && r.stderr.contains("not permitted for role \(user)"), "\(user): \(r)")
            }
        }

        @Test func theHTMLIsSelfContainedAndWellFormed() throws {
            let (v, _) = try Self.populated.copy()
            let out = v.root + "/feb.html"
            let r = try v.expectOK(as: "analyst", ["stats", "incidents", "--from", "2025-01", "--to", "2025-03", "--by",
                                                   "province,incident_type", "--format", "html", "--lang", "lo", "--out", out])
            #expect(r.stderr.contains("wrote \(out)"))
            let html = try String(contentsOfFile: out, encoding: .utf8)
            let parser = XMLParser(data: Data(html.utf8))
            let elements = ElementNames()
            parser.delegate = elements
            #expect(parser.parse(), "\(String(describing: parser.parserError))")
            #expect(elements.names.contains("svg") && !elements.names.contains("script") && !elements.names.contains("img"))
            #expect(!elements.attributes.contains { $0 == "href" || $0 == "src" || $0.hasPrefix("on") })
            #expect(html.contains("ແຂວງຫຼວງພະບາງ") && html.contains("&lt;5"))
            // A second --out to the same file is refused; the first is kept.
            let again = try v.haven(as: "analyst", ["stats", "incidents", "--from", "2025-01", "--to", "2025-03", "--by", "sex",
                                                    "--out", out])
            #expect(again.status == 1 && again.stderr.contains("already exists"))
            #expect(try String(contentsOfFile: out, encoding: .utf8) == html)
        }

        /// Someone with the files keeps a record's statistics row from before the survivor
        /// withdrew, and puts it back; or swaps two records' rows. None is counted in the
        /// year's release, and its publication's audit entry names them.
        @Test func aStatisticsRowKeptFromBeforeAWithdrawalOrSwappedIsNotCounted() throws {
            let (v, assaults) = try Self.populated.copy()
            let feb = ["--from", "2025-02", "--to", "2025-02", "--by", "incident_type"]
            func row(_ id: String) throws -> ([UInt8], [UInt8]) {
                (try v.scalarBlob("SELECT row_tag FROM record_statistics WHERE record_id = ?", [id]),
                 try v.scalarBlob("SELECT sealed FROM record_statistics WHERE record_id = ?", [id]))
            }
            let kept = try row(assaults[0])
            try v.expectOK(as: "intake", ["consent", "withdraw", assaults[0], "statistics"])
            try v.execute("UPDATE record_statistics SET row_tag = ?, sealed = ? WHERE record_id = ?", [kept.0, kept.1, assaults[0]])
            // Two rapes' rows swapped, each with its own tag (the latest of the other record): neither
            // opens. (Two more rapes first, so that the year's counts stay publishable.)
            var rapes = [String]()
            for day in [26, 27] {
                rapes.append(try v.createRecord(["survivor_name": "Survivor swapped \(day)", "incident_type": "rape", "sex": "female",
                                                 "province": "la-vientiane-capital", "intake_date": "2025-02-\(day)"]))
                try v.expectOK(as: "intake", ["consent", "grant", rapes.last!, "statistics"])
            }
            let (a, b) = (try row(rapes[0]), try row(rapes[1]))
            try v.execute("UPDATE record_statistics SET row_tag = ?, sealed = ? WHERE record_id = ?", [b.0, b.1, rapes[0]])
            try v.execute("UPDATE record_statistics SET row_tag = ?, sealed = ? WHERE record_id = ?", [a.0, a.1, rapes[1]])
            let r = try v.expectOK(as: "analyst", ["stats", "incidents", "--format", "csv"] + feb)
            // 23 consented: one assault withdrawn (its kept row refused), two rapes swapped.
            #expect(r.stdout.contains("all,20\r\n") && !r.stdout.contains("physical_assault,6"), "\(r.stdout)")
            #expect(r.stderr.contains("warning: 3 records could not be counted"), "\(r.stderr)")
            let entry = try v.auditLog(["--all"]).filter { $0.action == "stats.publish" }.last
            for id in [assaults[0]] + rapes {
                #expect(entry?.detail["integrity"]?.contains("record \(id)") == true, "\(id): \(String(describing: entry))")
            }
            // The release is frozen with what it counted: the rows put right later change nothing.
            try v.execute("UPDATE record_statistics SET row_tag = ?, sealed = ? WHERE record_id = ?", [a.0, a.1, rapes[0]])
            try v.execute("UPDATE record_statistics SET row_tag = ?, sealed = ? WHERE record_id = ?", [b.0, b.1, rapes[1]])
            #expect(try v.expectOK(as: "analyst", ["stats", "incidents", "--format", "csv"] + feb).stdout == r.stdout)
        }
    }
}

/// Every element and attribute name of a page, as an XML parser reads it.
final class ElementNames: NSObject, XMLParserDelegate {
    var names = [String]()
    var attributes = [String]()
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String]) {
        names.append(name)
        self.attributes += attributes.keys
    }
}
