#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One glibc `iconv` conversion (e.g. GB18030 → UTF-8), fed chunk by chunk.
///
/// Foundation on Linux cannot decode GB18030, glibc can. The converter owns the `iconv_t`
/// and closes it on deinit. Input that ends in the middle of a multi-byte sequence is left
/// unconsumed for the caller to prepend to the next chunk; invalid bytes become `replacement`
/// (one per bad byte) so one bad cell never stops a file.
final class IconvConverter {
    private let handle: iconv_t
    private let replacement: [UInt8]
    /// Output is staged here, then appended; iconv needs a raw pointer it can advance.
    private var staging = [UInt8](repeating: 0, count: 64 * 1024)
    private(set) var invalidBytes = 0

    /// Nil when this system's iconv lacks the conversion (e.g. a container without gconv modules).
    init?(from source: String, to target: String, replacement: [UInt8] = [0xEF, 0xBF, 0xBD]) {
        let handle = iconv_open(target, source)
        guard let handle, handle != iconv_t(bitPattern: -1) else { return nil }
        self.handle = handle
        self.replacement = replacement
    }

    deinit { iconv_close(handle) }

    /// Converts `input`, appending to `output`.
    /// - Returns: how many trailing input bytes were not consumed because they start an incomplete
    ///   sequence, and the output index of the first replacement written, if any.
    func convert(_ input: UnsafeRawBufferPointer, into output: inout [UInt8]) -> (unconsumed: Int, firstReplacement: Int?) {
        guard let base = input.baseAddress, input.count > 0 else { return (0, nil) }
        var inPointer: UnsafeMutablePointer<CChar>? = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: CChar.self))
        var inLeft = input.count
        var firstReplacement: Int?
        output.reserveCapacity(output.count + input.count + input.count / 2)
        while inLeft > 0 {
            var produced = 0
            var failure: Int32 = 0
            staging.withUnsafeMutableBytes { out in
                var outPointer: UnsafeMutablePointer<CChar>? = out.baseAddress?.assumingMemoryBound(to: CChar.self)
                var outLeft = out.count
                if iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft) == -1 { failure = errno }
                produced = out.count - outLeft
            }
            output.append(contentsOf: staging[0..<produced])
            switch failure {
            case 0, E2BIG:
                continue  // done, or the staging buffer filled up: go round again
            case EINVAL:
                return (inLeft, firstReplacement)  // incomplete sequence at the end of this chunk
            default:
                // EILSEQ: skip one byte and mark the spot, as decoders conventionally do.
                if firstReplacement == nil { firstReplacement = output.count }
                output.append(contentsOf: replacement)
                invalidBytes += 1
                inPointer = inPointer.map { $0 + 1 }
                inLeft -= 1
            }
        }
        return (0, firstReplacement)
    }
}
