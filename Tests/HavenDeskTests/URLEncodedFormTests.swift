import HavenDesk
import Testing

@Suite struct URLEncodedFormTests {
    @Test func plusPercentAndUTF8AreDecoded() throws {
        let pairs = try URLEncodedForm.parse("name=Nguy%E1%BB%85n+Th%E1%BB%8B&empty=&flag&a%3Db=c%26d&bad=%ZZ%4")
        #expect(pairs.map(\.name) == ["name", "empty", "flag", "a=b", "bad"])
        #expect(pairs.map(\.value) == ["Nguyễn Thị", "", "", "c&d", "%ZZ%4"])
    }

    @Test func repeatedNamesKeepTheirOrder() throws {
        #expect(try URLEncodedForm.parse("x=1&x=2&&x=3").map(\.value) == ["1", "2", "3"])
    }

    @Test func bytesThatAreNotUTF8AreRefused() {
        #expect(throws: URLEncodedForm.Failure.notUTF8) { try URLEncodedForm.parse("a=%FF%FE") }
        #expect(throws: URLEncodedForm.Failure.notUTF8) { try URLEncodedForm.parse([UInt8(ascii: "a"), UInt8(ascii: "="), 0xC3]) }
    }

    @Test func tooManyFieldsAreRefused() {
        let text = Array(repeating: "a=1", count: URLEncodedForm.maximumFields + 1).joined(separator: "&")
        #expect(throws: URLEncodedForm.Failure.tooManyFields) { try URLEncodedForm.parse(text) }
    }
}
