import HavenAPI
import HavenCore
@testable import HavenServer
import NIOCore
import Testing

/// An answer's bytes: held in owned memory, and for a sensitive answer wiped in every copy
/// Haven made (the encoded array, the body, the socket's buffer).
@Suite struct ResponseBodyTests {
    /// Made at run time, so the storage is on the heap and writable like an encoder's output.
    static func secret() -> [UInt8] { Array(#"{"survivor_name":"ນາງ ສີດາ"}"#.utf8) }

    static func bytes(_ body: ResponseBody) -> [UInt8] { body.withUnsafeBytes { Array($0) } }

    @Test func theBodyHoldsTheAnswer() {
        let response = Response.json(Self.secret(), status: .created)
        #expect(Self.bytes(response.body) == Self.secret())
        #expect(response.body.count == Self.secret().count)
        #expect(response.status == .created)
        #expect(!response.sensitive)
    }

    @Test func aSensitiveAnswersArrayIsWipedInEveryCopyThatSharesIt() {
        let encoded = Self.secret()
        // As the future that carried an extract still holds its value: the same storage.
        let heldElsewhere = encoded
        let response = Response.json(encoded, sensitive: true)
        #expect(heldElsewhere.count == Self.secret().count)
        #expect(heldElsewhere.allSatisfy { $0 == 0 }, "the encoded array is wiped where it lies")
        #expect(Self.bytes(response.body) == Self.secret(), "the body keeps its own copy until written")
    }

    @Test func anOrdinaryAnswersArrayIsLeftAlone() {
        let encoded = Self.secret()
        let heldElsewhere = encoded
        _ = Response.json(encoded)
        #expect(heldElsewhere == Self.secret())
    }

    @Test func aSensitiveBodyIsWipedOnceTheSocketHasItsCopy() {
        let body = ResponseBody(Self.secret(), sensitive: true)
        let buffer = body.socketBuffer(ByteBufferAllocator())
        #expect(Array(buffer.readableBytesView) == Self.secret())
        #expect(body.count == 0)
        #expect(Self.bytes(body).isEmpty)
    }

    @Test func anOrdinaryBodyKeepsItsBytesAfterTheSocketsCopy() {
        let body = ResponseBody(Self.secret(), sensitive: false)
        let buffer = body.socketBuffer(ByteBufferAllocator())
        #expect(Array(buffer.readableBytesView) == Self.secret())
        #expect(Self.bytes(body) == Self.secret())
    }

    @Test func theSentBufferIsWipedWhereTheChannelHeldIt() {
        let buffer = ResponseBody(Self.secret(), sensitive: true).socketBuffer(ByteBufferAllocator())
        // As the channel's pending write holds it: the same storage.
        let heldByTheChannel = buffer
        ResponseBody.wipe(sent: buffer)
        #expect(heldByTheChannel.readableBytes == Self.secret().count)
        #expect(heldByTheChannel.readableBytesView.allSatisfy { $0 == 0 })
    }

    @Test func wipingContentsLeavesAnEmptyBody() {
        let body = ResponseBody(Self.secret(), sensitive: false)
        body.wipeContents()
        #expect(body.count == 0)
        #expect(Self.bytes(body).isEmpty)
    }

    @Test func anEmptyBodyIsWrittenAsNothing() {
        let body = ResponseBody([], sensitive: true)
        #expect(body.count == 0)
        #expect(body.socketBuffer(ByteBufferAllocator()).readableBytes == 0)
    }

    @Test func anErrorIsAnOrdinaryAnswerWithItsStatus() {
        let e = HavenError(.notFound, "no such endpoint")
        let response = Response.error(e)
        #expect(response.status == .notFound)
        #expect(!response.sensitive)
        #expect(Self.bytes(response.body) == ErrorBody.json(e))
    }
}
