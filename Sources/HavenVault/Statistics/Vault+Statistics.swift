import Foundation
import HavenAPI
import HavenCore
import HavenCrypto
import HavenPolicy
import HavenStats
import HavenStore
import NIOCore

extension Vault {
    /// `stats.read`: anonymised counts of incidents for one whole month, quarter or year
    /// that has ended, by the dimensions asked for. Only records whose survivor's
    /// `statistics` consent is granted at this moment are counted, each once; what is
    /// published is the year's release for that breakdown, small cells suppressed across its
    /// months, quarters and year (HavenStats METHOD.md). The analyst receives no id, no
    /// date finer than a month and no free text. The query is computed off the event loops
    /// and answered only once its audit entry (who, which dimensions, which period, how many
    /// cells were hidden) is durable.
    public func incidentStatistics(_ ctx: RequestContext, request: IncidentStatisticsRequest) -> EventLoopFuture<StatisticsReport> {
        var record = RequestRecord(action: Action.statsRead.rawValue, peer: ctx.peer)
        return handle(ctx, &record) { (record) throws(HavenError) -> EventLoopFuture<StatisticsReport> in
            let policy = policies.policy
            _ = try authorize(ctx, &record, .statsRead, under: policy)
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
            record.event.detail["dimensions"] = dimensions.map(\.rawValue).joined(separator: ",")
            record.event.detail["period"] = period.description
            record.event.detail["from"] = period.first.description
            record.event.detail["to"] = period.last.description
            let now = clock.now()
            // A period still running would be published again and again as it fills: each new
            // record's cell could be read off the difference. Only ended periods are published.
            guard let current = ReportingMonth(now.date), period.last < current else {
                throw HavenError(.invalidValue, "\(period) has not ended; statistics are published for whole periods that have ended",
                                 hint: "ask for a period that ends before this month")
            }
            let promise = ctx.eventLoop.makePromise(of: StatisticsReport.self)
            let pending = record
            DispatchQueue.global().async {
                let outcome = Result { () throws(HavenError) -> (StatisticsReport, [String]) in
                    try self.countIncidents(period: period, dimensions: dimensions, policy: policy, now: now)
                }
                ctx.eventLoop.execute {
                    switch outcome {
                    case .success(let (report, findings)):
                        var event = pending.event
                        event.detail["published_by"] = report.publishedBy
                        event.detail["cells"] = String(report.rows.count)
                        event.detail["small"] = String(report.suppressed.small)
                        event.detail["complementary"] = String(report.suppressed.complementary)
                        if !findings.isEmpty { event.detail["integrity"] = findings.joined(separator: "; ") }
                        promise.completeWith(self.writer.audit(on: ctx.eventLoop, event).map { committed in
                            var answered = report
                            answered.auditSeq = committed.auditSeq
                            return answered
                        })
                    case .failure(let error):
                        promise.completeWith(self.refuse(ctx, pending, error))
                    }
                }
            }
            return promise.futureResult
        }
    }

    /// Reads every record's sealed statistics in one snapshot, keeps those that are the
    /// record's latest audited state, counted now, and of the period's year, and answers
    /// from them. Findings name the records left out and why (never a value).
    func countIncidents(period: ReportingPeriod, dimensions: [StatisticsDimension], policy: Policy,
                        now: Timestamp) throws(HavenError) -> (StatisticsReport, [String]) {
        let nowMs = now.millisecondsSinceEpoch
        let year = period.year
        var groups = [[UInt8]: Int]()
        var findings = [String]()
        var notCounted = 0
        try readSnapshot { (view) throws(HavenError) -> Void in
            groups = [:]
            findings = []
            notCounted = 0
            var seen: Int64 = 0
            var raced = false
            func note(_ finding: String) {
                notCounted += 1
                if findings.count < 20 { findings.append(finding) }
            }
            try storeCall(logger) {
                try StatisticsTable.scan(on: view.db) { id, tagBytes, box in
                    seen += 1
                    let name = { String(decoding: id, as: UTF8.self) }
                    guard let key = StateLedger.Key(base32: id), let tag = Tag16(tagBytes) else {
                        note("a statistics row names no record (\(NameRules.printable(name())))")
                        return
                    }
                    switch ledger.check(key, name(), stored: tag, in: view.freshness) {
                    case .fresh: break
                    case .raced: raced = true; return
                    case .notFound: note("the statistics of record \(name()) name no audited record"); return
                    case .mismatch:
                        note("the statistics of record \(name()) are not of its latest audited state (kept from before a change, or edited outside Haven)")
                        return
                    }
                    let opened = Result { () throws(CryptoError) -> PlaintextBuffer in try keys.statistics.open(box, record: id, rowTag: tag) }
                    guard case .success(let plain) = opened else {
                        note("the statistics of record \(name()) do not open (edited outside Haven)")
                        return
                    }
                    plain.withUnsafeBytes { p in
                        guard let head = RecordStatistics.head(p, at: nowMs) else {
                            note("the statistics of record \(name()) are of an unknown format")
                            return
                        }
                        guard head.counted, head.month / 12 == year else { return }
                        var group = [UInt8]()
                        group.reserveCapacity(p.count - RecordStatistics.valuesOffset + 1)
                        group.append(UInt8(head.month % 12 + 1))
                        group.append(contentsOf: p[RecordStatistics.valuesOffset...])
                        groups[group, default: 0] += 1
                    }
                }
                let live = try StatisticsTable.liveRecords(on: view.db)
                if seen < live {
                    notCounted += Int(live - seen)
                    findings.append("\(live - seen) records have no statistics row (deleted outside Haven)")
                }
            }
            if raced { throw Self.snapshotRaced }
        }
        var counts = IncidentCounts(year: year)
        var agencies = Set<String>()
        for (group, n) in groups {
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
            logger.error("records left out of statistics", metadata: ["count": "\(notCounted)"])
            report.warnings.append("\(notCounted) records could not be counted: their statistics are not in their latest audited"
                                   + " state; an auditor finds them named in this query's audit entry")
        }
        return (report, findings)
    }
}
