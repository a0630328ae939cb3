@testable import HavenDesk
import Testing

@Suite struct MultipartFormTests {
    static func body(_ text: String) -> [UInt8] { Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8) }

    @Test func fieldsAndAFileAreSplitAndTheFileNameIsNotKept() throws {
        let body = Self.body("""
        --XyZ
        Content-Disposition: form-data; name="_csrf"

        token
        --XyZ
        Content-Disposition: form-data; name="evidence"; filename="medical-report-Ana.pdf"
        Content-Type: application/pdf

        %PDF-1.4 bytes
        with a line break
        --XyZ
        Content-Disposition: form-data; name="note"

        ສະບາຍດີ
        --XyZ--

        """)
        let form = try MultipartForm(body: body, boundary: "XyZ")
        #expect(form.parts.map(\.name) == ["_csrf", "evidence", "note"])
        #expect(form.parts[1].isFile)
        #expect(form.parts[1].body == Array("%PDF-1.4 bytes\r\nwith a line break".utf8))
        #expect(String(decoding: form.parts[2].body, as: UTF8.self) == "ສະບາຍດີ")
        #expect(!String(describing: form).contains("medical-report"))
    }

    @Test func theBoundaryIsReadFromTheContentType() throws {
        #expect(try MultipartForm.boundary(contentType: "multipart/form-data; boundary=----WebKitFormBoundaryAbC") == "----WebKitFormBoundaryAbC")
        #expect(try MultipartForm.boundary(contentType: "Multipart/Form-Data; charset=utf-8; boundary=\"a b\"") == "a b")
        #expect(throws: MultipartForm.Failure.noBoundary) { try MultipartForm.boundary(contentType: "multipart/form-data") }
        #expect(throws: MultipartForm.Failure.noBoundary) { try MultipartForm.boundary(contentType: "text/plain; boundary=x") }
        #expect(throws: MultipartForm.Failure.badBoundary) { try MultipartForm.boundary(contentType: "multipart/form-data; boundary=") }
        #expect(throws: MultipartForm.Failure.badBoundary) {
            try MultipartForm.boundary(contentType: "multipart/form-data; boundary=" + String(repeating: "a", count: 71))
        }
    }

    @Test func hostileBodiesAreRefusedNotGuessedAt() {
        let cases: [(String, MultipartForm.Failure)] = [
            ("no delimiter at all", .noOpeningDelimiter),
            ("--B\nContent-Disposition: form-data; name=\"a\"\n\nvalue without an end", .unterminated),
            ("--B\nContent-Disposition: form-data; name=\"a\"\n\nv\n--B", .unterminated),
            ("--B\nContent-Disposition: form-data\n\nv\n--B--", .noName),
            ("--B\nContent-Disposition: form-data; name=\"\"\n\nv\n--B--", .noName),
            ("--B\nContent-Type: text/plain\n\nv\n--B--", .noName),
            ("--B\nContent-Disposition: attachment; name=\"a\"\n\nv\n--B--", .badHeader),
            ("--B\nno colon here\n\nv\n--B--", .badHeader),
            ("--B\nContent-Disposition: form-data; name=\"a\"", .unterminated),
            ("--Bjunk", .unterminated),
        ]
        for (text, failure) in cases {
            #expect(throws: failure, "\(text)") { try MultipartForm(body: Self.body(text), boundary: "B") }
        }
        let longHeader = "--B\nContent-Disposition: form-data; name=\"a\"\nX-Pad: " + String(repeating: "x", count: 5000) + "\n\nv\n--B--"
        #expect(throws: MultipartForm.Failure.headerTooLong) { try MultipartForm(body: Self.body(longHeader), boundary: "B") }
        let many = String(repeating: "--B\nContent-Disposition: form-data; name=\"a\"\n\nv\n", count: MultipartForm.maximumParts + 1) + "--B--"
        #expect(throws: MultipartForm.Failure.tooManyParts) { try MultipartForm(body: Self.body(many), boundary: "B") }
        #expect(throws: MultipartForm.Failure.badHeader) { try MultipartForm(body: Array("--B\r\n".utf8) + [0xFF, 0xFE] + Array(": x\r\n\r\nv\r\n--B--".utf8), boundary: "B") }
    }

    @Test func aPreambleAndQuotedParametersAreHandled() throws {
        let body = Self.body("preamble\n--B\nContent-Disposition: form-data; name=\"semi;colon \\\"q\\\"\"; filename=\"\"\n\n\n--B--")
        let form = try MultipartForm(body: body, boundary: "B")
        #expect(form.parts == [MultipartForm.Part(name: "semi;colon \"q\"", isFile: true, body: [])])
    }

    @Test func aBoundaryLookalikeInsideAValueIsNotADelimiter() throws {
        let body = Self.body("--B\nContent-Disposition: form-data; name=\"a\"\n\nx--B y\n--B--")
        #expect(try MultipartForm(body: body, boundary: "B").parts.first?.body == Array("x--B y".utf8))
    }
}
