import Foundation

/// The desk's script, style sheet and Lao fonts. The first two come from haven-web's
/// resources; the fonts from the system's font directory, by an allow-list of names, so
/// the path of a request never reaches the file system.
struct StaticFiles: Sendable {
    /// The fonts desk.css names, by the file name it asks for.
    static let fontNames = ["NotoSansLao-Regular.ttf", "NotoSansLao-Bold.ttf", "Phetsarath_OT.ttf"]

    let assets: [String: (type: String, bytes: [UInt8])]
    let fonts: [String: String]

    init(fontDirectory: String) {
        var assets: [String: (type: String, bytes: [UInt8])] = [:]
        for (name, type) in [("desk.css", "text/css; charset=utf-8"), ("desk.js", "text/javascript; charset=utf-8")] {
            if let url = Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Static")
                ?? Bundle.module.resourceURL?.appendingPathComponent("Static/" + name),
               let data = FileManager.default.contents(atPath: url.path) {
                assets["/static/" + name] = (type, Array(data))
            }
        }
        self.assets = assets
        var fonts: [String: String] = [:]
        if let walker = FileManager.default.enumerator(atPath: fontDirectory) {
            for case let relative as String in walker {
                let file = URL(fileURLWithPath: relative).lastPathComponent
                if Self.fontNames.contains(file), fonts[file] == nil { fonts[file] = fontDirectory + "/" + relative }
            }
        }
        self.fonts = fonts
    }

    func answer(_ path: String) -> FrontAnswer {
        if let asset = assets[path] {
            return FrontAnswer(status: 200, contentType: asset.type, body: asset.bytes, cacheable: true)
        }
        if path.hasPrefix("/static/fonts/"), let file = fonts[String(path.dropFirst("/static/fonts/".count))],
           let data = FileManager.default.contents(atPath: file) {
            return FrontAnswer(status: 200, contentType: "font/ttf", body: Array(data), cacheable: true)
        }
        return .text("Not found\n", status: 404)
    }
}
