import HavenCore
import HavenCrypto
import HavenStats
import HavenStore

extension StatisticsService {
    /// What a year's release is computed from: the counted records, the agencies seen among
    /// them, and the records left out, named in findings (never a value).
    struct YearCount {
        var counts: IncidentCounts
        var agencies = Set<String>()
        var findings = [String]()
        var notCounted = 0
    }

    /// Reads every record's sealed statistics and keeps those that are the record's latest
    /// audited state, counted now (consent granted at this moment), and of `year`. The id
    /// space is split between `StatisticsScan.readers` parts, each read on a thread and in a
    /// snapshot of its own: a record is counted once, as the latest state its part's
    /// snapshot holds.
    func countYear(_ year: Int, now: Timestamp) throws(HavenError) -> YearCount {
        let parts = StatisticsScan.parts(StatisticsScan.readers)
        let results = ParallelParts.run(parts.count, threadName: { "haven-stats-\($0)" }) {
            [self] (i) throws(HavenError) -> StatisticsScan in
            try scanStatistics(parts[i], year: year, now: now.millisecondsSinceEpoch)
        }
        var groups = GroupCounter()
        var out = YearCount(counts: IncidentCounts(year: year))
        for r in results {
            let part = try r.get()
            groups.merge(part.groups)
            out.findings += part.findings
            out.notCounted += part.notCounted
        }
        if out.findings.count > 20 { out.findings = Array(out.findings.prefix(20)) + ["and \(out.findings.count - 20) more"] }
        for (group, n) in zip(groups.groups, groups.counts) {
            guard let values = RecordStatistics.values(group.dropFirst()) else {
                out.notCounted += n
                out.findings.append("\(n) statistics rows could not be read")
                continue
            }
            if let agency = values[.agency] { out.agencies.insert(agency) }
            out.counts.add(month: Int(group[0]), values: values, count: n)
        }
        return out
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
