import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Credit codes that `CreditCodeRegistry` moved out of memory, so that its memory stays bounded
/// whatever the input size (PRODUCT.md §8).
///
/// The codes form one run of records sorted by the registry's hash of their code, in one of two
/// temporary files that are unlinked as soon as they are made (nothing is left behind, even after
/// `kill -9`). Each spill merges the registry's tables with the run into the other file, then
/// empties the first: every record is rewritten at each spill, sequentially (at 10M rows, about
/// 280 MB written over the run), and the disk holds at most two copies of the codes.
///
/// In memory the run keeps a Bloom filter and the hash of each block's first record; both are
/// capped, so memory does not grow with the number of codes (a merge adds about 3 MiB while it
/// runs: the index it builds, a table's records sorted, the read and write buffers):
/// - the filter has 10 bits a code up to 2^27 bits (16 MiB, 13.4M codes), then fewer, with the
///   number of probes that suits its bits per code: about 1 % false positives up to 13.4M codes,
///   27 % at 50M. A false positive costs one block read;
/// - blocks hold 256 records up to 65,536 blocks (16.7M codes), then more (512 KiB of index).
///
/// A code in no run, nearly every code of a clean export, costs a few bit tests; one the filter
/// cannot rule out costs one or two block reads (4 KiB each at first).
///
/// Records are the registry's two words as they are (code and first position together).
final class SpilledCodes {
    struct Record {
        var high: UInt64
        var low: UInt64
    }

    private let files: [Int32]
    /// The file holding the run.
    private var active = 0
    private let highMask: UInt64, lowMask: UInt64
    private let hash: (UInt64, UInt64) -> UInt64
    private let maxBloomBits: Int, maxBlocks: Int

    private(set) var count = 0
    /// Merges done (a spill each).
    private(set) var merges = 0
    private var blockRecords = 256
    /// The hash of each block's first record.
    private var blockHashes: [UInt64] = []
    private var bloom: [UInt64] = []
    private var bloomMask: UInt64 = 0
    private var probes = 0
    /// Set by the first read that failed (the files are ours, so this means a failing disk).
    private(set) var readFailure: String?

    /// The filter and index, in bytes.
    var bytesInMemory: Int { 8 * (bloom.count + blockHashes.count) }

    /// Makes two (already unlinked) files in `directory`. `highMask`/`lowMask` pick the code's
    /// bits out of a record's words; `hash` is the registry's hash of those bits.
    convenience init(directory: String, highMask: UInt64, lowMask: UInt64, hash: @escaping (UInt64, UInt64) -> UInt64,
                     maxBloomBits: Int = 1 << 27, maxBlocks: Int = 1 << 16) throws {
        // Past a file-size limit (`ulimit -f`) the write fails with EFBIG, and the codes stay in
        // memory, only where SIGXFSZ is ignored, as the CLI does from start-up (a library call
        // does not change the process's signals behind its back).
        var files: [Int32] = []
        for _ in 0..<2 {
            var template = Array((directory + "/huiqi-codes-XXXXXX").utf8CString)
            let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
            guard fd >= 0 else {
                let cause = String(cString: strerror(errno))
                for f in files { close(f) }
                throw Diagnostic(file: directory, "cannot make a temporary file: \(cause)")
            }
            _ = template.withUnsafeBufferPointer { unlink($0.baseAddress!) }
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            files.append(fd)
        }
        self.init(descriptors: files, highMask: highMask, lowMask: lowMask, hash: hash, maxBloomBits: maxBloomBits, maxBlocks: maxBlocks)
    }

    /// Two open files, read and written at offsets (tests pass `/dev/full` to make writes fail);
    /// closed with the object.
    init(descriptors: [Int32], highMask: UInt64, lowMask: UInt64, hash: @escaping (UInt64, UInt64) -> UInt64,
         maxBloomBits: Int = 1 << 27, maxBlocks: Int = 1 << 16) {
        precondition(descriptors.count == 2 && maxBloomBits >= 64 && maxBlocks >= 1)
        files = descriptors
        self.highMask = highMask
        self.lowMask = lowMask
        self.hash = hash
        self.maxBloomBits = maxBloomBits
        self.maxBlocks = maxBlocks
    }

