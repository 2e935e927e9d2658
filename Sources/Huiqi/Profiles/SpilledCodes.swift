import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Credit codes that `CreditCodeRegistry` moved out of memory, so that its memory stays bounded
/// whatever the input size (PRODUCT.md §8).
///
/// Each spill is a run of records sorted by the registry's hash of their code, appended to one
/// temporary file that is unlinked as soon as it is made (nothing is left behind, even after
/// `kill -9`). The registry's tables are split by the hash's top bits, so it can write them one by
/// one, in order, and free each as it goes: sorting all codes at once held a second copy of them
/// (+36–39 MB at each spill of a 10M-row run, which set its peak). In memory a run keeps a Bloom
/// filter (10–20 bits a code, 7 probes: about 1 % false positives) and the hash of every 256th
/// record (0.03 bytes a code), 1.3–2.5 bytes a code in all, so memory still grows past the
/// registry's 64 MiB, slowly. A code in no run, nearly every code of a clean export, costs a few
/// bit tests per run; one that may be in a run costs one or two 4 KiB reads.
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
        var count = 0
        /// The hash of each block's first record.
        var blockHashes: [UInt64] = []
        var bloom: [UInt64]
        var bloomMask: UInt64
    }

    private let fd: Int32
    private let highMask: UInt64, lowMask: UInt64
    private let hash: (UInt64, UInt64) -> UInt64
    private var runs: [Run] = []
    /// The run being written (`startRun` … `finishRun`).
    private var current: Run?
    private var end: Int64 = 0
    /// Set by the first read that failed (the file is ours, so this means a failing disk).
    private(set) var readFailure: String?

    var runCount: Int { runs.count }

    /// Makes the (already unlinked) file in `directory`. `highMask`/`lowMask` pick the code's bits
    /// out of a record's words; `hash` is the registry's hash of those bits.
    init(directory: String, highMask: UInt64, lowMask: UInt64, hash: @escaping (UInt64, UInt64) -> UInt64) throws {
        // Past a file-size limit (`ulimit -f`) the kernel would kill the process with SIGXFSZ
        // instead of failing the write: ignored, the write fails with EFBIG and the codes stay
        // in memory (review). The CLI ignores it from start-up too, for the log and the outputs.
        signal(SIGXFSZ, SIG_IGN)
        var template = Array((directory + "/huiqi-codes-XXXXXX").utf8CString)
        let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard fd >= 0 else {
            throw Diagnostic(file: directory, "cannot make a temporary file: \(String(cString: strerror(errno)))")
        }
        _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
        _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        self.fd = fd
        self.highMask = highMask
        self.lowMask = lowMask
        self.hash = hash
    }

    deinit { close(fd) }

    /// Starts a run of about `expected` codes (the Bloom filter is sized for them).
    func startRun(expected: Int) {
        var bits = 64
        while bits < expected * 10 { bits *= 2 }
        current = Run(offset: end, bloom: [UInt64](repeating: 0, count: bits / 64), bloomMask: UInt64(bits - 1))
    }

    /// Sorts `records` by hash and appends them to the current run. Every hash must be at least
    /// the last one appended (the registry appends its tables in the order of their hash's top
    /// bits). On failure nothing of `records` is in the run and `records` is left as it was.
    func append(_ records: [Record]) throws {
        guard var run = current else { return }
        var keyed = records.map { (hash: hash($0.high & highMask, $0.low & lowMask), record: $0) }
        keyed.sort { $0.hash < $1.hash }
        let sorted = keyed.map(\.record)
        let stride = MemoryLayout<Record>.stride
        let bytes = sorted.count * stride
        let at = off_t(run.offset) + off_t(run.count * stride)
        try sorted.withUnsafeBytes { buffer in
            var written = 0
            while written < bytes {
                let n = pwrite(fd, buffer.baseAddress! + written, bytes - written, at + off_t(written))
                if n < 0 && errno == EINTR { continue }
                guard n > 0 else {
                    let cause = n < 0 ? String(cString: strerror(errno)) : "nothing was written"
                    // Give back the blocks of the part written: the disk is likely full.
                    _ = ftruncate(fd, at)
                    throw Diagnostic(.error, "cannot write the temporary file of credit codes: \(cause)")
                }
                written += n
            }
        }
        for (i, k) in keyed.enumerated() {
            if (run.count + i) % SpilledCodes.blockRecords == 0 { run.blockHashes.append(k.hash) }
            SpilledCodes.setBits(of: k.hash, in: &run)
        }
        run.count += sorted.count
        current = run
    }

    /// Ends the current run: what was appended is searchable from now on.
    func finishRun() {
        guard let run = current else { return }
        current = nil
        end = run.offset + Int64(run.count * MemoryLayout<Record>.stride)
        if run.count > 0 { runs.append(run) }
    }

    /// The record of the code (`high`, `low`, masked; `hash` is the registry's hash of it), if a
    /// run holds it.
    func find(high: UInt64, low: UInt64, hash: UInt64) -> Record? {
        for run in runs where SpilledCodes.mayContain(hash, run) {
            if let record = search(run, high: high, low: low, hash: hash) { return record }
        }
        return nil
    }

    private func search(_ run: Run, high: UInt64, low: UInt64, hash h: UInt64) -> Record? {
        // Records with hash h start in the last block whose first hash is below h (or the first
        // block), and may go on into the next blocks: distinct codes can share a hash.
        var lo = 0, hi = run.blockHashes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if run.blockHashes[mid] < h { lo = mid + 1 } else { hi = mid }
        }
        var block = max(0, lo - 1)
        let blocks = run.blockHashes.count
        return withUnsafeTemporaryAllocation(of: Record.self, capacity: SpilledCodes.blockRecords) { buffer -> Record? in
            while block < blocks {
                let first = block * SpilledCodes.blockRecords
                let n = min(SpilledCodes.blockRecords, run.count - first)
                guard read(into: buffer, count: n, at: run.offset + Int64(first * MemoryLayout<Record>.stride)) else { return nil }
                for i in 0..<n {
                    let rh = buffer[i].high & highMask, rl = buffer[i].low & lowMask
                    let k = hash(rh, rl)
                    if k < h { continue }
                    if k > h { return nil }
                    if rh == high && rl == low { return buffer[i] }
                }
                block += 1
            }
            return nil
        }
    }

    private func read(into buffer: UnsafeMutableBufferPointer<Record>, count n: Int, at offset: Int64) -> Bool {
        let bytes = n * MemoryLayout<Record>.stride
        var done = 0
        while done < bytes {
            let k = pread(fd, UnsafeMutableRawPointer(buffer.baseAddress!) + done, bytes - done, off_t(offset) + off_t(done))
            if k < 0 && errno == EINTR { continue }
            guard k > 0 else {
                if readFailure == nil { readFailure = k < 0 ? String(cString: strerror(errno)) : "the file is shorter than written" }
                return false
            }
            done += k
        }
        return true
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
