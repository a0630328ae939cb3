import HavenCore

/// What one part of the id space gave a statistics query.
struct StatisticsScan: Sendable {
    var groups = GroupCounter()
    var findings = [String]()
    var notCounted = 0

    /// Parts read at once, more than the cores: a cold query waits on the disk for almost
    /// every page, and each part has one read in flight at a time. On the machine of the
    /// README's figures, reading a million records' rows alone (no opening) with the page
    /// cache dropped took 3.7 s as one part, 2.3 s as two, 1.6 s as four and 1.1 s as
    /// eight; whole queries, cold, 4.4 s as two parts, 2.9 s as four and 2.6 s as eight,
    /// but eight threads on two cores made warm queries slower (1.1–1.3 s against 0.9 s).
    static let readers = 4

    /// The id space cut into `n` ranges by the id's first character (base32: '2'-'7', 'a'-'z').
    static func parts(_ n: Int) -> [Range<String>] {
        let alphabet = Array("234567abcdefghijklmnopqrstuvwxyz")
        let count = min(max(n, 1), 8)
        // "{" sorts after every id.
        let bounds = (0...count).map { i in i == count ? "{" : (i == 0 ? "" : String(alphabet[alphabet.count * i / count])) }
        return (0..<count).map { bounds[$0]..<bounds[$0 + 1] }
    }
}
