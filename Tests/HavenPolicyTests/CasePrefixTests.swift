import HavenCore
@testable import HavenPolicy
import Testing

/// The prefix of each agency's case numbers: the file's `case_prefix`, else the initials of
/// the agency id's words; a chosen prefix that is not 2-8 letters A-Z, or names another
/// agency's numbers too, is refused with its line.
@Suite struct CasePrefixTests {
    @Test func theShippedAgenciesPrefixes() throws {
        let list = ShippedPolicy.policy.agencies
        let prefixes = try ["ossc-vientiane", "lwu-shelter-vientiane", "mahosot-hospital", "haven"].map {
            list.casePrefix(for: try AgencyName($0))
        }
        #expect(prefixes == ["OV", "LWU", "MH", "HAVE"])
        // An agency the file does not list (or no file) still numbers its cases.
        #expect(list.casePrefix(for: try AgencyName("ministry.of_health")) == "MOH")
        let all = try #require(list.agencies).keys.map { list.casePrefix(for: $0) }
        #expect(Set(all).count == all.count && all.allSatisfy(CasePrefix.isValid), "\(all)")
    }

    @Test(arguments: [
        ("    type: shelter\n", "    type: shelter\n    case_prefix: Lwu\n", "capital letters"),
        ("    type: shelter\n", "    type: shelter\n    case_prefix: L\n", "capital letters"),
        ("    type: shelter\n", "    type: shelter\n    case_prefix: LWU-26\n", "capital letters"),
        ("    case_prefix: LWU\n", "    case_prefix: OV\n", "also the case number prefix of agency 'ossc-vientiane'"),
    ])
    func aBadPrefixIsRefused(old: String, new: String, reason: String) throws {
        var files = try ShippedPolicy.files()
        let i = try #require(files.firstIndex { $0.path == "agencies.yaml" })
        var text = String(decoding: files[i].contents, as: UTF8.self)
        if old.contains("type: shelter") { text = text.replacingOccurrences(of: "    case_prefix: LWU\n", with: "") }
        #expect(text.contains(old), "\(old)")
        files[i] = PolicyFile(path: "agencies.yaml", contents: Array(text.replacingOccurrences(of: old, with: new).utf8))
        #expect { try PolicyParser.parse(files) } throws: { error in "\(error)".contains(reason) }
    }
}
