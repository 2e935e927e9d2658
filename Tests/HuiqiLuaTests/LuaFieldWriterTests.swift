import HuiqiLua
import Testing

/// `LuaFieldWriter` skips a write whose value is the field's last one: the table must still hold
/// exactly each record's values, however values repeat, change kind or come and go.
@Suite struct LuaFieldWriterTests {
    enum Cell { case none, boolean(Bool), integer(Int64), number(Double), string(String) }

    /// Writes `records` one after another into one table; returns the table's contents after each.
    func contents(after records: [[Cell]]) throws -> [LuaValue] {
        let lua = try LuaState()
        let width = records.map(\.count).max() ?? 0
        lua.push(LuaValue.array((0..<width).map { .string("f\($0)") }))
        let keys = lua.top
        lua.newTable()
        let table = lua.top
        let writer = LuaFieldWriter(lua: lua, fieldCount: width)
        var seen: [LuaValue] = []
        for record in records {
            writer.begin(table: table, keys: keys)
            for (i, cell) in record.enumerated() {
                switch cell {
                case .none: writer.setNil(i)
                case .boolean(let b): writer.set(i, boolean: b)
                case .integer(let n): writer.set(i, integer: n)
                case .number(let d): writer.set(i, number: d)
                case .string(let s): writer.set(i, string: s)
                }
            }
            #expect(lua.top == table, "the writer leaves the stack as it found it")
            seen.append(lua.value(at: table))
        }
        return seen
    }

    @Test func repeatedValuesStayAndChangedOnesAreWritten() throws {
        let seen = try contents(after: [
            [.integer(5), .string("新安街道"), .boolean(true), .number(1.5)],
            [.integer(5), .string("新安街道"), .boolean(true), .number(1.5)],   // all skipped
            [.integer(6), .string("西乡街道"), .boolean(false), .number(2.5)],
            [.none, .none, .none, .none],
            [.integer(6), .string("西乡街道"), .boolean(false), .number(2.5)],  // as two records ago, after nil
        ])
        let full: LuaValue = .map(["f0": .integer(5), "f1": .string("新安街道"), "f2": .boolean(true), "f3": .number(1.5)])
        let other: LuaValue = .map(["f0": .integer(6), "f1": .string("西乡街道"), "f2": .boolean(false), "f3": .number(2.5)])
        #expect(seen == [full, full, other, .array([]), other])  // an empty table reads as an empty array
    }

    /// Same bits, another kind: 1 and 1.0, false and 0, "" and nil are different Lua values.
    @Test func aValueOfAnotherKindIsWrittenEvenWithTheSameBits() throws {
        let seen = try contents(after: [
            [.integer(1), .boolean(false), .string("")],
            [.number(1.0), .integer(0), .none],
            [.integer(1), .boolean(false), .string("")],
        ])
        #expect(seen[0] == .map(["f0": .integer(1), "f1": .boolean(false), "f2": .string("")]))
        #expect(seen[1] == .map(["f0": .number(1.0), "f1": .integer(0)]))
        #expect(seen[2] == seen[0])
    }

    /// A state with a table on top, the array of its one key `x` below it, and a writer begun on them.
    func oneFieldTable() throws -> (LuaState, LuaFieldWriter) {
        let lua = try LuaState()
        lua.push(LuaValue.array([.string("x")]))
        lua.newTable()
        let writer = LuaFieldWriter(lua: lua, fieldCount: 1)
        writer.begin(table: -1, keys: -2)
        return (lua, writer)
    }

    /// Floats are compared by their bits: -0.0 equals 0.0 as a number but prints differently.
    @Test func negativeZeroIsNotZero() throws {
        let (lua, writer) = try oneFieldTable()
        writer.set(0, number: 0.0)
        writer.set(0, number: -0.0)
        lua.rawGet(-1, key: "x")
        guard case .number(let d) = lua.value(at: -1) else { Issue.record("not a float"); return }
        #expect(d.sign == .minus)
    }

    /// Strings of one length that differ only in their last byte, and a string grown past the
    /// cell's earlier capacity.
    @Test func stringsAreComparedByEveryByte() throws {
        let long = String(repeating: "统一社会信用代码", count: 40)
        let seen = try contents(after: [
            [.string("91440300MA5G000001")], [.string("91440300MA5G000002")], [.string(long)], [.string("a")], [.string(long)],
        ])
        #expect(seen == [
            .map(["f0": .string("91440300MA5G000001")]), .map(["f0": .string("91440300MA5G000002")]),
            .map(["f0": .string(long)]), .map(["f0": .string("a")]), .map(["f0": .string(long)]),
        ])
    }

    /// A field its caller wrote itself (`forget`) is written next time even with the last value.
    @Test func aForgottenFieldIsWrittenAgain() throws {
        let (lua, writer) = try oneFieldTable()
        writer.set(0, integer: 7)
        lua.push("something else")
        lua.rawSet(-2, key: "x")
        writer.forget(0)
        writer.set(0, integer: 7)
        lua.rawGet(-1, key: "x")
        #expect(lua.value(at: -1) == .integer(7))
    }
}
