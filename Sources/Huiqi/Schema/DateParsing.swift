/// Parsing of calendar dates in the spellings found in Chinese registers, to ISO `YYYY-MM-DD`.
enum DateParsing {
    enum Result: Equatable {
        case value(String)
        /// Well-formed but not a real day (2023-02-29, 2024-04-31).
        case notADay
        /// Well-formed but no such month (2024-13-01, 2024-00-10).
        case notAMonth
        case invalid
    }


    /// `YYYY-MM-DD`, `YYYY-M-D`, `YYYY/M/D`, `YYYY.M.D` or `YYYY年M月D日` (one separator style
    /// throughout) → the ISO date, zero-padded. Years run from 1000 to 9999.
    static func isoDate(_ text: String) -> Result {
        var copy = text
        return copy.withUTF8 { isoDate($0) }
    }

    /// `isoDate` on UTF-8 bytes.
    static func isoDate(_ bytes: UnsafeBufferPointer<UInt8>) -> Result {
        switch parse(bytes) {
        case .date(let year, let month, let day, let isISO):
            guard (1...12).contains(month) else { return .notAMonth }
            guard day >= 1, day <= daysIn(month: month, year: year) else { return .notADay }
            // Already ISO: ten ASCII bytes make a small string, no allocation.
            return .value(isISO ? String(decoding: bytes, as: UTF8.self) : iso(year: year, month: month, day: day))
        case .invalid:
            return .invalid
        }
    }

    private enum Parsed {
        case date(year: Int, month: Int, day: Int, isISO: Bool)
        case invalid
    }

    private static func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Parsed {
        var i = 0
        func digits(max: Int) -> Int? {
            var value = 0
            var count = 0
            while i < bytes.count, count < max, bytes[i] >= 0x30 && bytes[i] <= 0x39 {
                value = value * 10 + Int(bytes[i] - 0x30)
                count += 1
                i += 1
            }
            return count == 0 ? nil : value
        }
        /// Consumes the separator: one ASCII byte, or a three-byte Chinese character (年 E5 B9 B4,
        /// 月 E6 9C 88, 日 E6 97 A5) packed as 0xE5B9B4; 0 expects nothing.
        func expect(_ separator: UInt32) -> Bool {
            if separator == 0 { return true }
            if separator < 0x80 {
                guard i < bytes.count, UInt32(bytes[i]) == separator else { return false }
                i += 1
                return true
            }
            guard i + 3 <= bytes.count else { return false }
            let value = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            guard value == separator else { return false }
            i += 3
            return true
        }

        guard bytes.count >= 8, bytes[0] != 0x30, let year = digits(max: 4), i == 4 else { return .invalid }
        let separators: (first: UInt32, second: UInt32, end: UInt32)
        switch bytes[i] {
        case 0x2D, 0x2F, 0x2E: separators = (UInt32(bytes[i]), UInt32(bytes[i]), 0)  // - / .
        default: separators = (0xE5B9B4, 0xE69C88, 0xE697A5)  // 年 月 日
        }
        guard expect(separators.first), let month = digits(max: 2),
              expect(separators.second), let day = digits(max: 2),
              expect(separators.end), i == bytes.count else { return .invalid }
        return .date(year: year, month: month, day: day, isISO: bytes.count == 10 && bytes[4] == 0x2D)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// `YYYY-MM-DD`, written as bytes: ten ASCII bytes make a small string, no allocation.
    private static func iso(year: Int, month: Int, day: Int) -> String {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 10) { buffer in
            func digit(_ value: Int) -> UInt8 { UInt8(truncatingIfNeeded: 0x30 + value % 10) }
            buffer[0] = digit(year / 1000)
            buffer[1] = digit(year / 100)
            buffer[2] = digit(year / 10)
            buffer[3] = digit(year)
            buffer[4] = 0x2D
            buffer[5] = digit(month / 10)
            buffer[6] = digit(month)
            buffer[7] = 0x2D
            buffer[8] = digit(day / 10)
            buffer[9] = digit(day)
            return String(decoding: UnsafeBufferPointer(buffer), as: UTF8.self)
        }
    }
}
