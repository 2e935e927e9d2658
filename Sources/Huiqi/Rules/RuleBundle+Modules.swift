extension RuleBundle {
    /// The `lib/` modules each of `files` requires, directly or through other modules, by name,
    /// sorted; keyed by the file's `displayPath`. Every module when the file or a module it reaches
    /// calls `require` with anything but a string literal (`LuaSourceScanner.requiredModules`):
    /// then the code alone does not tell. A call of the engine's `scale_of` requires `sme_scale`,
    /// which it runs. Names of no module in `lib/` are left out (the engine's built-in one serves,
    /// or requiring it fails at run time).
    ///
    ///     bundle.modulesRequired(by: [rent])[rent.displayPath]  // ["baoan", "industry"]: rent requires baoan, baoan industry
    public func modulesRequired(by files: [SourceFile]) -> [String: [String]] {
        // Each module's own requires, read once for all the files (nil: not a literal).
        var direct: [String: [String]?] = [:]
        func requires(_ name: String, _ module: SourceFile) -> [String]? {
            if let known = direct[name] { return known }
            let found = LuaSourceScanner.requiredModules(in: module.source, builtins: RuleBundle.modulesOfBuiltins)
            direct[name] = .some(found)
            return found
        }
        var out: [String: [String]] = [:]
        for file in files {
            out[file.displayPath] = reached(from: LuaSourceScanner.requiredModules(in: file.source, builtins: RuleBundle.modulesOfBuiltins),
                                            requires: requires)
        }
        return out
    }

    /// The modules reached from `start` (sorted); every module when any step cannot be read.
    private func reached(from start: [String]?, requires: (String, SourceFile) -> [String]?) -> [String] {
        guard var queue = start else { return libraries.keys.sorted() }
        var found: Set<String> = []
        while let name = queue.popLast() {
            guard let module = libraries[name], found.insert(name).inserted else { continue }
            guard let more = requires(name, module) else { return libraries.keys.sorted() }
            queue += more
        }
        return found.sorted()
    }

    /// The engine's functions that run a bundle module (`EngineLua`: `scale_of` requires `sme_scale`).
    static let modulesOfBuiltins = ["scale_of": "sme_scale"]
}
