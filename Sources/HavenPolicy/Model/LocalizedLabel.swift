/// A label as people read it, in English and, where the policy gives them, Lao and
/// Vietnamese (policy/README.md, "Labels"). English is always there: a missing
/// translation is shown in English, never as a blank.
public struct LocalizedLabel: Sendable, Equatable {
    /// The languages a label may be given in, as `label:` maps and `--lang` name them.
    public static let languages = ["en", "lo", "vi"]

    public let en: String
    public let lo: String?
    public let vi: String?

    public init(en: String, lo: String? = nil, vi: String? = nil) {
        self.en = en
        self.lo = lo
        self.vi = vi
    }

    /// A code as a fallback label: `intimate_partner` reads "intimate partner".
    public init(code: String) {
        self.init(en: code.split(separator: "_").joined(separator: " "))
    }

    /// Whether it has all three languages.
    public var isComplete: Bool { lo != nil && vi != nil }

    /// The label in `language` (`en`, `lo`, `vi`), else English.
    public func text(_ language: String) -> String {
        switch language {
        case "lo": return lo ?? en
        case "vi": return vi ?? en
        default: return en
        }
    }
}

/// The labels of `policy/labels.yaml`: intake-form groups by their English name, choice
/// values by code, and record types by name. One file a translator can work through, and
/// the one the reports and the browser desk read.
public struct PolicyLabels: Sendable, Equatable {
    public var groups: [String: LocalizedLabel] = [:]
    public var values: [String: LocalizedLabel] = [:]
    public var recordTypes: [String: LocalizedLabel] = [:]

    public init(groups: [String: LocalizedLabel] = [:], values: [String: LocalizedLabel] = [:],
                recordTypes: [String: LocalizedLabel] = [:]) {
        self.groups = groups
        self.values = values
        self.recordTypes = recordTypes
    }

    /// A choice value's label; the code made readable when the file gives none.
    public func value(_ code: String) -> LocalizedLabel {
        values[code] ?? LocalizedLabel(code: code)
    }

    /// A group's label; the English name alone when the file gives none.
    public func group(_ name: String) -> LocalizedLabel {
        groups[name] ?? LocalizedLabel(en: name)
    }

    /// A record type's label; its name made readable when the file gives none.
    public func recordType(_ name: String) -> LocalizedLabel {
        recordTypes[name] ?? LocalizedLabel(code: name)
    }
}
