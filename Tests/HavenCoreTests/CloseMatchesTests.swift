@testable import HavenCore
import Testing

/// A mistyped name is refused with the names it was most likely meant to be, and only those.
@Suite struct CloseMatchesTests {
    static let commands = ["create", "get", "update", "list", "find", "assign", "erase"]

    @Test func theNearestSpellingsOnly() {
        #expect(CloseMatches.of("lst", among: Self.commands) == ["list"])
        #expect(CloseMatches.of("fnd", among: Self.commands) == ["find"])
        #expect(CloseMatches.of("vientaine", among: ["vientiane", "vientiane-2"]) == ["vientiane"])
        #expect(CloseMatches.of("zzzzzz", among: Self.commands).isEmpty)
    }

    @Test func caseIsIgnoredWhenComparing() {
        #expect(CloseMatches.of("OSSC-Vientiane", among: ["ossc-vientiane", "ossc-luang-prabang"]) == ["ossc-vientiane"])
        #expect(CloseMatches.of("Counsellor", among: ["counsellor", "court"]) == ["counsellor"])
    }

    @Test func aShortenedNameFindsTheLongerOnes() {
        let agencies = ["lwu-shelter-vientiane", "lwu-shelter-luang-prabang", "police-vientiane"]
        // The nearest in length: the one the shortening most likely stands for.
        #expect(CloseMatches.of("lwu-shelter", among: agencies) == ["lwu-shelter-vientiane"])
        #expect(CloseMatches.of("police-vientiane-unit", among: agencies) == ["police-vientiane"])
        // Two letters are too few to stand for a name.
        #expect(CloseMatches.of("lw", among: ["lwu-shelter-vientiane"]).isEmpty)
    }

    @Test func theQuestionIsEmptyWhenNothingIsClose() {
        #expect(CloseMatches.question("lst", among: Self.commands) == "did you mean list? ")
        #expect(CloseMatches.question("zzzzzz", among: Self.commands) == "")
    }
}
