import HavenCrypto
import HavenSearch
@testable import HavenVault
import Testing

/// `haven audit searches --name` asked without a title finds a find made before index
/// format 3 with one: the digests it looks for include the one such a find kept.
@Suite struct FormerNameDigestsTests {
    let digest = SearchDigest(signingKey: SigningKey.generate())

    /// The digest a format-2 find kept: of the loose form with the title, spaces removed.
    func recorded(_ typed: String) -> String {
        digest.digest(kind: "name", form: SearchForm.looseNameWithTitles(typed)!)
    }

    func asked(_ name: String) -> (withTitle: String?, withEachTitle: [String]) {
        AuditService.formerNameDigests(name, form: SearchForm.looseName(name)!, digest: digest)
    }

    @Test func aNameAskedWithoutItsTitleLooksForTheFindsMadeWithOne() {
        let vietnamese = asked("Nguyễn Thị Lan")
        #expect(vietnamese.withTitle == nil)
        for typed in ["Chị Nguyễn Thị Lan", "chi nguyen thi lan", "Bà Nguyễn Thị Lan", "Ông Nguyễn Thị Lan"] {
            #expect(vietnamese.withEachTitle.contains(recorded(typed)), "\(typed)")
        }
        let lao = asked("ສົມພອນ")
        for typed in ["ນາງ ສົມພອນ", "ນາງສົມພອນ", "ທ້າວ ສົມພອນ", "ທ່ານນາງ ສົມພອນ", "ນ. ສົມພອນ"] {
            #expect(lao.withEachTitle.contains(recorded(typed)), "\(typed)")
        }
        // Never the name's own digest again, and within the documented bound.
        #expect(!lao.withEachTitle.contains(recorded("ສົມພອນ")))
        #expect(lao.withEachTitle.count <= SearchForm.maximumFormerTitledForms)
        #expect(Set(vietnamese.withEachTitle).count == vietnamese.withEachTitle.count)
    }

    @Test func aNameAskedWithItsTitleLooksForThatFormOnly() {
        let titled = asked("Chị Nguyễn Thị Lan")
        #expect(titled.withTitle == recorded("Chị Nguyễn Thị Lan") && titled.withEachTitle.isEmpty)
    }

    /// A one-word Vietnamese name keeps a form of address before it (`Chị Lan` stays
    /// `chilan`), so asking `Lan` looks for no Vietnamese title: that find was for `Chị Lan`.
    @Test func aFormOfAddressIsAddedOnlyWhereTodaysFormWouldDropIt() {
        let one = asked("Lan").withEachTitle
        #expect(!one.contains(recorded("Chị Lan")))
    }
}
