import Yams

extension YAMLReader {
    /// A label: a plain string (English only, as before labels had languages) or a mapping
    /// `{en: …, lo: …, vi: …}`. An unknown language key is an error, as any unknown key is;
    /// `english` stands in for a missing `en` where the English is given elsewhere (a
    /// group's name).
    func label(_ node: Node, what: String, english: String? = nil) throws(PolicyError) -> LocalizedLabel {
        if case .scalar = node {
            let en = try string(node, what: what)
            guard !en.isEmpty else { throw fail(node, "\(what) must not be empty") }
            return LocalizedLabel(en: en)
        }
        guard case .mapping = node else { throw fail(node, "\(what) must be a label or {en: …, lo: …, vi: …}") }
        var texts = [String: String]()
        for (key, keyNode, value) in try anyMapping(node, what: what) {
            guard LocalizedLabel.languages.contains(key) else {
                throw fail(keyNode, "unknown language '\(key)' in \(what) (expected one of: \(LocalizedLabel.languages.joined(separator: ", ")))")
            }
            let text = try string(value, what: "\(what), \(key)")
            guard !text.trimmingSpaces.isEmpty else { throw fail(value, "\(what), \(key) must not be empty") }
            texts[key] = text
        }
        guard let en = texts["en"] ?? english else { throw fail(node, "\(what) is missing 'en' (English)") }
        return LocalizedLabel(en: en, lo: texts["lo"], vi: texts["vi"])
    }

    /// The warning for a label that lacks Lao or Vietnamese (shown in English in their place).
    func untranslated(_ node: Node, _ label: LocalizedLabel, what: String) -> PolicyError? {
        let missing = [label.lo == nil ? "lo" : nil, label.vi == nil ? "vi" : nil].compactMap { $0 }
        guard !missing.isEmpty else { return nil }
        return fail(node, "\(what) has no \(missing.joined(separator: ", ")) label (shown in English)")
    }
}

extension String {
    var trimmingSpaces: Substring {
        var s = Substring(self)
        while s.first?.isWhitespace == true { s = s.dropFirst() }
        while s.last?.isWhitespace == true { s = s.dropLast() }
        return s
    }
}
