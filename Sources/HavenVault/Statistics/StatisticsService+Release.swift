import HavenAudit
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStats
import HavenStore
import NIOCore

/// A year's statistics release: computed once, by the first query of the year once it has
/// ended, sealed and stored with its publication's audit entry in one transaction, and read
/// back unchanged by every later query of that year.
///
/// Invariant: a year is published at most once. A stored release that does not open (edited,
/// moved from another year or vault) or whose row has gone while the log records its
/// publication is `integrity_error`, never numbers and never a second computation: a second
/// release of a year, after withdrawals or erasures, would give away by its difference the
/// survivors who left.
extension StatisticsService {
    /// A release this query computed, and what its publication entry says.
    struct Publication {
        let stored: StoredRelease
        var event: AuditEvent
        let warnings: [String]
    }

    /// The release of `year` as stored, opened and checked; nil when the year has no release
    /// and the log records none.
    func storedRelease(_ year: Int) throws(HavenError) -> YearRelease? {
        let found = try pipeline.readSnapshot { (view) throws(HavenError) -> (StoredRelease?, [(seq: UInt64, entry: [UInt8])]) in
            try storeCall(pipeline.logger) {
                let row = try StatisticsReleaseTable.get(year: year, on: view.db)
                return (row, row == nil ? try StatisticsReleaseTable.publications(on: view.db) : [])
            }
        }
        guard let stored = found.0 else {
            for (seq, bytes) in found.1 {
                guard let entry = try? AuditEntry(canonicalBytes: bytes), entry.event.detail["year"] == String(year) else { continue }
                throw Self.damaged(year, "its row in table statistics_releases is gone, but audit entry \(seq) records its"
                                   + " publication (deleted outside Haven)")
            }
            return nil
        }
        let bytes: [UInt8]
        do {
            bytes = try keys.releases.open(stored.sealed, year: year)
        } catch {
            throw Self.damaged(year, "its row in table statistics_releases does not open (edited outside Haven, or moved from"
                               + " another year or vault)")
        }
        // The box binds the year; a release that opens yet says another year is refused all the same.
        guard let release = try? YearRelease(decoding: bytes), release.year == year else {
            throw Self.damaged(year, "its row in table statistics_releases opens but is not a release of \(year)")
        }
        return release
    }

    /// Counts `year` as it stands now and builds its release over every breakdown the policy
    /// allows, sealed for the store; it is stored by the publication's write.
    func computeRelease(_ year: Int, policy: Policy, now: Timestamp, actor: AuditEvent.Actor?) throws(HavenError) -> (YearRelease, Publication) {
        let counted = try countYear(year, now: now)
        let release: YearRelease
        do throws(IncidentRelease.Refusal) {
            release = try IncidentRelease.release(year: year, counts: counted.counts, breakdowns: policy.statistics.breakdowns,
                                                  categories: StatisticsCategories.of(policy, agenciesSeen: counted.agencies),
                                                  threshold: policy.statistics.threshold)
        } catch {
            throw HavenError(.invalidValue, error.message, hint: error.hint)
        }
        var warnings = [String]()
        if counted.notCounted > 0 {
            pipeline.logger.error("records left out of statistics", metadata: ["count": "\(counted.notCounted)"])
            warnings.append("\(counted.notCounted) records could not be counted in the release of \(year): their statistics are not"
                            + " in their latest audited state; an auditor finds them named in the release's audit entry")
        }
        var small = 0, complementary = 0
        for table in release.tables {
            for cell in table.cells {
                if cell.status == .small { small += 1 } else if cell.status == .complementary { complementary += 1 }
            }
        }
        var detail = ["year": String(year), "breakdowns": policy.statistics.described, "threshold": String(release.threshold),
                      "published_by": release.publishedBy, "tables": String(release.tables.count),
                      "small": String(small), "complementary": String(complementary)]
        if !counted.findings.isEmpty { detail["integrity"] = counted.findings.joined(separator: "; ") }
        let event = AuditEvent(action: StatisticsReleaseTable.publicationAction, actor: actor, decision: .allow,
                               rule: "the release of \(year), computed once by its first query and frozen", detail: detail)
        let stored = StoredRelease(year: year, publishedAt: now, sealed: keys.releases.seal(release.encoded(), year: year))
        return (release, Publication(stored: stored, event: event, warnings: warnings))
    }

    /// Stores a computed release with its audit entry, in one transaction. A release of the
    /// year already stored (which one daemon's single statistics query at a time rules out)
    /// fails the insert: the first stays.
    func publish(_ publication: Publication, on eventLoop: any EventLoop) -> EventLoopFuture<Committed<Void>> {
        let logger = pipeline.logger
        return pipeline.writer.submit(on: eventLoop) { [pipeline] tx in
            do throws(HavenError) {
                // A release the anchor does not cover could be rolled back and computed again.
                try pipeline.writer.anchorKeeper?.admit(on: tx.db)
            } catch {
                var refused = publication.event
                refused.decision = .error
                refused.outcome = error.code.rawValue
                return (.failure(error), refused)
            }
            do {
                try StatisticsReleaseTable.insert(publication.stored, on: tx.db)
                return (.success(()), publication.event)
            } catch {
                logger.error("statistics release not stored", metadata: ["error": "\(error)"])
                var failed = publication.event
                failed.decision = .error
                failed.outcome = HavenError.storeUnavailable.code.rawValue
                return (.failure(.storeUnavailable), failed)
            }
        }
    }

    static func damaged(_ year: Int, _ finding: String) -> HavenError {
        HavenError(.integrityError, "the statistics release of \(year) fails its check: \(finding); nothing is answered from it",
                   hint: "an administrator restores the data directory from a backup; the year is never computed again")
    }
}
