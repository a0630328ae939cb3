import Foundation
import HavenAPI
import HavenTestSupport
import Testing

extension EndToEnd {
    /// The write pages behind the real haven-web front over HTTP: the consent evidence form
    /// goes up as multipart, the front keeps only its digest, and the new-record form is the
    /// one a browser gets, token and all.
    @Suite struct WebRecordWriteHTTPTests {
        static let passphrase = "a long passphrase for intake"

        @Test func theEvidenceFileIsRecordedAsItsDigestAndNeitherItsBytesNorItsNameAreKept() async throws {
            let h = try await WebDeskHarness.start()
            defer { Task { await h.stop() } }
            try await h.webUser("noy", role: "intake", agency: "ossc-vientiane", passphrase: Self.passphrase)
            let browser = try h.signedIn("noy", passphrase: Self.passphrase)
            let id = try h.vault.createRecord(["survivor_name": "Uploaded", "incident_type": "rape"])

            let page = try browser.get("/records/\(id)/consent")
            #expect(page.status == 200 && page.text.contains("<form id=\"consent-grant\""))
            let token = try #require(browser.csrf)
            let file = Array("Consent form signed by Souksavanh-Evidence-Text on 2026-12-07\n".utf8) + (0..<600).map { UInt8($0 % 251) }
            let boundary = "----haven-test-7f3a"
            var body = [UInt8]()
            func part(_ name: String, _ value: [UInt8], filename: String? = nil) {
                var head = "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\""
                if let filename { head += "; filename=\"\(filename)\"\r\nContent-Type: application/pdf" }
                body += Array((head + "\r\n\r\n").utf8) + value + Array("\r\n".utf8)
            }
            part("_csrf", Array(token.utf8))
            part("action", Array("grant".utf8))
            part("flag", Array("police".utf8))
            part("flag", Array("counselling".utf8))
            part("expires", [])
            part("evidence", file, filename: "consent-Souksavanh-Phommachan.pdf")
            body += Array("--\(boundary)--\r\n".utf8)
            let r = try WebHTTP.send(port: h.port, method: "POST", path: "/records/\(id)/consent",
                                     headers: [("Cookie", browser.cookieHeader), ("Origin", browser.origin),
                                               ("Content-Type", "multipart/form-data; boundary=\(boundary)")], body: body)
            #expect(r.status == 303 && r.header("location") == "/records/\(id)", "\(r.status) \(r.text.suffix(1500))")

            // The digest as a second implementation computes it.
            let path = h.vault.root + "/evidence.bin"
            try Data(file).write(to: URL(fileURLWithPath: path))
            let sum = try Command.run("/usr/bin/sha256sum", [path]).stdout.prefix { $0 != " " }
            try FileManager.default.removeItem(atPath: path)
            let c = try h.vault.json(ConsentResponse.self, as: "intake", ["consent", "show", id])
            #expect(c.history.map(\.evidence) == ["sha256:\(sum)", "sha256:\(sum)"])
            #expect(Set(c.flags.filter { $0.state == "granted" }.map(\.flag)) == ["police", "counselling"])
            // Neither the form's name nor its text is in haven-web's log or its files.
            #expect(!h.log.contains("Phommachan") && !h.log.contains("Evidence-Text"))
            for file in try FileManager.default.subpathsOfDirectory(atPath: h.webRoot) {
                let bytes = (try? Data(contentsOf: URL(fileURLWithPath: h.webRoot + "/" + file))) ?? Data()
                #expect(bytes.range(of: Data("Evidence-Text".utf8)) == nil && bytes.range(of: Data("Phommachan".utf8)) == nil, "\(file)")
            }
        }

        @Test func aNewRecordIsCreatedThroughTheFront() async throws {
            let h = try await WebDeskHarness.start()
            defer { Task { await h.stop() } }
            try await h.webUser("noy", role: "intake", agency: "ossc-vientiane", passphrase: Self.passphrase)
            let browser = try h.signedIn("noy", passphrase: Self.passphrase)
            let choice = try browser.get("/records/new")
            #expect(choice.status == 200 && choice.text.contains("href=\"/records/new?type=trafficking_case\""))
            let form = try browser.get("/records/new?type=trafficking_case")
            #expect(form.status == 200 && form.text.contains("<form id=\"new-record\""))
            let r = try browser.post("/records/new", [("type", "trafficking_case"), ("field.survivor_name", "ນາງ ຄຳ"),
                                                      ("field.exploitation_form", "forced_labour"), ("confirm", "check")])
            #expect(r.status == 303, "\(r.status) \(r.text.suffix(1500))")
            let location = try #require(r.header("location"))
            let id = String(location.dropFirst("/records/".count))
            let read = try h.vault.json(ReadRecordResponse.self, as: "intake", ["record", "get", id, "--purpose", "check"])
            #expect(read.type == "trafficking_case" && read.fields["survivor_name"] == "ນາງ ຄຳ")
            #expect(!h.log.contains("ນາງ ຄຳ"))
        }
    }
}
