import Foundation

/// A language the desk speaks. English is the source language of every word; Lao and
/// Vietnamese come from the .po files under `Translations/`.
public enum Language: String, Sendable, CaseIterable, Equatable {
    case en
    case lo
    case vi

    /// The language's name in itself, as the language menu shows it.
    public var nativeName: String {
        switch self {
        case .en: return "English"
        case .lo: return "ພາສາລາວ"
        case .vi: return "Tiếng Việt"
        }
    }

    /// The first of `Accept-Language`'s languages the desk speaks, else English.
    public static func preferred(acceptLanguage: String?) -> Language {
        for part in (acceptLanguage ?? "").split(separator: ",") {
            let tag = part.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
            let primary = tag.split(separator: "-").first.map(String.init) ?? ""
            if let language = Language(rawValue: primary) { return language }
        }
        return .en
    }
}
