import Foundation
import HavenAPI
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

    /// `stats.read`: anonymised counts of incidents for one whole month, quarter or year
    /// that has ended, by the dimensions asked for. Only records whose survivor's
    /// `statistics` consent is granted at this moment are counted, each once; what is
    /// published is the year's release for that breakdown, small cells suppressed across its
    /// months, quarters and year (HavenStats METHOD.md). The analyst receives no id, no
    /// date finer than a month and no free text. The query is computed off the event loops
    /// and answered only once its audit entry (who, which dimensions, which period, how many
    /// cells were hidden) is durable.
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
                throw HavenError(.invalidValue, error.message, hint: error.hint)
            }
            do throws(ReportingPeriod.Refusal) {
                period = try ReportingPeriod.parse(from: request.from, to: request.to)
            } catch {
                throw HavenError(.invalidValue, error.message, hint: "a month (2025-03 to 2025-03), a quarter (2025-01 to 2025-03) or a year (2025-01 to 2025-12)")
            }
            entry.event.detail["dimensions"] = dimensions.map(\.rawValue).joined(separator: ",")
            entry.event.detail["period"] = period.description
            entry.event.detail["from"] = period.first.description
            entry.event.detail["to"] = period.last.description
            let now = pipeline.clock.now()
            // A period still running would be published again and again as it fills: each new
            // record's cell could be read off the difference. Only ended periods are published.
            guard let current = ReportingMonth(now.date), period.last < current else {
                throw HavenError(.invalidValue, "\(period) has not ended; statistics are published for whole periods that have ended",
                                 hint: "ask for a period that ends before this month")
            }
            guard running.withLock({ running in defer { running = true }; return !running }) else {
                throw HavenError(.busy, "another statistics query is running", hint: "try again in a few seconds")
            }
            let promise = ctx.eventLoop.makePromise(of: StatisticsReport.self)
            let pending = entry
            DispatchQueue.global().async {
                let outcome = Result { () throws(HavenError) -> (StatisticsReport, [String]) in
                    try self.countIncidents(period: period, dimensions: dimensions, policy: policy, now: now)
                }
                self.running.withLock { $0 = false }
                ctx.eventLoop.execute {
                    switch outcome {
                    case .success(let (report, findings)):
                        var event = pending.event
                        event.detail["published_by"] = report.publishedBy
                        event.detail["cells"] = String(report.rows.count)
                        event.detail["small"] = String(report.suppressed.small)
                        event.detail["complementary"] = String(report.suppressed.complementary)
                        if !findings.isEmpty { event.detail["integrity"] = findings.joined(separator: "; ") }
                        promise.completeWith(self.pipeline.writer.audit(on: ctx.eventLoop, event).map { committed in
                            var answered = report
                            answered.auditSeq = committed.auditSeq
                            return answered
                        })
                    case .failure(let error):
                        promise.completeWith(self.pipeline.refuse(ctx, pending, error))
                    }
                }
            }
            return promise.futureResult
        }
    }

    /// Reads every record's sealed statistics, keeps those that are the record's latest
    /// audited state, counted now, and of the period's year, and answers from them. Findings
    /// name the records left out and why (never a value). The id space is split between
    /// `StatisticsScan.readers` parts, each read on a thread and in a snapshot of its own: a
    /// record is counted once, as the latest state its part's snapshot holds.
    func countIncidents(period: ReportingPeriod, dimensions: [StatisticsDimension], policy: Policy,
                        now: Timestamp) throws(HavenError) -> (StatisticsReport, [String]) {
        let parts = StatisticsScan.parts(StatisticsScan.readers)
        let results = ParallelParts.run(parts.count, threadName: { "haven-stats-\($0)" }) {
            [self] (i) throws(HavenError) -> StatisticsScan in
            try scanStatistics(parts[i], year: period.year, now: now.millisecondsSinceEpoch)
        }
        var groups = GroupCounter()
        var findings = [String]()
        var notCounted = 0
        for r in results {
            let part = try r.get()
            groups.merge(part.groups)
            findings += part.findings
            notCounted += part.notCounted
        }
        if findings.count > 20 { findings = Array(findings.prefix(20)) + ["and \(findings.count - 20) more"] }
        var counts = IncidentCounts(year: period.year)
        var agencies = Set<String>()
        for (group, n) in zip(groups.groups, groups.counts) {
            guard let values = RecordStatistics.values(group.dropFirst()) else {
                notCounted += n
                findings.append("\(n) statistics rows could not be read")
                continue
            }
            if let agency = values[.agency] { agencies.insert(agency) }
            counts.add(month: Int(group[0]), values: values, count: n)
        }
        var report: StatisticsReport
        do throws(IncidentRelease.Refusal) {
            report = try IncidentRelease.answer(period: period, dimensions: dimensions, counts: counts,
                                                categories: StatisticsCategories.of(policy, agenciesSeen: agencies),
                                                threshold: policy.statistics.threshold)
        } catch {
            throw HavenError(.invalidValue, error.message, hint: error.hint)
        }
        if notCounted > 0 {
            pipeline.logger.error("records left out of statistics", metadata: ["count": "\(notCounted)"])
            report.warnings.append("\(notCounted) records could not be counted: their statistics are not in their latest audited"
                                   + " state; an auditor finds them named in this query's audit entry")
        }
        return (report, findings)
    }

    /// One part of a statistics query, in one snapshot: each row checked against the state
    /// ledger, opened, and counted by its group if it counts now and is of `year`.
    func scanStatistics(_ ids: Range<String>, year: Int, now: Int64) throws(HavenError) -> StatisticsScan {
        try pipeline.readSnapshot(scan: true) { (view) throws(HavenError) -> StatisticsScan in
            var out = StatisticsScan()
            let opener = keys.statistics.opener()
            var seen: Int64 = 0
            var raced = false
            func note(_ finding: String) {
                out.notCounted += 1
                if out.findings.count < 21 { out.findings.append(finding) }
            }
            // Rows are checked against the ledger a batch at a time (one lock for many rows),
            // then opened one by one.
            var batch = StatisticsRows()
            func countBatch() {
                let findings = pipeline.ledger.check(batch.keys, stored: batch.tags, in: view.freshness, name: batch.name)
                for (i, finding) in findings.enumerated() {
                    switch finding {
                    case .fresh: break
                    case .raced: raced = true; continue
                    case .notFound: note("the statistics of record \(batch.name(i)) name no audited record"); continue
                    case .mismatch:
                        note("the statistics of record \(batch.name(i)) are not of its latest audited state (kept from before a change, or edited outside Haven)")
                        continue
                    }
                    let opened = batch.row(i) { id, box in
                        Result { () throws(CryptoError) -> RecordStatistics.Head? in
                            try opener.open(box, record: id, rowTag: batch.tags[i]) { p in
                                guard let head = RecordStatistics.head(p, at: now) else { return nil }
                                if head.counted, head.month / 12 == year {
                                    out.groups.add(month: UInt8(head.month % 12 + 1),
                                                   values: UnsafeRawBufferPointer(rebasing: p[RecordStatistics.valuesOffset...]))
                                }
                                return head
                            }
                        }
                    }
                    switch opened {
                    case .success(.some): break
                    case .success(.none): note("the statistics of record \(batch.name(i)) are of an unknown format")
                    case .failure: note("the statistics of record \(batch.name(i)) do not open (edited outside Haven)")
                    }
                }
                batch.removeAll()
            }
            try storeCall(pipeline.logger) {
                try StatisticsTable.scan(ids, on: view.db) { id, tagBytes, box in
                    seen += 1
                    guard let key = StateLedger.Key(base32: id), let tag = Tag16(tagBytes) else {
                        note("a statistics row names no record (\(NameRules.printable(String(decoding: id, as: UTF8.self))))")
                        return
                    }
                    batch.append(key, id: id, tag: tag, box: box)
                    if batch.keys.count == StatisticsRows.size { countBatch() }
                }
                countBatch()
                let live = try StatisticsTable.liveRecords(ids, on: view.db)
                if seen < live {
                    out.notCounted += Int(live - seen)
                    out.findings.append("\(live - seen) records have no statistics row (deleted outside Haven)")
                }
            }
            if raced { throw RequestPipeline.snapshotRaced }
            return out
        }
    }
}
