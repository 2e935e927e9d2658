/// Unsigned integers written as ASCII digits straight into a byte buffer, for the text of money,
/// scores and ids on paths that write millions of them (no `String` made for each).
enum DecimalDigits {
    static func append(_ n: UInt64, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { buffer in
            var i = 20, v = n
            repeat {
                i -= 1
                buffer[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            } while v > 0
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[i...]))
        }
    }

    static func count(_ n: UInt64) -> Int {
        var count = 1, v = n
        while v >= 10 {
            v /= 10
            count += 1
        }
        return count
    }
}
