import Foundation

/// One part of a run split across machines (PRODUCT.md §9, `huiqi run --shard K/N`): shard `index`
/// of `count`, numbered from 1.
///
/// Every shard reads every input row, so duplicate detection and row numbers are those of the
/// whole input, and evaluates only the rows it owns. A row is owned by the shard of its
/// 统一社会信用代码 (`owner(code:row:)`), so the rows of one business, duplicates included, land
/// in one shard; a row without a code, by its row number. The N shards' rows are disjoint and
/// together are the whole input: `huiqi log merge` puts them back into one run.
public struct RunShard: Sendable, Equatable, Hashable, CustomStringConvertible {
    /// 1…count.
    public let index: Int
    public let count: Int

    /// At most this many shards: more than any district's machines, and a typo (`--shard 1/10000`)
    /// is refused rather than run as a shard of 100 rows.
    public static let maxCount = 1024

    public init?(index: Int, count: Int) {
        guard count >= 1, count <= RunShard.maxCount, index >= 1, index <= count else { return nil }
        self.index = index
        self.count = count
    }

    /// Parses `K/N` (also with a full-width slash or spaces: `2／4`, `2 / 4`).
    public init?(parsing text: String) {
        let parts = text.replacingOccurrences(of: "／", with: "/").split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2,
              let k = Int(parts[0].trimmingCharacters(in: .whitespaces)),
              let n = Int(parts[1].trimmingCharacters(in: .whitespaces)) else { return nil }
        self.init(index: k, count: n)
    }

    /// `2/4`.
    public var description: String { "\(index)/\(count)" }

    /// Whether this shard evaluates the input row `row` (1-based over all inputs) whose credit
    /// code, as the reader gives it, is `code` (nil or empty: none).
    public func owns(code: String?, row: Int) -> Bool {
        var code = code ?? ""
        return code.withUTF8 { owns(codeBytes: $0, row: row) }
    }

    /// `owns(code:row:)` for the code's UTF-8 bytes.
    public func owns(codeBytes: UnsafeBufferPointer<UInt8>, row: Int) -> Bool {
        count == 1 || RunShard.owner(codeBytes: codeBytes, row: row, count: count) == index
    }

    /// The shard (1…count) that owns the rows with credit code `code` (not empty).
    public static func owner(code: String, count: Int) -> Int {
        var code = code
        return code.withUTF8 { owner(codeBytes: $0, row: 1, count: count) }
    }

    /// The shard (1…count) that owns a row. With a code: FNV-1a (64-bit) of its UTF-8 bytes,
    /// blanks dropped and ASCII letters upper-cased, modulo `count`: fixed here for good, since
    /// shards run by different builds on different machines must agree. Without one: the row
    /// number, round-robin.
    public static func owner(codeBytes: UnsafeBufferPointer<UInt8>, row: Int, count: Int) -> Int {
        guard count > 1 else { return 1 }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        var any = false
        for var byte in codeBytes where byte != 0x20 && byte != 0x09 {
            if byte >= 0x61 && byte <= 0x7A { byte -= 0x20 }
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
            any = true
        }
        guard any else { return (max(row, 1) - 1) % count + 1 }
        return Int(hash % UInt64(count)) + 1
    }
}
