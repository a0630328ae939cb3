import ArgumentParser
import Glibc
import HavenAPI
import HavenCore
import HavenStats
import HavenSystem

/// `haven stats …`: anonymised statistics for the analyst role.
struct StatsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "stats", abstract: "Anonymised statistics, small counts suppressed (role analyst).",
        subcommands: [StatsIncidents.self])
}

/// `haven stats incidents --from YYYY-MM --to YYYY-MM --by DIMS [--format table|csv|json|html] [--out FILE]`.
struct StatsIncidents: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "incidents", abstract: "Count incidents by month, type, province, age group, sex, perpetrator, agency or record type.",
        discussion: """
            Each calendar year is published once, after it ends: the year's first query counts the \
            records whose survivor has granted the statistics consent at that moment, each once (a \
            record marked as already reported to another service is not counted again), and every \
            later query of the year is answered from that release unchanged. The period is one whole \
            month, quarter or year of an ended year (--from 2025-01 --to 2025-03, or --from 2025-Q1 --to 2025-Q1, is the first quarter). \
            --by must be one of the breakdowns policy/statistics.yaml lists, or part of one, in any \
            order, with or without month. Counts from 1 to k−1 (k from policy/statistics.yaml, default \
            5) are shown as <k, and further cells as x, so that no small count can be worked out from \
            the totals, the other breakdowns or the year's other months and quarters; every answer \
            says how many cells were hidden and why. CSV has a header row, the dimensions' codes, then \
            count. --out writes a new file (never over an existing one). --json is --format json. Each \
            query is audited with its dimensions and period.
            """)

    @Option(help: ArgumentHelp("First month, YYYY-MM, or quarter, YYYY-Qn.", valueName: "month")) var from: String
    @Option(help: ArgumentHelp("Last month, YYYY-MM, or quarter, YYYY-Qn.", valueName: "month")) var to: String
    @Option(help: ArgumentHelp("Dimensions, comma-separated: \(StatisticsDimension.allCases.map(\.rawValue).joined(separator: ", ")).",
                               valueName: "dims"), completion: PolicyCompletion.dimensions)
    var by: String
    @Option(help: "table, csv, json or html.") var format: String = "table"
    @Option(help: ArgumentHelp("Labels in en, lo or vi (table and html; falls back to English where the policy gives none).",
                               valueName: "language"))
    var lang: String = "en"
    @Option(help: ArgumentHelp("Write to this new file instead of standard output.", valueName: "file")) var out: String?
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        guard ["table", "csv", "json", "html"].contains(format) else { throw ValidationError("--format must be table, csv, json or html") }
        guard ["en", "lo", "vi"].contains(lang) else { throw ValidationError("--lang must be en, lo or vi") }
    }

    func run() async throws {
        let body = IncidentStatisticsRequest(from: from, to: to, by: by.split(separator: ",").map {
            String($0).trimmingCharacters(in: " ")
        })
        let report: IncidentStatisticsResponse = try await connection.withClient { try await $0.post("/v1/stats/incidents", body) }
        let text: String
        switch output.json ? "json" : format {
        case "csv": text = StatisticsCSV.render(report)
        case "json": text = String(decoding: Output.jsonBytes(report), as: UTF8.self)
        case "html": text = StatisticsHTML.render(report, language: lang)
        default: text = StatisticsText.render(report, language: lang)
        }
        // Under --json the warnings are in the answer, and stderr is kept for errors.
        if !output.json { for warning in report.warnings { Output.error("warning: " + warning) } }
        guard let out else {
            Output.raw(Array(text.utf8))
            return
        }
        try Self.create(out, Array(text.utf8))
        if !output.json {
            Output.error("wrote \(out) (\(report.rows.count) cells, \(report.suppressed.small + report.suppressed.complementary) hidden)")
        }
    }

    /// A new file, 0640: an answer is safe to publish, but is the analyst's to publish.
    static func create(_ path: String, _ bytes: [UInt8]) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o640)
        guard fd >= 0 else {
            if errno == EEXIST { throw HavenError(.ioError, "\(path) already exists", hint: "choose another path, or remove it first") }
            throw HavenError(.ioError, "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        var done = 0
        while done < bytes.count {
            let n: Int
            do {
                n = try systemCall("write") { bytes.withUnsafeBytes { write(fd, $0.baseAddress! + done, bytes.count - done) } }
            } catch {
                throw HavenError(.ioError, "cannot write \(path): \(error.reason)")
            }
            guard n > 0 else { throw HavenError(.ioError, "cannot write \(path): \(String(cString: strerror(errno)))") }
            done += n
        }
    }
}

extension String {
    func trimmingCharacters(in set: Character) -> String {
        var s = Substring(self)
        while s.first == set { s = s.dropFirst() }
        while s.last == set { s = s.dropLast() }
        return String(s)
    }
}
