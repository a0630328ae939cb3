/// How one cell of a published table is shown.
public enum CellStatus: Sendable, Equatable {
    /// Its count, zero included (a zero names nobody).
    case published
    /// A count from 1 to k−1, shown as `<k`: few enough to point at a person.
    case small
    /// A larger count hidden so that no small one can be worked out from the totals
    /// (complementary suppression), shown as `x`.
    case complementary

    public var isSuppressed: Bool { self != .published }
}
