/// Every request's latency in one run, in nanoseconds, and the percentiles of them.
struct Latencies {
    private(set) var samples: [UInt64] = []
    private var sorted = true

    mutating func add(_ other: [UInt64]) {
        samples += other
        sorted = false
    }

    var count: Int { samples.count }

    /// The p-th percentile (0...100), nearest rank, in milliseconds.
    mutating func percentile(_ p: Double) -> Double {
        guard !samples.isEmpty else { return 0 }
        if !sorted {
            samples.sort()
            sorted = true
        }
        let rank = Int((p / 100 * Double(samples.count)).rounded(.up))
        return Double(samples[min(max(rank, 1), samples.count) - 1]) / 1e6
    }
}
