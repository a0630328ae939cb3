extension SearchForm {
    /// The most forms `looseNamesWithEachTitle` gives: one per listed title (17 Lao, 10
    /// Vietnamese). A bound on the digests one audit question looks for, so that a longer
    /// title list cannot make every question a slow scan unnoticed.
    public static let maximumFormerTitledForms = 32

    /// For a name asked without a title, the forms a find made before titles were dropped
    /// (search index format 2) would have kept had it been typed with one of the titles
    /// `NameTitles` drops: `looseNameWithTitles` of each title, a space and the name, and of
    /// each title joined to it (format 2 removes spaces, so both give one form). Only titles
    /// today's form would drop before this name: a Vietnamese form of address only before a
    /// name of at least two words. Empty when the name has a title of its own (the form with
    /// it is then `looseNameWithTitles(text)`) or no search form.
    public static func looseNamesWithEachTitle(_ text: String) -> [String] {
        guard let bare = looseName(text), looseNameWithTitles(text) == bare else { return [] }
        let vietnamese = words(text).count >= NameTitles.vietnameseWordsAfter
            ? NameTitles.vietnamese.sorted() : []
        var forms = [String]()
        for title in NameTitles.laoWritten + vietnamese {
            for typed in [title + " " + text, title + text] {
                // Only where today's form of the titled name is the name's own: the old find
                // was for this name, not for one that merely begins with the title.
                guard looseName(typed) == bare, let form = looseNameWithTitles(typed),
                      form != bare, !forms.contains(form) else { continue }
                forms.append(form)
            }
        }
        return Array(forms.prefix(maximumFormerTitledForms))
    }
}
