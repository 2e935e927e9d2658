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


    /// `YYYY-MM-DD`, `YYYY-M-D`, `YYYY/M/D`, `YYYY.M.D`, `YYYY年M月D日` (one separator style
    /// throughout) or `YYYYMMDD` → the ISO date, zero-padded. Years run from 1000 to 9999.
    ///
    /// A time of day may follow, as database exports write it (`2023-03-01 00:00:00`,
    /// `2023-03-01T00:00:00.000`, `2023/3/1 0:00`): it is checked and dropped. A time zone after it
    /// (`Z`, `+08:00`) is refused: dropping it could give the day before or after.
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
        let month: Int, day: Int
        if bytes[4] >= 0x30 && bytes[4] <= 0x39 {
            // YYYYMMDD: two digits each, or `2023111` could be November 1 or January 11.
            guard let m = digits(max: 2), i == 6, let d = digits(max: 2), i == 8 else { return .invalid }
            (month, day) = (m, d)
        } else {
            let separators: (first: UInt32, second: UInt32, end: UInt32)
            switch bytes[i] {
            case 0x2D, 0x2F, 0x2E: separators = (UInt32(bytes[i]), UInt32(bytes[i]), 0)  // - / .
            default: separators = (0xE5B9B4, 0xE69C88, 0xE697A5)  // 年 月 日
            }
            guard expect(separators.first), let m = digits(max: 2),
                  expect(separators.second), let d = digits(max: 2), expect(separators.end) else { return .invalid }
            (month, day) = (m, d)
        }
        let dashed = bytes[4] == 0x2D
        guard i == bytes.count || isTimeOfDay(UnsafeBufferPointer(rebasing: bytes[i...]), allowingT: dashed) else { return .invalid }
        return .date(year: year, month: month, day: day, isISO: bytes.count == 10 && dashed)
    }

    /// Whether `rest` is ` H:MM`, ` H:MM:SS` or ` H:MM:SS.fff` (hour 0–23; `T` instead of the space
    /// after an ISO date) and nothing else.
    private static func isTimeOfDay(_ rest: UnsafeBufferPointer<UInt8>, allowingT: Bool) -> Bool {
        var i = 1
        func number(_ minDigits: Int, _ maxDigits: Int, below limit: Int) -> Bool {
            var value = 0, count = 0
            while i < rest.count, count < maxDigits, rest[i] >= 0x30 && rest[i] <= 0x39 {
                value = value * 10 + Int(rest[i] - 0x30)
                count += 1
                i += 1
            }
            return count >= minDigits && value < limit
        }
        func colon() -> Bool {
            guard i < rest.count, rest[i] == 0x3A else { return false }
            i += 1
            return true
        }
        guard rest[0] == 0x20 || (allowingT && rest[0] == 0x54) else { return false }
        guard number(1, 2, below: 24), colon(), number(2, 2, below: 60) else { return false }
        if i < rest.count {
            guard colon(), number(2, 2, below: 60) else { return false }
            if i < rest.count {
                guard rest[i] == 0x2E else { return false }
                i += 1
                guard number(1, 9, below: 1_000_000_000) else { return false }
            }
        }
        return i == rest.count
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
