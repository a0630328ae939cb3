/// The pieces the read pages' tables are built of, so a row reads as its list of cells.
enum ReadTable {
    /// `<thead>` with one column header per title.
    static func head(_ titles: [String]) -> HTML {
        "<thead><tr>" + HTML.join(titles.map { HTML("<th scope=\"col\">\($0)</th>") }) + "</tr></thead>"
    }

    /// One `<td>` per cell.
    static func cells(_ cells: [HTML]) -> HTML {
        HTML.join(cells.map { HTML("<td>\($0)</td>") })
    }

    /// People's names in a cell, or a dash for none.
    static func names(_ names: [String]) -> String {
        names.isEmpty ? "—" : names.joined(separator: ", ")
    }
}
