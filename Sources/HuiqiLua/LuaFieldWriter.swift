import CLua

/// Writes records into one reused Lua table, field by field, skipping every write whose value is
/// the one the field got last time (`hq_field_cache` in shim.h keeps them).
///
/// Consecutive businesses share many values: a rawset costs about 90 instructions and a string's
/// interning about 290 more, an unchanged value a compare. Only this writer may change the table
/// (or `forget` the fields it changed itself), or the cache would skip writes it must make.
///
///     writer.begin(table: t, keys: k)   // the table, and an array of interned field names
///     writer.set(3, integer: 12)        // t[keys[4]] = 12
public final class LuaFieldWriter {
    private let lua: LuaState
    private let cache: UnsafeMutablePointer<hq_field_cache>

    /// A writer for records of up to `fieldCount` fields.
    public init(lua: LuaState, fieldCount: Int) {
        self.lua = lua
        guard let cache = hq_field_cache_new(Int32(fieldCount)) else { fatalError("out of memory for \(fieldCount) field cells") }
        self.cache = cache
    }

    deinit { hq_field_cache_free(cache) }

    public var fieldCount: Int { Int(cache.pointee.count) }

    /// The stack indices of the table written and of the array of its keys (`keys[i + 1]` names field i).
    public func begin(table: Int32, keys: Int32) { hq_field_begin(lua.L, cache, table, keys) }

    public func setNil(_ field: Int) { hq_field_set_nil(lua.L, cache, Int32(field)) }
    public func set(_ field: Int, boolean: Bool) { hq_field_set_boolean(lua.L, cache, Int32(field), boolean ? 1 : 0) }
    public func set(_ field: Int, integer: Int64) { hq_field_set_integer(lua.L, cache, Int32(field), integer) }
    public func set(_ field: Int, number: Double) { hq_field_set_float(lua.L, cache, Int32(field), number) }
    public func set(_ field: Int, string: String) {
        var s = string
        s.withUTF8 { hq_field_set_string(lua.L, cache, Int32(field), UnsafeRawPointer($0.baseAddress)?.assumingMemoryBound(to: CChar.self), $0.count) }
    }
    /// The caller wrote field `field` itself: write it next time whatever its value.
    public func forget(_ field: Int) { hq_field_forget(cache, Int32(field)) }
}
