import HavenAudit

/// How far apart the daemon's signed checkpoints can be, and the check that they are.
///
/// The writer signs a checkpoint in the commit that brings the log 1,000 entries (by
/// default) past the last one, and a commit holds at most one group of jobs (512), so no
/// run of the log longer than their sum is ever left unsigned — not between two
/// checkpoints, not after a crash (a restart signs one at once). A longer run means
/// checkpoints were deleted, or entries were added by someone who could not sign.
struct CheckpointCadence {
    /// The longest run of entries that may follow a signed checkpoint unsigned.
    let maximumUnsigned: UInt64

    init(_ configuration: WriteQueue.Configuration) {
        maximumUnsigned = configuration.checkpointEveryEntries + UInt64(configuration.maximumBatch)
    }

    /// The problems in a log of `size` entries whose signed checkpoints (verified, and
    /// matching the log) have `sizes`: each run longer than the cadence allows.
    func problems(size: UInt64, signedSizes sizes: [UInt64]) -> [String] {
        var out = [String]()
        var previous: UInt64 = 0
        for s in Set(sizes.filter { $0 <= size }).sorted() + [size] where s > previous {
            if s - previous > maximumUnsigned {
                if s == size && !sizes.contains(size) {
                    out.append("the last \(s - previous) entries (seq \(previous)..\(s - 1)) are covered by no signed checkpoint, "
                               + "more than the \(maximumUnsigned) a crash can leave: checkpoints were deleted, or entries were "
                               + "added without the vault's key")
                } else {
                    out.append("seq \(previous)..\(s - 1): \(s - previous) entries between signed checkpoints, more than the "
                               + "\(maximumUnsigned) the daemon ever leaves: checkpoints were deleted")
                }
            }
            previous = s
        }
        return out
    }
}
