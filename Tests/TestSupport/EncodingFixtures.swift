#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Encodes test text into legacy encodings with the C library's iconv, independently of the
/// decoder under test.
public enum EncodingFixtures {
    public struct EncodingUnavailable: Error {}

    /// `text` encoded as GB18030 (a superset of GBK and GB2312).
    public static func gb18030(_ text: String) throws -> [UInt8] {
        try encode(text, to: "GB18030")
    }

    public static func encode(_ text: String, to encoding: String) throws -> [UInt8] {
        guard let handle = iconv_open(encoding, "UTF-8"), handle != iconv_t(bitPattern: -1) else {
            throw EncodingUnavailable()
        }
        defer { iconv_close(handle) }
        var input = Array(text.utf8)
        var output = [UInt8](repeating: 0, count: input.count * 4 + 16)
        let written: Int = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer = inBuffer.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
                var outPointer = outBuffer.baseAddress.map { UnsafeMutableRawPointer($0).assumingMemoryBound(to: CChar.self) }
                var inLeft = inBuffer.count
                var outLeft = outBuffer.count
                guard iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft) != -1 else { return -1 }
                return outBuffer.count - outLeft
            }
        }
        guard written >= 0 else { throw EncodingUnavailable() }
        return Array(output[0..<written])
    }
}
