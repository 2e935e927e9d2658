import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Credit codes that `CreditCodeRegistry` moved out of memory, so that its memory stays bounded
/// whatever the input size (PRODUCT.md §8).
///
/// Each spill is a run of records sorted by code, appended to one temporary file that is unlinked
/// as soon as it is made (nothing is left behind, even after `kill -9`). In memory a run keeps a
/// Bloom filter (10–20 bits a code, 7 probes: about 1 % false positives) and the first code of
/// every block of 256 records (0.06 bytes a code). A code in no run, nearly every code of a
/// clean export, costs a few bit tests per run; one that may be in a run costs one 4 KiB read.
///
/// Records are the registry's two words as they are (code and first position together).
final class SpilledCodes {
    struct Record {
        var high: UInt64
        var low: UInt64
    }

    static let blockRecords = 256
    private static let probes = 7

    private struct Run {
        var offset: Int64
        var count: Int
        /// The masked code of each block's first record, two words a block.
        var blockKeys: [UInt64]
        var bloom: [UInt64]
        var bloomMask: UInt64
    }

    private let fd: Int32
    private let highMask: UInt64, lowMask: UInt64
    private var runs: [Run] = []
    private var end: Int64 = 0
    /// Set by the first read that failed (the file is ours, so this means a failing disk).
    private(set) var readFailure: String?

    var runCount: Int { runs.count }
    var count: Int { runs.reduce(0) { $0 + $1.count } }

    /// Makes the (already unlinked) file in `directory`. `highMask`/`lowMask` pick the code's bits
    /// out of a record's words.
    init(directory: String, highMask: UInt64, lowMask: UInt64) throws {
        var template = Array((directory + "/huiqi-codes-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw Diagnostic(file: directory, "cannot make a temporary file: \(String(cString: strerror(errno)))")
        }
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        self.fd = fd
        self.highMask = highMask
        self.lowMask = lowMask
    }

    deinit { close(fd) }

    /// Sorts `records` (distinct codes, none in an earlier run) and writes them as a new run.
    /// On failure nothing is added and `records` is left sorted.
    func spill(_ records: inout [Record]) throws {
        let highMask = highMask, lowMask = lowMask
        records.sort { a, b in
            let ah = a.high & highMask, bh = b.high & highMask
            return ah != bh ? ah < bh : a.low & lowMask < b.low & lowMask
        }
        let bytes = records.count * MemoryLayout<Record>.stride
        try records.withUnsafeBytes { buffer in
            var written = 0
            while written < bytes {
                let n = pwrite(fd, buffer.baseAddress! + written, bytes - written, off_t(end) + off_t(written))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    throw Diagnostic(.error, "cannot write the temporary file of credit codes: \(String(cString: strerror(errno)))")
                }
                written += n
            }
        }
        var bits = 64
        while bits < records.count * 10 { bits *= 2 }
        var run = Run(offset: end, count: records.count, blockKeys: [], bloom: [UInt64](repeating: 0, count: bits / 64),
                      bloomMask: UInt64(bits - 1))
        run.blockKeys.reserveCapacity(2 * ((records.count + SpilledCodes.blockRecords - 1) / SpilledCodes.blockRecords))
        for (i, r) in records.enumerated() {
            let high = r.high & highMask, low = r.low & lowMask
            if i % SpilledCodes.blockRecords == 0 { run.blockKeys += [high, low] }
            SpilledCodes.setBits(of: CreditCodeRegistry.rehash(high, low), in: &run)
        }
        end += Int64(bytes)
        runs.append(run)
    }

    /// The record of the code (`high`, `low`, masked; `hash` is the registry's hash of it), if a
    /// run holds it.
    func find(high: UInt64, low: UInt64, hash: UInt64) -> Record? {
        for run in runs where SpilledCodes.mayContain(hash, run) {
            if let record = search(run, high: high, low: low) { return record }
        }
        return nil
    }

    private func search(_ run: Run, high: UInt64, low: UInt64) -> Record? {
        // The last block whose first code is at most the code sought.
        var lo = 0, hi = run.blockKeys.count / 2
        while lo < hi {
            let mid = (lo + hi) / 2
            let h = run.blockKeys[2 * mid], l = run.blockKeys[2 * mid + 1]
            if h < high || (h == high && l <= low) { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return nil }
        let block = lo - 1
        let first = block * SpilledCodes.blockRecords
        let n = min(SpilledCodes.blockRecords, run.count - first)
        let stride = MemoryLayout<Record>.stride
        return withUnsafeTemporaryAllocation(of: Record.self, capacity: n) { buffer -> Record? in
            let bytes = n * stride
            var read = 0
            while read < bytes {
                let k = pread(fd, UnsafeMutableRawPointer(buffer.baseAddress!) + read, bytes - read,
                              off_t(run.offset) + off_t(first * stride + read))
                if k < 0 && errno == EINTR { continue }
                guard k > 0 else {
                    if readFailure == nil {
                        readFailure = k < 0 ? String(cString: strerror(errno)) : "the file is shorter than written"
                    }
                    return nil
                }
                read += k
            }
            var lo = 0, hi = n
            while lo < hi {
                let mid = (lo + hi) / 2
                let h = buffer[mid].high & highMask, l = buffer[mid].low & lowMask
                if h == high && l == low { return buffer[mid] }
                if h < high || (h == high && l < low) { lo = mid + 1 } else { hi = mid }
            }
            return nil
        }
    }

    // Double hashing: probe i tests bit (h1 + i·h2) mod m; h2 is odd, so the probes differ.
    private static func setBits(of hash: UInt64, in run: inout Run) {
        let h2 = (hash >> 32) | 1
        var bit = hash
        for _ in 0..<probes {
            let b = bit & run.bloomMask
            run.bloom[Int(b >> 6)] |= 1 << (b & 63)
            bit &+= h2
        }
    }

    private static func mayContain(_ hash: UInt64, _ run: Run) -> Bool {
        let h2 = (hash >> 32) | 1
        var bit = hash
        for _ in 0..<probes {
            let b = bit & run.bloomMask
            if run.bloom[Int(b >> 6)] & (1 << (b & 63)) == 0 { return false }
            bit &+= h2
        }
        return true
    }
}
