import HavenCore
import HavenDesk

/// The language each person chose, remembered between sign-ins in `people/NAME.lang`: the
/// language's code and a newline. Not sensitive (it says only which of three languages a
/// desk user reads), so kept plain, written whole or not at all.
extension PeopleDirectory {
    func readLanguage(_ name: String) -> Language? {
        guard NameRules.isValid(name), let bytes = try? PeopleFiles.read(languagePath(name)) else { return nil }
        var text = bytes
        while text.last == UInt8(ascii: "\n") { text.removeLast() }
        return Language(rawValue: String(decoding: text, as: UTF8.self))
    }

    /// Remembers `language` for a person who has a key here.
    func writeLanguage(_ language: Language, for name: String) throws(HavenError) {
        let name = try Self.checkedName(name)
        guard PeopleFiles.exists(keyPath(name)) else {
            throw HavenError(.notFound, "no one named \(name) has a key at this desk")
        }
        try PeopleFiles.write(language.rawValue + "\n", to: languagePath(name), replace: true)
    }
}
