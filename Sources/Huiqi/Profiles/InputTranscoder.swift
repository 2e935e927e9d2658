/// Turns raw file chunks into valid UTF-8, chunk by chunk, for the CSV and JSON Lines readers.
///
/// - A leading UTF-8 byte-order mark is dropped and always means UTF-8 (even with `--encoding
///   gb18030`: no GB18030 text starts with those bytes in practice).
/// - `auto` passes ASCII through undecided; from the first non-ASCII byte it validates at least
///   4 KiB (or the rest of the file) as UTF-8 and settles on UTF-8 if it is valid, GB18030 at the
///   first invalid sequence unless 16 or more valid multi-byte characters came before it (then the
///   file is UTF-8 with a damaged byte).
/// - A multi-byte sequence cut by a chunk boundary is carried over to the next chunk.
/// - Invalid bytes become U+FFFD (one per bad byte) and are counted, so the caller can warn
///   with the line of the first one instead of failing the file.
final class InputTranscoder {
    private enum Mode { case undecided, utf8, gb18030 }

    private static let bom: [UInt8] = [0xEF, 0xBB, 0xBF]
    private static let replacement: [UInt8] = [0xEF, 0xBF, 0xBD]
    /// Bytes of valid UTF-8 (from the first non-ASCII byte) that settle `auto` on UTF-8.
    static let evidenceBytes = 4096
    /// Valid multi-byte UTF-8 characters before an invalid byte that still settle `auto` on UTF-8.
    static let utf8EvidenceCharacters = 16

    /// Multi-byte UTF-8 characters (their lead bytes) in `range`, which holds valid UTF-8.
    static func multiByteCharacters(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> Int {
        var count = 0
        for i in range where bytes[i] >= 0xC0 { count += 1 }
        return count
    }

    private var mode: Mode
    private let converter: IconvConverter?
    /// Bytes held back from the previous chunk (an incomplete sequence or undecided tail).
    private var pending: [UInt8] = []
    private var atStart = true
    /// Number of replacement characters written so far.
    private(set) var replacements = 0

    /// Throws when GB18030 may be needed and this system's iconv cannot convert it.
    init(encoding: InputEncoding) throws {
        switch encoding {
        case .utf8: mode = .utf8
        case .gb18030, .gbk: mode = .gb18030
        case .auto: mode = .undecided
        }
        converter = IconvConverter(from: "GB18030", to: "UTF-8", replacement: InputTranscoder.replacement)
        if converter == nil && encoding != .utf8 {
            throw Diagnostic(.error, "iconv cannot convert GB18030 on this system (缺少glibc gconv模块 GB18030.so); use UTF-8 input or install the locales package")
        }
    }

    /// The encoding settled on so far: nil while only ASCII has been seen in `auto` mode.
    var resolvedEncoding: InputEncoding? {
        switch mode {
        case .undecided: return nil
        case .utf8: return .utf8
        case .gb18030: return .gb18030
        }
    }

    /// Appends the UTF-8 form of `chunk` to `output`. With `isLast`, bytes still incomplete at the
    /// end become a replacement character.
    /// - Returns: the index in `output` of the first replacement character written by this call.
    func transcode(_ chunk: UnsafeRawBufferPointer, isLast: Bool, into output: inout [UInt8]) -> Int? {
        if pending.isEmpty {
            return process(chunk.assumingMemoryBound(to: UInt8.self), isLast: isLast, into: &output)
        }
        var combined = pending
        combined.append(contentsOf: chunk)
        pending = []
        return combined.withUnsafeBufferPointer { process($0, isLast: isLast, into: &output) }
    }

    private func process(_ bytes: UnsafeBufferPointer<UInt8>, isLast: Bool, into output: inout [UInt8]) -> Int? {
        let n = bytes.count
        var i = 0
        var firstReplacement: Int?
        if atStart {
            // Wait for three bytes unless the file is shorter, so a BOM is never split.
            if n < 3 && !isLast && InputTranscoder.bom.starts(with: bytes) {
                pending = Array(bytes)
                return nil
            }
            atStart = false
            if n >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF {
                i = 3
                mode = .utf8
            }
        }
        while i < n {
            switch mode {
            case .undecided:
                var p = i
                while p < n, bytes[p] < 0x80 { p += 1 }
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<p]))
                i = p
                guard p < n else { return firstReplacement }
                // Invalid UTF-8 settles it at once. Valid UTF-8 needs enough evidence: two GB18030
                // bytes such as CD B3 (统) are also a valid UTF-8 sequence, so a few bytes at a
                // chunk's end prove nothing; carry them until 4 KiB or the end of the file.
                let (end, status) = UTF8Validation.scan(bytes, from: p)
                if status == .invalid {
                    // GB18030 text breaks UTF-8 within a few characters (its lead bytes B0–BF are
                    // UTF-8 continuation bytes). Many valid multi-byte characters before the first
                    // bad byte mean a UTF-8 file with a damaged byte: it is replaced and warned
                    // about on its line, instead of the whole file being read as GB18030 (found in
                    // review: one bad byte in row 16 garbled every name and the run exited 0).
                    mode = InputTranscoder.multiByteCharacters(bytes, p..<end) >= InputTranscoder.utf8EvidenceCharacters ? .utf8 : .gb18030
                } else if isLast || n - p >= InputTranscoder.evidenceBytes {
                    mode = .utf8
                } else {
                    pending = Array(bytes[p..<n])
                    return firstReplacement
                }
            case .utf8:
                let (end, status) = UTF8Validation.scan(bytes, from: i)
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[i..<end]))
                switch status {
                case .valid:
                    i = n
                case .invalid:
                    if firstReplacement == nil { firstReplacement = output.count }
                    output.append(contentsOf: InputTranscoder.replacement)
                    replacements += 1
                    i = end + 1
                case .incomplete:
                    if isLast {
                        if firstReplacement == nil { firstReplacement = output.count }
                        output.append(contentsOf: InputTranscoder.replacement)
                        replacements += 1
                    } else {
                        pending = Array(bytes[end..<n])
                    }
                    i = n
                }
            case .gb18030:
                guard let converter else { return firstReplacement }  // init guarantees it exists
                let before = converter.invalidBytes
                let (unconsumed, first) = converter.convert(UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes[i..<n])), into: &output)
                replacements += converter.invalidBytes - before
                if firstReplacement == nil { firstReplacement = first }
                if unconsumed > 0 {
                    if isLast {
                        if firstReplacement == nil { firstReplacement = output.count }
                        output.append(contentsOf: InputTranscoder.replacement)
                        replacements += 1
                    } else {
                        pending = Array(bytes[(n - unconsumed)..<n])
                    }
                }
                i = n
            }
        }
        return firstReplacement
    }
}
