import HavenAPI
import HavenCore
import HavenCrypto
@testable import HavenServer
import NIOCore
import Testing

/// An answer's bytes: a sensitive answer is held in wiped memory it was moved into, and
/// wiped in every copy Haven made (the encoded array, the body, the socket's buffer).
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

    @Test func aSensitiveAnswerIsEncodedStraightIntoWipedMemory() throws {
        let response = Response.sensitive(encoding: ["survivor_name": "ນາງ ສີດາ"], status: .created)
        #expect(response.sensitive && response.status == .created)
        #expect(Self.bytes(response.body) == JSONAnswer.encode(["survivor_name": "ນາງ ສີດາ"]))
    }

    @Test func aSensitiveAnswerMovedInIsHeldAsIs() {
        var encoded = Self.secret()
        let response = Response.sensitive(PlaintextBuffer(taking: &encoded))
        #expect(encoded.allSatisfy { $0 == 0 }, "the encoder's array is zeroed where it lies")
        #expect(Self.bytes(response.body) == Self.secret(), "the body keeps the answer until it is written")
    }

    @Test func anOrdinaryAnswersArrayIsLeftAlone() {
        let encoded = Self.secret()
        let heldElsewhere = encoded
        _ = Response.json(encoded)
        #expect(heldElsewhere == Self.secret())
    }

    @Test func aSensitiveBodyIsWipedOnceTheSocketHasItsCopy() {
        let held = PlaintextBuffer(copying: Self.secret())
        let body = ResponseBody(sensitive: held)
        let buffer = body.socketBuffer(ByteBufferAllocator())
        #expect(Array(buffer.readableBytesView) == Self.secret())
        #expect(body.count == 0)
        #expect(Self.bytes(body).isEmpty)
        // The bytes themselves are zeroed, not only hidden behind a count of 0.
        #expect(held.withUnsafeBytes { $0.allSatisfy { $0 == 0 } })
    }

    @Test func anOrdinaryBodyKeepsItsBytesAfterTheSocketsCopy() {
        let body = ResponseBody(Self.secret())
        let buffer = body.socketBuffer(ByteBufferAllocator())
        #expect(Array(buffer.readableBytesView) == Self.secret())
        #expect(Self.bytes(body) == Self.secret())
    }

    @Test func theSentBufferIsWipedWhereTheChannelHeldIt() {
        let buffer = ResponseBody(sensitive: PlaintextBuffer(copying: Self.secret())).socketBuffer(ByteBufferAllocator())
        // As the channel's pending write holds it: the same storage.
        let heldByTheChannel = buffer
        ResponseBody.wipe(sent: buffer)
        #expect(heldByTheChannel.readableBytes == Self.secret().count)
        #expect(heldByTheChannel.readableBytesView.allSatisfy { $0 == 0 })
    }

    @Test func wipingContentsLeavesAnEmptyBody() {
        let body = ResponseBody(Self.secret())
        body.wipeContents()
        #expect(body.count == 0)
        #expect(Self.bytes(body).isEmpty)
    }

    @Test func anEmptyBodyIsWrittenAsNothing() {
        let body = ResponseBody(sensitive: PlaintextBuffer(copying: [UInt8]()))
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
