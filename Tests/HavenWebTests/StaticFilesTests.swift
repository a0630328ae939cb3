import Foundation
import HavenTestSupport
@testable import HavenWeb
import Testing

@Suite struct StaticFilesTests {
    static let node = ["/usr/bin/node", "/usr/bin/nodejs", "/usr/local/bin/node"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test(.enabled(if: node != nil, "node is not installed"))
    func theDesksScriptParses() throws {
        let r = try Command.run(Self.node!, ["--check", Repository.path("Sources/HavenWeb/Static/desk.js")])
        #expect(r.status == 0, "\(r.stderr)")
    }

    @Test func theScriptNeverWritesMarkupOrEvaluatesText() throws {
        let script = try String(contentsOfFile: Repository.path("Sources/HavenWeb/Static/desk.js"), encoding: .utf8)
        for banned in ["innerHTML", "outerHTML", "eval(", "document.write", "localStorage", "sessionStorage", "new Function"] {
            #expect(!script.contains(banned), "\(banned)")
        }
        #expect(script.contains("replaceChildren()"))
        #expect(script.contains("X-CSRF-Token"))
    }

    @Test func fontsAreServedByNameOnly() throws {
        let dir = TemporaryDirectory("haven-fonts")
        defer { dir.remove() }
        try FileManager.default.createDirectory(atPath: dir.file("noto"), withIntermediateDirectories: true)
        try Data("font".utf8).write(to: URL(fileURLWithPath: dir.file("noto/NotoSansLao-Regular.ttf")))
        try Data("secret".utf8).write(to: URL(fileURLWithPath: dir.file("other.ttf")))
        let files = StaticFiles(fontDirectory: dir.path)
        #expect(files.answer("/static/fonts/NotoSansLao-Regular.ttf").body == Array("font".utf8))
        #expect(files.answer("/static/fonts/NotoSansLao-Regular.ttf").cacheable)
        #expect(files.answer("/static/fonts/other.ttf").status == 404)
        #expect(files.answer("/static/fonts/../other.ttf").status == 404)
        #expect(files.answer("/static/desk.css").status == 200)
        #expect(files.answer("/static/desk.js").contentType == "text/javascript; charset=utf-8")
        #expect(files.answer("/static/../Package.swift").status == 404)
    }
}
