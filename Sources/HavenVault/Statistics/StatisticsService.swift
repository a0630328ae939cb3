import Foundation
import HavenAPI
import HavenAudit
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStats
import HavenStore
import NIOCore
import Synchronization

/// Statistics (`vault.statistics`): anonymised counts of incidents, suppressed for
/// publication (HavenStats METHOD.md). It reads the sealed statistics rows and the state
/// ledger, never a field value and never the search index.
public final class StatisticsService: Sendable {
    let pipeline: RequestPipeline
    let keys: VaultKeys
    /// Whether a statistics query is running: it takes every core for seconds at a million
    /// records, so a second one waits for it to end (answered `busy`) rather than halve it.
    let running = Mutex(false)

    init(pipeline: RequestPipeline, keys: VaultKeys) {
        self.pipeline = pipeline
        self.keys = keys
    }

    /// `stats.read`: anonymised counts of incidents for one whole month, quarter or year of
    /// a calendar year that has ended, by a set of dimensions the policy allows (its
    /// `breakdowns`, or part of one, in any order). Every query of a year is answered from
    /// that year's one release (`StatisticsService+Release`): the first computes it from the
    /// records whose survivor's `statistics` consent is granted at that moment, every
    /// table of every allowed breakdown suppressed together (HavenStats METHOD.md), and stores
    /// it sealed; later ones read it back unchanged, whatever was withdrawn or erased since.
    /// The analyst receives no id, no date finer than a month and no free text. The work is
    /// done off the event loops, and the answer leaves only once its audit entry (who, which
    /// dimensions, which period, how many cells were hidden) is durable, after the
    /// publication's own entry when this query made the release.
    public func incidents(_ ctx: RequestContext, request: IncidentStatisticsRequest) -> EventLoopFuture<StatisticsReport> {
        var entry = pipeline.begin(Action.statsRead.rawValue, ctx)
        return pipeline.handle(ctx, &entry) { (entry) throws(HavenError) -> EventLoopFuture<StatisticsReport> in
            let policy = pipeline.policies.policy
            _ = try pipeline.authorize(ctx, &entry, .statsRead, under: policy)
            let dimensions: [StatisticsDimension]
            let period: ReportingPeriod
            do throws(IncidentRelease.Refusal) {
                dimensions = try IncidentRelease.dimensions(request.by)
            } catch {
                // A misspelt dimension is named with the one it was likely meant to be.
                let typo = request.by.first { StatisticsDimension(rawValue: $0) == nil }
                let question = typo.map { CloseMatches.question($0, among: StatisticsDimension.allCases.map(\.rawValue)) } ?? ""
                throw HavenError(.invalidValue, error.message, hint: question + error.hint)
            }
            do throws(ReportingPeriod.Refusal) {
                period = try ReportingPeriod.parse(from: request.from, to: request.to)
            } catch {
                throw HavenError(.invalidValue, error.message, hint: "a month (2025-03 to 2025-03), a quarter (2025-01 to 2025-03, or 2025-Q1 to 2025-Q1) or a year (2025-01 to 2025-12)")
            }
            entry.event.detail["dimensions"] = dimensions.map(\.rawValue).joined(separator: ",")
            entry.event.detail["period"] = period.description
            entry.event.detail["from"] = period.first.description
            entry.event.detail["to"] = period.last.description
            let now = pipeline.clock.now()
            // A year still running would be published again and again as it fills, each new
            // record's cell read off the difference: a year is published once, after it ends.
            guard let current = ReportingMonth(now.date), period.year < current.year else {
                throw HavenError(.invalidValue, "\(period) is in \(period.year), which has not ended; each year's statistics are"
                                 + " published once, after the year ends", hint: "ask for a period of \(period.year - 1) or earlier")
            }
            guard policy.statistics.breakdown(for: dimensions) != nil else {
                throw HavenError(.denied, "counting by \(dimensions.map(\.rawValue).joined(separator: ",")) is not among the"
                                 + " breakdowns the policy allows (policy/statistics.yaml)",
                                 hint: "ask for one of these, or part of one, in any order, with or without month: \(policy.statistics.described)")
            }
            guard running.withLock({ running in defer { running = true }; return !running }) else {
                throw HavenError(.busy, "another statistics query is running", hint: "try again in a few seconds")
            }
            let promise = ctx.eventLoop.makePromise(of: StatisticsReport.self)
            let pending = entry
            DispatchQueue.global().async {
                let outcome = Result { () throws(HavenError) -> (StatisticsReport, Publication?) in
                    try self.answer(period: period, dimensions: dimensions, policy: policy, now: now, actor: pending.event.actor)
                }
                ctx.eventLoop.execute {
                    switch outcome {
                    case .success(let (report, publication)):
                        var answered = pending.event
                        answered.detail["published_by"] = report.publishedBy
                        answered.detail["cells"] = String(report.rows.count)
                        answered.detail["small"] = String(report.suppressed.small)
                        answered.detail["complementary"] = String(report.suppressed.complementary)
                        let event = answered
                        // The release is this query's doing: through the bridge, its entry says so too.
                        let published = publication.map { p in
                            var p = p
                            ctx.origin.stamp(&p.event)
                            return self.publish(p, on: ctx.eventLoop).map { _ in () }
                        }
                            ?? ctx.eventLoop.makeSucceededVoidFuture()
                        // The next query waits until the release is stored, or it would compute the year again.
                        published.whenComplete { _ in self.running.withLock { $0 = false } }
                        promise.completeWith(published.flatMap {
                            self.pipeline.writer.audit(on: ctx.eventLoop, event).map { committed in
                                var answered = report
                                answered.auditSeq = committed.auditSeq
                                return answered
                            }
                        }.flatMapError { error in
                            self.pipeline.refuse(ctx, pending, error as? HavenError ?? .storeUnavailable)
                        })
                    case .failure(let error):
                        self.running.withLock { $0 = false }
                        promise.completeWith(self.pipeline.refuse(ctx, pending, error))
                    }
                }
            }
            return promise.futureResult
        }
    }

    /// The answer from the year's release: the stored one, else one computed now (returned
    /// with its publication, stored before the answer leaves).
    func answer(period: ReportingPeriod, dimensions: [StatisticsDimension], policy: Policy, now: Timestamp,
                actor: AuditEvent.Actor?) throws(HavenError) -> (StatisticsReport, Publication?) {
        var publication: Publication?
        let release: YearRelease
        if let stored = try storedRelease(period.year) {
            release = stored
        } else {
            (release, publication) = try computeRelease(period.year, policy: policy, now: now, actor: actor)
        }
        // The policy may have allowed this breakdown since the year was published: the
        // release is not computed again for it.
        let asked = Set(dimensions).subtracting([.month])
        guard release.breakdowns.contains(where: { asked.isSubset(of: $0) }) else {
            throw HavenError(.conflict, "the statistics of \(period.year) were published before the policy allowed counting by"
                             + " \(dimensions.map(\.rawValue).joined(separator: ",")); the year's release is frozen and has no such table",
                             hint: "ask for one of the breakdowns it holds, or part of one: "
                                 + release.breakdowns.map { $0.map(\.rawValue).joined(separator: ",") }.joined(separator: "; "))
        }
        var report: StatisticsReport
        do throws(IncidentRelease.Refusal) {
            report = try IncidentRelease.answer(period: period, dimensions: dimensions, from: release)
        } catch {
            throw HavenError(.invalidValue, error.message, hint: error.hint)
        }
        report.relabel(StatisticsCategories.of(policy, agenciesSeen: []))
        report.warnings += publication?.warnings ?? []
        return (report, publication)
    }
}
