/// One decision as the log stores it: small integers, texts by id (`texts`, `errors`).
struct LogEntry: Equatable, Sendable {
    /// `Outcome.logCode`.
    var outcome: Int
    /// Index into the run's rules, or nil.
    var rule: Int64?
    /// Condition states, 2 bits each (as `SlotResult.packed`).
    var conditions: Int64 = 0
    var reason: Int64?
    var missing: Int64?
    var error: Int64?
    var amount: Double?
    var score: Double?
}

/// A business's decisions, one `LogEntry` per slot in slot order, packed into the `decisions`
/// blob of its `businesses` row (log v2).
///
/// Why a blob: SQLite costs about 1 µs per inserted row whatever its size, and a run of 1M
/// businesses × 25 services would insert 25M decision rows (v1) where it now inserts 1M.
/// A typical decision takes 3–5 bytes here, against about 30 as a v1 row.
///
/// Layout: a version byte (1), then per entry a flags byte — bits 0–2 the outcome, bit 3 rule,
/// bit 4 conditions, bit 5 reason, bit 6 missing, bit 7 a second flags byte follows (bit 0 error,
/// bit 1 amount, bit 2 score) — then the present values in that order: integers as unsigned
/// LEB128 varints (conditions as their 64-bit pattern), numbers as 8-byte little-endian IEEE
/// doubles. Outcome 0 marks a slot without a decision (a gap left by an older log).
enum DecisionBlob {
    static let version: UInt8 = 1

    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// Most bytes one entry takes: flags, more, five varints of up to 10 bytes, two doubles.
    static let maxEntryBytes = 2 + 5 * 10 + 2 * 8

