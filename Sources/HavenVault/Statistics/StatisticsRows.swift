import HavenCrypto

/// Rows of a statistics scan gathered to be checked against the state ledger together:
/// their keys and tags, and each row's id and sealed box copied into two flat buffers.
struct StatisticsRows {
    /// Rows checked under one lock of the ledger.
    static let size = 512

    private(set) var keys = [StateLedger.Key]()
    private(set) var tags = [Tag16]()
    private var ids = [UInt8]()
    private var boxes = [UInt8]()
    private var boxEnds = [Int]()

    init() {
        keys.reserveCapacity(Self.size)
        tags.reserveCapacity(Self.size)
        ids.reserveCapacity(Self.size * 26)
        boxes.reserveCapacity(Self.size * 256)
        boxEnds.reserveCapacity(Self.size)
    }

    /// `id` is a record id's 26 characters (it made `key`).
    mutating func append(_ key: StateLedger.Key, id: UnsafeRawBufferPointer, tag: Tag16, box: UnsafeRawBufferPointer) {
        keys.append(key)
        tags.append(tag)
        ids.append(contentsOf: id)
        boxes.append(contentsOf: box)
        boxEnds.append(boxes.count)
    }

    /// Row `i`'s id and box, in place.
    func row<R>(_ i: Int, _ body: (_ id: UnsafeRawBufferPointer, _ box: UnsafeRawBufferPointer) -> R) -> R {
        let start = i == 0 ? 0 : boxEnds[i - 1]
        return ids.withUnsafeBytes { id in
            boxes.withUnsafeBytes { box in
                body(UnsafeRawBufferPointer(rebasing: id[(i * 26)..<(i * 26 + 26)]),
                     UnsafeRawBufferPointer(rebasing: box[start..<boxEnds[i]]))
            }
        }
    }

    /// Row `i`'s record id, for a finding's words.
    func name(_ i: Int) -> String { String(decoding: ids[(i * 26)..<(i * 26 + 26)], as: UTF8.self) }

    mutating func removeAll() {
        keys.removeAll(keepingCapacity: true)
        tags.removeAll(keepingCapacity: true)
        ids.removeAll(keepingCapacity: true)
        boxes.removeAll(keepingCapacity: true)
        boxEnds.removeAll(keepingCapacity: true)
    }
}
