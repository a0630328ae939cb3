import Foundation
import HavenCore

extension Catalog {
    /// The translations shipped with the desk (`Translations/{lo,vi}/*.po` in this module's
    /// resources). haven-web loads them once at start and refuses to start without them:
    /// a desk that silently fell back to English would strand a Lao-speaking counsellor.
    public static func bundled() throws(HavenError) -> Catalog {
        guard let root = Bundle.module.resourceURL?.appendingPathComponent("Translations").path,
              FileManager.default.fileExists(atPath: root) else {
            throw HavenError(.internalError, "the desk's translations are missing from haven-web's resources",
                             hint: "reinstall haven-web with its resource bundle beside the binary")
        }
        return try load(directory: root)
    }

    /// Every `<language>/*.po` under `directory` (one file per part of the desk).
    public static func load(directory: String) throws(HavenError) -> Catalog {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases where language != .en {
            let dir = directory + "/" + language.rawValue
            let files = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).filter { $0.hasSuffix(".po") }.sorted()
            guard !files.isEmpty else {
                throw HavenError(.internalError, "no translations for \(language.rawValue) in \(dir)",
                                 hint: "reinstall haven-web with its resource bundle beside the binary")
            }
            var table: [String: String] = [:]
            for file in files {
                guard let data = FileManager.default.contents(atPath: dir + "/" + file),
                      let text = String(data: data, encoding: .utf8) else {
                    throw HavenError(.internalError, "\(dir)/\(file) cannot be read as UTF-8")
                }
                do {
                    table.merge(try POFile(text: text).table) { first, _ in first }
                } catch {
                    throw HavenError(.internalError, "\(dir)/\(file): \(error)")
                }
            }
            tables[language] = table
        }
        return Catalog(tables: tables)
    }
}