    /// Appends `e` (through a stack buffer: see `write(_:into:at:)`).
    static func append(_ e: LogEntry, to out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxEntryBytes) { buffer in
            var n = 0
            write(e, into: buffer, at: &n)
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[0..<n]))
        }
    }

    /// Encodes `e` at `n` in `buffer`, which has room for `maxEntryBytes` more, and advances `n`.
    /// The log's writer encodes a whole business into one buffer this way: appending to an array
    /// byte by byte checked its uniqueness and capacity each time (about 6k instructions per
    /// business of 25 entries under callgrind, the largest cost of a commit).
    static func write(_ e: LogEntry, into buffer: UnsafeMutableBufferPointer<UInt8>, at n: inout Int) {
        var flags = UInt8(e.outcome & 7)
        if e.rule != nil { flags |= 1 << 3 }
        if e.conditions != 0 { flags |= 1 << 4 }
        if e.reason != nil { flags |= 1 << 5 }
        if e.missing != nil { flags |= 1 << 6 }
        var more: UInt8 = 0
        if e.error != nil { more |= 1 }
        if e.amount != nil { more |= 2 }
        if e.score != nil { more |= 4 }
        if more != 0 { flags |= 1 << 7 }
        buffer[n] = flags; n += 1
        if more != 0 { buffer[n] = more; n += 1 }
        if let rule = e.rule { varint(UInt64(bitPattern: rule), buffer, &n) }
        if e.conditions != 0 { varint(UInt64(bitPattern: e.conditions), buffer, &n) }
        if let reason = e.reason { varint(UInt64(bitPattern: reason), buffer, &n) }
        if let missing = e.missing { varint(UInt64(bitPattern: missing), buffer, &n) }
        if let error = e.error { varint(UInt64(bitPattern: error), buffer, &n) }
        if let amount = e.amount { double(amount, buffer, &n) }
        if let score = e.score { double(score, buffer, &n) }
    }

    static func encode(_ entries: [LogEntry]) -> [UInt8] {
        var out: [UInt8] = [version]
        for e in entries { append(e, to: &out) }
        return out
    }

    static func decode(_ bytes: [UInt8]) throws(Malformed) -> [LogEntry] {
        var reader = Reader(bytes: bytes)
        guard let v = reader.byte(), v == version else {
            throw Malformed(description: "decisions blob of unknown version \(bytes.first.map(String.init) ?? "(empty)")")
        }
        var entries: [LogEntry] = []
        while !reader.atEnd { entries.append(try reader.entry()) }
        return entries
    }

    /// Whether some entry of `bytes` passes `accept(slot, outcome)`, read in place without building
    /// the entries: filters on a service or outcome test a business's blob before it is decoded
    /// (`log show --outcome error` decoded the 1M businesses of a district run to find none). A
    /// blob that cannot be read says true, so that decoding it reports the damage.
    static func anyEntry(in bytes: UnsafeRawBufferPointer, _ accept: (_ slot: Int, _ outcome: Int) -> Bool) -> Bool {
        var found = false
        let readable = walkEntries(in: bytes) { slot, outcome in
            found = accept(slot, outcome)
            return !found
        }
        return found || !readable
    }

    /// How many entries of `bytes` pass `accept(slot, outcome)`, read in place (`log show` counts
    /// what it does not show); nil when the blob cannot be read.
    static func countEntries(in bytes: UnsafeRawBufferPointer, _ accept: (_ slot: Int, _ outcome: Int) -> Bool) -> Int? {
        var count = 0
        let readable = walkEntries(in: bytes) { slot, outcome in
            if accept(slot, outcome) { count += 1 }
            return true
        }
        return readable ? count : nil
    }

    /// Calls `visit(slot, outcome)` for each entry until it returns false; whether the blob was
    /// readable as far as it went (and, when walked to its end, ended where its last entry does).
    private static func walkEntries(in bytes: UnsafeRawBufferPointer, _ visit: (_ slot: Int, _ outcome: Int) -> Bool) -> Bool {
        guard let first = bytes.first, first == version else { return false }
        var at = 1, slot = 0
        while at < bytes.count {
            let flags = bytes[at]
            at += 1
            var more: UInt8 = 0
            if flags & 0x80 != 0 {
                guard at < bytes.count else { return false }
                more = bytes[at]
                at += 1
            }
            // Outcome codes 5–7 are no decision's: damage, as a truncated blob is (see `check`).
            guard flags & 7 <= 4 else { return false }
            if !visit(slot, Int(flags & 7)) { return true }
            // rule, conditions, reason, missing, error: varints; amount, score: 8 bytes each.
            var varints = (flags >> 3 & 1) + (flags >> 4 & 1) + (flags >> 5 & 1) + (flags >> 6 & 1) + (more & 1)
            while varints > 0 {
                var length = 0
                while true {
                    guard at < bytes.count, length < 10 else { return false }
                    let b = bytes[at]
                    at += 1
                    length += 1
                    if b < 0x80 { break }
                }
                varints -= 1
            }
            at += 8 * Int((more >> 1 & 1) + (more >> 2 & 1))
            slot += 1
        }
        return at == bytes.count
    }

    /// LEB128: seven bits a byte, low bits first.
    @inline(__always)
    private static func varint(_ value: UInt64, _ out: UnsafeMutableBufferPointer<UInt8>, _ n: inout Int) {
        var v = value
        while v >= 0x80 {
            out[n] = UInt8(truncatingIfNeeded: v) | 0x80
            n += 1
            v >>= 7
        }
        out[n] = UInt8(v)
        n += 1
    }

    /// Little-endian IEEE 754 bits.
    @inline(__always)
    private static func double(_ value: Double, _ out: UnsafeMutableBufferPointer<UInt8>, _ n: inout Int) {
        let bits = value.bitPattern
        for k in 0..<8 { out[n + k] = UInt8(truncatingIfNeeded: bits >> (8 * UInt64(k))) }
        n += 8
    }

    private struct Reader {
        let bytes: [UInt8]
        var at = 0

        var atEnd: Bool { at >= bytes.count }

        mutating func byte() -> UInt8? {
            guard at < bytes.count else { return nil }
            defer { at += 1 }
            return bytes[at]
        }

        mutating func varint() throws(Malformed) -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard let b = byte(), shift < 64 else { throw Malformed(description: "decisions blob: truncated number at byte \(at)") }
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return value }
                shift += 7
            }
        }

        mutating func double() throws(Malformed) -> Double {
            guard at + 8 <= bytes.count else { throw Malformed(description: "decisions blob: truncated number at byte \(at)") }
            var bits: UInt64 = 0
            for k in 0..<8 { bits |= UInt64(bytes[at + k]) << (8 * UInt64(k)) }
            at += 8
            return Double(bitPattern: bits)
        }

        mutating func entry() throws(Malformed) -> LogEntry {
            guard let flags = byte() else { throw Malformed(description: "decisions blob: truncated at byte \(at)") }
            var more: UInt8 = 0
            if flags & 0x80 != 0 {
                guard let m = byte() else { throw Malformed(description: "decisions blob: truncated at byte \(at)") }
                more = m
            }
            var e = LogEntry(outcome: Int(flags & 7))
            if flags & (1 << 3) != 0 { e.rule = Int64(bitPattern: try varint()) }
            if flags & (1 << 4) != 0 { e.conditions = Int64(bitPattern: try varint()) }
            if flags & (1 << 5) != 0 { e.reason = Int64(bitPattern: try varint()) }
            if flags & (1 << 6) != 0 { e.missing = Int64(bitPattern: try varint()) }
            if more & 1 != 0 { e.error = Int64(bitPattern: try varint()) }
            if more & 2 != 0 { e.amount = try double() }
            if more & 4 != 0 { e.score = try double() }
            return e
        }
    }
}
