extension DecisionBlob {
    /// `bytes` with each entry's text ids (reason, missing fields) passed through `text` and its
    /// error id through `error`; everything else as it was. Texts and errors are interned per log
    /// (`texts`, `errors`), so a business's decisions copied into another log (`ShardMerge`) must
    /// name that log's ids.
    ///
    ///     let copied = try DecisionBlob.remapped(blob, text: { ids[$0]! }, error: { $0 })
    ///
    /// Rewritten in one pass over the bytes, without building the entries: decoding and
    /// re-encoding took 17k of the merge's 85k instructions a business (callgrind, 100k rows).
    static func remapped(_ bytes: [UInt8], text: (Int64) throws -> Int64, error: (Int64) throws -> Int64) throws -> [UInt8] {
        guard bytes.first == version else {
            throw Malformed(description: "decisions blob of unknown version \(bytes.first.map(String.init) ?? "(empty)")")
        }
        var out: [UInt8] = [version]
        out.reserveCapacity(bytes.count + 16)
        var at = 1
        var changed = false
        func truncated() -> Malformed { Malformed(description: "decisions blob: truncated number at byte \(at)") }
        /// Reads the varint at `at`, moving past it.
        func varint() throws -> UInt64 {
            var value: UInt64 = 0, shift: UInt64 = 0
            while true {
                guard at < bytes.count, shift < 64 else { throw truncated() }
                let b = bytes[at]
                at += 1
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return value }
                shift += 7
            }
        }
        func copyVarint() throws {
            let start = at
            _ = try varint()
            out.append(contentsOf: bytes[start..<at])
        }
        func mapVarint(_ map: (Int64) throws -> Int64) throws {
            let id = Int64(bitPattern: try varint())
            let mapped = try map(id)
            changed = changed || mapped != id
            var v = UInt64(bitPattern: mapped)
            while v >= 0x80 {
                out.append(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            out.append(UInt8(v))
        }
        while at < bytes.count {
            let flags = bytes[at]
            at += 1
            out.append(flags)
            var more: UInt8 = 0
            if flags & 0x80 != 0 {
                guard at < bytes.count else { throw Malformed(description: "decisions blob: truncated at byte \(at)") }
                more = bytes[at]
                at += 1
                out.append(more)
            }
            if flags & (1 << 3) != 0 { try copyVarint() }        // rule
            if flags & (1 << 4) != 0 { try copyVarint() }        // conditions
            if flags & (1 << 5) != 0 { try mapVarint(text) }     // reason
            if flags & (1 << 6) != 0 { try mapVarint(text) }     // missing fields
            if more & 1 != 0 { try mapVarint(error) }            // error
            let doubles = 8 * Int((more >> 1 & 1) + (more >> 2 & 1))  // amount, score
            guard at + doubles <= bytes.count else { throw truncated() }
            out.append(contentsOf: bytes[at..<at + doubles])
            at += doubles
        }
        // Unchanged ids: the bytes as they were (a log's first merged run keeps most ids).
        return changed ? out : bytes
    }
}
