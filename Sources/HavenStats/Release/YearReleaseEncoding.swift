/// The canonical bytes of a `YearRelease` (FORMAT.md beside this module): what the vault
/// signs and stores. One release has one encoding, and decoding refuses any other, so a
/// signature over the bytes is a signature over what was published.
extension YearRelease {
    static let format: UInt8 = 1
    static let granularities = ["month", "quarter", "year"]

    /// The periods (0–16) a granularity publishes: months, quarters, then the year.
    static func periods(_ publishedBy: String) -> [Int] {
        switch publishedBy {
        case "month": return Array(0...16)
        case "quarter": return Array(12...16)
        default: return [16]
        }
    }

    public func encoded() -> [UInt8] {
        var out = ReleaseBytes()
        out.byte(Self.format)
        out.u16(year)
        out.u16(threshold)
        out.byte(UInt8(Self.granularities.firstIndex(of: publishedBy)!))
        out.byte(UInt8(breakdowns.count))
        for b in breakdowns { out.dimensions(b) }
        let dims = StatisticsDimension.canonical(Array(categories.keys))
        out.byte(UInt8(dims.count))
        for d in dims {
            out.byte(UInt8(d.order))
            out.u16(categories[d]!.count)
            for c in categories[d]! {
                out.string(c.code)
                out.string(c.en)
                out.byte((c.lo == nil ? 0 : 1) | (c.vi == nil ? 0 : 2))
                if let lo = c.lo { out.string(lo) }
                if let vi = c.vi { out.string(vi) }
            }
        }
        out.u16(tables.count)
        for t in tables {
            out.byte(UInt8(t.period))
            out.dimensions(t.dimensions)
            out.u32(t.cells.count)
            for cell in t.cells {
                switch cell.status {
                case .published:
                    out.byte(0)
                    out.u32(cell.count!)
                case .small: out.byte(1)
                case .complementary: out.byte(2)
                }
            }
        }
        return out.bytes
    }

    public init(decoding bytes: [UInt8]) throws(IncidentRelease.Refusal) {
        var r = ReleaseReader(bytes)
        guard try r.byte() == Self.format else { throw ReleaseReader.damaged }
        let year = try r.u16()
        let threshold = try r.u16()
        let g = Int(try r.byte())
        guard g < Self.granularities.count, threshold >= 2 else { throw ReleaseReader.damaged }
        var breakdowns = [[StatisticsDimension]]()
        for _ in 0..<(try r.byte()) { breakdowns.append(try r.dimensions()) }
        guard !breakdowns.isEmpty, breakdowns.allSatisfy({ !$0.isEmpty && !$0.contains(.month) }),
              zip(breakdowns, breakdowns.dropFirst()).allSatisfy({ $0.map(\.order).lexicographicallyPrecedes($1.map(\.order)) })
        else { throw ReleaseReader.damaged }
        var categories = [StatisticsDimension: [Category]]()
        var previous = -1
        for _ in 0..<(try r.byte()) {
            let order = Int(try r.byte())
            guard order > previous, order < StatisticsDimension.allCases.count else { throw ReleaseReader.damaged }
            previous = order
            var values = [Category]()
            for _ in 0..<(try r.u16()) {
                let code = try r.string(), en = try r.string()
                let flags = try r.byte()
                guard flags < 4 else { throw ReleaseReader.damaged }
                let lo = flags & 1 != 0 ? try r.string() : nil
                let vi = flags & 2 != 0 ? try r.string() : nil
                values.append(Category(code: code, en: en, lo: lo, vi: vi))
            }
            categories[StatisticsDimension.allCases[order]] = values
        }
        guard Set(categories.keys) == Set(breakdowns.joined()) else { throw ReleaseReader.damaged }
        let sets = Self.sets(of: breakdowns)
        var tables = [Table]()
        guard try r.u16() == sets.count * Self.periods(Self.granularities[g]).count else { throw ReleaseReader.damaged }
        for period in Self.periods(Self.granularities[g]) {
            for set in sets {
                guard try r.byte() == period, try r.dimensions() == set else { throw ReleaseReader.damaged }
                let n = set.reduce(1) { $0 * categories[$1]!.count }
                guard try r.u32() == n else { throw ReleaseReader.damaged }
                var cells = [PublishedCell]()
                cells.reserveCapacity(n)
                for _ in 0..<n {
                    switch try r.byte() {
                    case 0: cells.append(PublishedCell(status: .published, count: try r.u32()))
                    case 1: cells.append(PublishedCell(status: .small, count: nil))
                    case 2: cells.append(PublishedCell(status: .complementary, count: nil))
                    default: throw ReleaseReader.damaged
                    }
                }
                tables.append(Table(period: period, dimensions: set, cells: cells))
            }
        }
        guard r.atEnd else { throw ReleaseReader.damaged }
        self.init(year: year, threshold: threshold, publishedBy: Self.granularities[g], breakdowns: breakdowns,
                  categories: categories, tables: tables)
    }
}

/// Big-endian integers, u16-length strings, dimension lists.
struct ReleaseBytes {
    var bytes = [UInt8]()

    mutating func byte(_ b: UInt8) { bytes.append(b) }
    mutating func u16(_ v: Int) {
        precondition(v >= 0 && v <= 0xFFFF)
        bytes += [UInt8(v >> 8), UInt8(v & 0xFF)]
    }
    mutating func u32(_ v: Int) {
        precondition(v >= 0 && v <= 0xFFFF_FFFF)
        bytes += [UInt8(v >> 24), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)]
    }
    mutating func string(_ s: String) {
        u16(s.utf8.count)
        bytes += Array(s.utf8)
    }
    mutating func dimensions(_ ds: [StatisticsDimension]) {
        byte(UInt8(ds.count))
        for d in ds { byte(UInt8(d.order)) }
    }
}

/// Reads what `ReleaseBytes` wrote; anything else is damage.
struct ReleaseReader {
    static let damaged = IncidentRelease.Refusal(message: "the stored statistics release is damaged",
                                                 hint: "the release must be computed again from the records")
    let bytes: [UInt8]
    var at = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { at == bytes.count }

    mutating func byte() throws(IncidentRelease.Refusal) -> UInt8 {
        guard at < bytes.count else { throw Self.damaged }
        at += 1
        return bytes[at - 1]
    }
    mutating func u16() throws(IncidentRelease.Refusal) -> Int { Int(try byte()) << 8 | Int(try byte()) }
    mutating func u32() throws(IncidentRelease.Refusal) -> Int { try u16() << 16 | (try u16()) }
    mutating func string() throws(IncidentRelease.Refusal) -> String {
        let n = try u16()
        guard bytes.count - at >= n, let s = String(validating: bytes[at..<(at + n)], as: UTF8.self) else { throw Self.damaged }
        at += n
        return s
    }
    /// A list in strictly canonical order, no `.month`.
    mutating func dimensions() throws(IncidentRelease.Refusal) -> [StatisticsDimension] {
        var out = [StatisticsDimension]()
        for _ in 0..<(try byte()) {
            let order = Int(try byte())
            guard order > 0, order < StatisticsDimension.allCases.count, out.last.map({ $0.order < order }) ?? true else {
                throw Self.damaged
            }
            out.append(StatisticsDimension.allCases[order])
        }
        return out
    }
}
