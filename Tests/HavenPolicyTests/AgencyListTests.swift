import HavenCore
@testable import HavenPolicy
import Testing

/// `policy/agencies.yaml`: a typed agency is either listed or refused with the right spelling.
@Suite struct AgencyListTests {
    @Test func theShippedListHoldsEveryAgencyTheDemoUses() throws {
        let agencies = try #require(ShippedPolicy.policy.agencies.agencies)
        // The demo's agencies, and the Lao set referrals go between (a shelter, a provincial
        // hospital, legal aid).
        #expect(Set(agencies.keys.map(\.rawValue)) == ["ossc-vientiane", "ossc-luang-prabang", "mahosot-hospital",
                                                       "police-vientiane", "people-court", "haven", "lwu-shelter-vientiane",
                                                       "luang-prabang-hospital", "legal-aid-vientiane"])
        #expect(agencies.values.allSatisfy { $0.names["name_en"] != nil && $0.names["name_lo"] != nil && $0.names["name_vi"] != nil })
    }

    @Test func aTypoIsRefusedWithTheClosestNames() throws {
        let list = ShippedPolicy.policy.agencies
        try list.check(try AgencyName("ossc-vientiane"), what: "test")
        for (typed, expected) in [("ossc-vientaine", "ossc-vientiane"), ("ossc-vientian", "ossc-vientiane"),
                                  ("mahosot-hospitl", "mahosot-hospital"), ("police-vientiane2", "police-vientiane")] {
            #expect { try list.check(try AgencyName(typed), what: "test") } throws: { error in
                guard let e = error as? HavenError else { return false }
                return e.code == .invalidValue && e.message.contains("unknown agency '\(typed)'") && (e.hint ?? "").contains("did you mean \(expected)")
            }
        }
        // Far from every listed name: refused, pointing at the file.
        #expect { try list.check(try AgencyName("ministry-of-health"), what: "test") } throws: { error in
            (error as? HavenError)?.hint == "the agencies are listed in policy/agencies.yaml"
        }
    }

    @Test func aShortenedOrCapitalisedNameIsRefusedWithTheListedOne() throws {
        let list = ShippedPolicy.policy.agencies
        #expect(try list.named("ossc-vientiane", what: "test").rawValue == "ossc-vientiane")
        // Ids stay exact: capitals are refused, and the lower-case id suggested.
        for (typed, expected) in [("lwu-shelter", "lwu-shelter-vientiane"), ("OSSC-Vientiane", "ossc-vientiane"),
                                  ("Mahosot-Hospitl", "mahosot-hospital"), ("lwu-shelter-vientiane-2", "lwu-shelter-vientiane")] {
            #expect { _ = try list.named(typed, what: "test") } throws: { error in
                guard let e = error as? HavenError else { return false }
                return e.code == .invalidValue && e.message == "unknown agency '\(typed)' (test)"
                    && (e.hint ?? "").hasPrefix("did you mean \(expected)? ")
            }
        }
        // Not a name at all even in lower case: the syntax error, as before.
        #expect { _ = try list.named("ossc vientiane", what: "test") } throws: { error in
            (error as? HavenError)?.message == "invalid agency name 'ossc vientiane'"
        }
    }

    @Test func withoutTheFileAnyAgencyIsAccepted() throws {
        let files = try ShippedPolicy.files().filter { $0.path != "agencies.yaml" }
        let policy = try PolicyParser.parse(files)
        #expect(policy.agencies.agencies == nil)
        try policy.agencies.check(try AgencyName("anything-at-all"), what: "test")
    }

    @Test(arguments: [
        ("type: ossc", "type: hospital", "agencies.yaml:7:", "hospital"),
        ("    name_en: One-Stop Service Centre, Vientiane Capital\n", "", "agencies.yaml:7:", "missing 'name_en'"),
        ("  ossc-vientiane:", "  OSSC Vientiane:", "agencies.yaml:6:", "must use a-z"),
        ("    name_vi: Bệnh viện Mahosot", "    name_vi: \"\"", "agencies.yaml:", "is empty"),
        ("    type: court", "    type: court\n    phone: 123", "agencies.yaml:", "phone"),
    ])
    func aBrokenAgencyFileIsRefusedWithItsLine(old: String, new: String, place: String, reason: String) throws {
        var files = try ShippedPolicy.files()
        let i = try #require(files.firstIndex { $0.path == "agencies.yaml" })
        let text = String(decoding: files[i].contents, as: UTF8.self)
        #expect(text.contains(old), "\(old)")
        files[i] = PolicyFile(path: "agencies.yaml", contents: Array(text.replacingOccurrences(of: old, with: new).utf8))
        #expect { try PolicyParser.parse(files) } throws: { error in
            let text = "\(error)"
            return text.contains(place) && text.contains(reason)
        }
    }
}
