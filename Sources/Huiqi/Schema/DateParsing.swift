/// Parsing of calendar dates in the spellings found in Chinese registers, to ISO `YYYY-MM-DD`.
enum DateParsing {
    enum Result: Equatable {
        case value(String)
        /// Well-formed but not a real day (2023-02-29, 2024-13-01).
        case notADay
        case invalid
    }

    private static let nian: [UInt8] = Array("年".utf8)
    private static let yue: [UInt8] = Array("月".utf8)
    private static let ri: [UInt8] = Array("日".utf8)

    /// `YYYY-MM-DD`, `YYYY-M-D`, `YYYY/M/D`, `YYYY.M.D` or `YYYY年M月D日` (one separator style
    /// throughout) → the ISO date, zero-padded. Years run from 1000 to 9999.
    static func isoDate(_ text: String) -> Result {
        let bytes = Array(text.utf8)
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
        func expect(_ literal: [UInt8]) -> Bool {
            guard i + literal.count <= bytes.count, Array(bytes[i..<(i + literal.count)]) == literal else { return false }
            i += literal.count
            return true
        }

        guard bytes.count >= 8, bytes[0] != 0x30, let year = digits(max: 4), i == 4 else { return .invalid }
        let separators: (first: [UInt8], second: [UInt8], end: [UInt8])
        switch bytes[i] {
        case 0x2D: separators = ([0x2D], [0x2D], [])  // -
        case 0x2F: separators = ([0x2F], [0x2F], [])  // /
        case 0x2E: separators = ([0x2E], [0x2E], [])  // .
        default: separators = (nian, yue, ri)
        }
        guard expect(separators.first), let month = digits(max: 2),
              expect(separators.second), let day = digits(max: 2),
              expect(separators.end), i == bytes.count else { return .invalid }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year) else { return .notADay }
        // Already ISO: reuse the input instead of building a new string.
        if bytes.count == 10, separators.first == [0x2D] { return .value(text) }
        return .value(iso(year: year, month: month, day: day))
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    private static func iso(year: Int, month: Int, day: Int) -> String {
        let m = month < 10 ? "0\(month)" : "\(month)"
        let d = day < 10 ? "0\(day)" : "\(day)"
        return "\(year)-\(m)-\(d)"
    }
}
