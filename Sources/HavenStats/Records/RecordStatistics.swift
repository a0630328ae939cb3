/// What one record contributes to statistics: the month it was reported in, its value for
/// each dimension, whether it was already reported by another agency, and its `statistics`
/// consent. Sealed per record under a key of its own (HavenStore FORMAT.md, "statistics"),
/// so a query opens a few dozen bytes per record instead of its header and fields.
public struct RecordStatistics: Sendable, Equatable {
    public var month: ReportingMonth
    public var consent: Bool
    /// When the statistics consent lapses, in milliseconds since the epoch; nil: it does not.
    public var consentExpires: Int64?
    /// Counted by the agency that first took the report (GBVIMS), not again here.
    public var reportedElsewhere: Bool
    /// A code per dimension in `StatisticsDimension.recorded`; absent: not recorded.
    public var values: [StatisticsDimension: String]

    public init(month: ReportingMonth, consent: Bool, consentExpires: Int64?, reportedElsewhere: Bool,
                values: [StatisticsDimension: String]) {
        self.month = month
        self.consent = consent
        self.consentExpires = consentExpires
        self.reportedElsewhere = reportedElsewhere
        self.values = values
    }

    /// Whether a query at `now` (milliseconds) counts it.
    public func isCounted(at now: Int64) -> Bool {
        consent && !reportedElsewhere && (consentExpires.map { $0 > now } ?? true)
    }

    // Format 1: version, flags (1: consent, 2: reported elsewhere), the consent's expiry
    // (big-endian milliseconds, 0: none), the month's index (big-endian u16), then each
    // recorded dimension in `recorded` order as a length byte and UTF-8 code.
    static let format: UInt8 = 1
    /// Where the dimensions start: what a query groups by.
    public static let valuesOffset = 12

    public func encoded() -> [UInt8] {
        var out: [UInt8] = [Self.format, (consent ? 1 : 0) | (reportedElsewhere ? 2 : 0)]
        let expiry = UInt64(bitPattern: consentExpires ?? 0)
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: expiry >> UInt64(shift))) }
        out.append(UInt8(month.index >> 8))
        out.append(UInt8(month.index & 0xFF))
        for d in StatisticsDimension.recorded {
            let code = Array((values[d] ?? "").utf8.prefix(255))
            out.append(UInt8(code.count))
            out.append(contentsOf: code)
        }
        return out
    }

    /// What a query needs before it groups: whether the record counts, and its month.
    public struct Head: Equatable {
        public let counted: Bool
        public let month: Int
    }

    /// Reads the head of an encoding in place (no copy, no String): a query reads a million.
    public static func head(_ b: UnsafeRawBufferPointer, at now: Int64) -> Head? {
        guard b.count >= valuesOffset, b[0] == format else { return nil }
        var expiry: UInt64 = 0
        for i in 2..<10 { expiry = expiry << 8 | UInt64(b[i]) }
        let flags = b[1]
        let expires = Int64(bitPattern: expiry)
        let counted = flags & 1 != 0 && flags & 2 == 0 && (expires == 0 || expires > now)
        return Head(counted: counted, month: Int(b[10]) << 8 | Int(b[11]))
    }

    /// The dimensions' codes of an encoding's tail (from `valuesOffset`), in `recorded` order.
    public static func values(_ tail: some Collection<UInt8>) -> [StatisticsDimension: String]? {
        var out = [StatisticsDimension: String]()
        var i = tail.startIndex
        for d in StatisticsDimension.recorded {
            guard i != tail.endIndex else { return nil }
            let n = Int(tail[i])
            i = tail.index(after: i)
            guard tail.distance(from: i, to: tail.endIndex) >= n else { return nil }
            let end = tail.index(i, offsetBy: n)
            guard let code = String(validating: tail[i..<end], as: UTF8.self) else { return nil }
            if !code.isEmpty { out[d] = code }
            i = end
        }
        return i == tail.endIndex ? out : nil
    }

    public init?(decoding bytes: [UInt8]) {
        let head = bytes.withUnsafeBytes { Self.head($0, at: 0) }
        guard let head, let month = ReportingMonth(index: head.month),
              let values = Self.values(bytes[Self.valuesOffset...]) else { return nil }
        var expiry: UInt64 = 0
        for i in 2..<10 { expiry = expiry << 8 | UInt64(bytes[i]) }
        self.init(month: month, consent: bytes[1] & 1 != 0, consentExpires: expiry == 0 ? nil : Int64(bitPattern: expiry),
                  reportedElsewhere: bytes[1] & 2 != 0, values: values)
    }
}
