extension DecisionBlob {
    /// `bytes` with each entry's text ids (reason, missing fields) passed through `text` and its
    /// error id through `error`; everything else as it was. Texts and errors are interned per log
    /// (`texts`, `errors`), so a business's decisions copied into another log (`ShardMerge`) must
    /// name that log's ids.
    ///
    ///     let copied = try DecisionBlob.remapped(blob, text: { ids[$0]! }, error: { $0 })
    static func remapped(_ bytes: [UInt8], text: (Int64) throws -> Int64, error: (Int64) throws -> Int64) throws -> [UInt8] {
        var entries = try decode(bytes)
        var changed = false
        for i in entries.indices {
            if let id = entries[i].reason {
                entries[i].reason = try text(id)
                changed = changed || entries[i].reason != id
            }
            if let id = entries[i].missing {
                entries[i].missing = try text(id)
                changed = changed || entries[i].missing != id
            }
            if let id = entries[i].error {
                entries[i].error = try error(id)
                changed = changed || entries[i].error != id
            }
        }
        // Unchanged ids: the bytes as they were (a log's first merged run keeps most ids).
        return changed ? encode(entries) : bytes
    }
}
