import HuiqiLua

extension Service {
    /// `ctx.service` as rules see it.
    var luaDescription: LuaValue {
        var m: [String: LuaValue] = ["id": .string(id), "name": .string(name), "category": .string(category),
                                     "mode": .string(mode.rawValue)]
        if let provider { m["provider"] = .string(provider) }
        if let source { m["source"] = .string(source) }
        if let from = window.from { m["window_from"] = .string(from) }
        if let to = window.to { m["window_to"] = .string(to) }
        return .map(m)
    }
}

extension ParamValue {
    /// A resolved param (dated values are resolved by `Service.resolvedParams` before this) as rules see it in `ctx.params` (integers stay integers).
    var luaValue: LuaValue {
        switch self {
        case .integer(let i): return .integer(i)
        case .decimal(let d): return .number(d)
        case .string(let s): return .string(s)
        case .boolean(let b): return .boolean(b)
        case .list(let items): return .array(items.map(\.luaValue))
        case .map(let entries):
            var m: [String: LuaValue] = [:]
            for (key, value) in entries { m[key] = value.luaValue }
            return .map(m)
        case .dated(let versions): return versions.last?.value.luaValue ?? .nil
        }
    }
}