    deinit { for fd in files { close(fd) } }

    /// Merges `newCount` new codes, given as `batches` batches in hash order (all hashes of batch
    /// `i + 1` above those of batch `i`; `batch(i)` gives one, in any order), with the run, into
    /// a new run in the other file. None of them may already be in the run. On failure the run
    /// is as it was.
    func merge(newCount: Int, batches: Int, batch: (Int) -> [Record]) throws {
        let total = count + newCount
        let old = (count: count, blockRecords: blockRecords, blockHashes: blockHashes)
        var records = 256
        while (total + records - 1) / records > maxBlocks { records *= 2 }
        // The old filter is not needed while merging.
        resetFilter(for: total)
        var hashes: [UInt64] = []
        hashes.reserveCapacity((total + records - 1) / records)
        let out = files[1 - active]
        do {
            var writer = RunWriter(fd: out)
            var reader = RunReader(fd: files[active], count: count)
            var written = 0, last: UInt64 = 0
            func emit(_ h: UInt64, _ r: Record) throws {
                // A batch out of order would leave the run unsorted and codes unfindable: refused.
                guard written == 0 || h >= last else { throw Diagnostic(.error, "internal error: credit codes merged out of order") }
                last = h
                if written % records == 0 { hashes.append(h) }
                setBits(h)
                try writer.append(r)
                written += 1
            }
            var next = try reader.next(self)
            for i in 0..<batches {
                var keyed = batch(i).map { (hash: hash($0.high & highMask, $0.low & lowMask), record: $0) }
                keyed.sort { $0.hash < $1.hash }
                for k in keyed {
                    while let o = next, o.hash <= k.hash {
                        try emit(o.hash, o.record)
                        next = try reader.next(self)
                    }
                    try emit(k.hash, k.record)
                }
            }
            while let o = next {
                try emit(o.hash, o.record)
                next = try reader.next(self)
            }
            try writer.flush()
            guard written == total else { throw Diagnostic(.error, "internal error: \(written) codes merged, \(total) expected") }
        } catch {
            _ = ftruncate(out, 0)
            // Back to the old run: its filter is rebuilt from the file (rare: a full disk).
            (count, blockRecords, blockHashes) = old
            rebuildFilter()
            throw error
        }
        _ = ftruncate(files[active], 0)
        active = 1 - active
        count = total
        blockRecords = records
        blockHashes = hashes
        merges += 1
    }

