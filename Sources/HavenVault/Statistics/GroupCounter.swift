import Glibc

/// Counts records by their encoded group (month and dimension values) as a query scans a
/// million of them: a group already seen costs one hash and one comparison of its bytes,
/// no allocation. Distinct groups are few (thousands), records many.
struct GroupCounter {
    /// Each group's bytes: its month (1 to 12), then the dimensions' encoding.
    private(set) var groups: [[UInt8]] = []
    private(set) var counts: [Int] = []
    private var slots: [Int: [Int]] = [:]

    mutating func add(month: UInt8, values: UnsafeRawBufferPointer, count: Int = 1) {
        var hasher = Hasher()
        hasher.combine(month)
        hasher.combine(bytes: values)
        let hash = hasher.finalize()
        if let candidates = slots[hash] {
            for i in candidates where same(groups[i], month, values) {
                counts[i] += count
                return
            }
        }
        var group = [UInt8]()
        group.reserveCapacity(values.count + 1)
        group.append(month)
        group.append(contentsOf: values)
        groups.append(group)
        counts.append(count)
        slots[hash, default: []].append(groups.count - 1)
    }

    mutating func merge(_ other: GroupCounter) {
        for (group, n) in zip(other.groups, other.counts) {
            group.withUnsafeBytes { b in add(month: group[0], values: UnsafeRawBufferPointer(rebasing: b.dropFirst()), count: n) }
        }
    }

    private func same(_ group: [UInt8], _ month: UInt8, _ values: UnsafeRawBufferPointer) -> Bool {
        guard group.count == values.count + 1, group[0] == month else { return false }
        return values.isEmpty || group.withUnsafeBytes { g in memcmp(g.baseAddress! + 1, values.baseAddress!, values.count) == 0 }
    }
}