    /// The record of the code (`high`, `low`, masked; `hash` is the registry's hash of it), if
    /// the run holds it.
    func find(high: UInt64, low: UInt64, hash h: UInt64) -> Record? {
        guard count > 0, mayContain(h) else { return nil }
        // Records with hash h start in the last block whose first hash is below h (or the first
        // block), and may go on into the next blocks: distinct codes can share a hash.
        var lo = 0, hi = blockHashes.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if blockHashes[mid] < h { lo = mid + 1 } else { hi = mid }
        }
        var block = max(0, lo - 1)
        let blocks = blockHashes.count, size = blockRecords
        return withUnsafeTemporaryAllocation(of: Record.self, capacity: size) { buffer -> Record? in
            var firstBlock = true
            while block < blocks {
                let first = block * size
                let n = min(size, count - first)
                guard read(files[active], into: buffer, count: n, at: first) else { return nil }
                // In the first block, skip by binary search to the first record hashing to h or
                // above (blocks hold up to 16,384 records at a billion codes).
                var start = 0
                if firstBlock {
                    var hi = n
                    while start < hi {
                        let mid = (start + hi) / 2
                        if hash(buffer[mid].high & highMask, buffer[mid].low & lowMask) < h { start = mid + 1 } else { hi = mid }
                    }
                    firstBlock = false
                }
                for i in start..<n {
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

    /// Sequential reads of a run, a buffer at a time, with each record's hash.
    private struct RunReader {
        let fd: Int32
        let count: Int
        var buffer: [Record] = []
        var position = 0, consumed = 0

        init(fd: Int32, count: Int) {
            self.fd = fd
            self.count = count
        }

        mutating func next(_ owner: SpilledCodes) throws -> (hash: UInt64, record: Record)? {
            if position == buffer.count {
                let n = min(4096, count - consumed)
                guard n > 0 else { return nil }
                buffer = [Record](repeating: Record(high: 0, low: 0), count: n)
                let ok = buffer.withUnsafeMutableBufferPointer { owner.read(fd, into: $0, count: n, at: consumed) }
                guard ok else { throw Diagnostic(.error, "cannot read the temporary file of credit codes: \(owner.readFailure ?? "")") }
                consumed += n
                position = 0
            }
            let r = buffer[position]
            position += 1
            return (owner.hash(r.high & owner.highMask, r.low & owner.lowMask), r)
        }
    }

    /// Buffered appends to an empty file.
    private struct RunWriter {
        let fd: Int32
        var buffer: [Record] = []
        var offset: off_t = 0

        init(fd: Int32) {
            self.fd = fd
            buffer.reserveCapacity(4096)
        }

        mutating func append(_ r: Record) throws {
            buffer.append(r)
            if buffer.count == 4096 { try flush() }
        }

        mutating func flush() throws {
            let bytes = buffer.count * MemoryLayout<Record>.stride
            let fd = fd, at = offset
            try buffer.withUnsafeBytes { raw in
                var written = 0
                while written < bytes {
                    let n = pwrite(fd, raw.baseAddress! + written, bytes - written, at + off_t(written))
                    if n < 0 && errno == EINTR { continue }
                    guard n > 0 else {
                        let cause = n < 0 ? String(cString: strerror(errno)) : "nothing was written"
                        throw Diagnostic(.error, "cannot write the temporary file of credit codes: \(cause)")
                    }
                    written += n
                }
            }
            offset += off_t(bytes)
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Reads records `first ..< first + n` of the run in `fd`.
    private func read(_ fd: Int32, into buffer: UnsafeMutableBufferPointer<Record>, count n: Int, at first: Int) -> Bool {
        let stride = MemoryLayout<Record>.stride
        let bytes = n * stride
        var done = 0
        while done < bytes {
            let k = pread(fd, UnsafeMutableRawPointer(buffer.baseAddress!) + done, bytes - done, off_t(first * stride + done))
            if k < 0 && errno == EINTR { continue }
            guard k > 0 else {
                if readFailure == nil { readFailure = k < 0 ? String(cString: strerror(errno)) : "the file is shorter than written" }
                return false
            }
            done += k
        }
        return true
    }

    /// The filter of the run as it stands, from the file (after a failed merge).
    private func rebuildFilter() {
        resetFilter(for: count)
        var reader = RunReader(fd: files[active], count: count)
        while let r = try? reader.next(self) { setBits(r.hash) }
        if reader.consumed < count {
            // Unreadable: a filter that rules nothing out keeps every lookup exact.
            for i in bloom.indices { bloom[i] = ~0 }
        }
    }

    /// An empty filter for `codes` codes: 10 bits a code up to `maxBloomBits`, a power of two, and
    /// the number of probes that suits its bits a code (ln 2 · m/n, 1 to 7). The old filter is
    /// released first, so the two are never held at once (assigning the new array directly builds
    /// it before the old one goes: +16 MiB at the cap).
    private func resetFilter(for codes: Int) {
        var bits = 64
        while bits < codes * 10 && bits < maxBloomBits { bits *= 2 }
        bloom = []
        bloom = [UInt64](repeating: 0, count: bits / 64)
        bloomMask = UInt64(bits - 1)
        probes = max(1, min(7, Int((0.693 * Double(bits) / Double(max(codes, 1))).rounded())))
    }

    // Double hashing: probe i tests bit (h1 + i·h2) mod m; h2 is odd, so the probes differ.
    private func setBits(_ hash: UInt64) {
        let h2 = (hash >> 32) | 1
        var bit = hash
        for _ in 0..<probes {
            let b = bit & bloomMask
            bloom[Int(b >> 6)] |= 1 << (b & 63)
            bit &+= h2
        }
    }

    private func mayContain(_ hash: UInt64) -> Bool {
        let h2 = (hash >> 32) | 1
        var bit = hash
        for _ in 0..<probes {
            let b = bit & bloomMask
            if bloom[Int(b >> 6)] & (1 << (b & 63)) == 0 { return false }
            bit &+= h2
        }
        return true
    }
}
