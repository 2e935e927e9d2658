import Dispatch
import Foundation
import HuiqiLua

/// One worker's Lua state with the bundle's rules compiled once, ready to evaluate many profiles.
///
/// Not thread-safe: each worker thread owns its own runtime. A profile's values are written into
/// one reused Lua table (keys pre-interned, by field index), then one protected call evaluates
/// every planned service; results are read back from flat arrays.
///
///     let runtime = try RuleRuntime(bundle: loaded, asOf: "2025-06-01")
///     let decisions = runtime.decisions(for: profile)
public final class RuleRuntime {
    public let loaded: LoadedBundle
    public let plan: ServicePlan
    /// Every rule of the bundle, in load order (`SlotResult.ruleIndex` indexes this).
    public let rules: [RuleDescriptor]
    public let lua: LuaState
    /// Builds reviewer-facing decisions; shared with the decision log's writer.
    public let builder: DecisionBuilder

    private let evaluateProfileRef, stateRef, keysRef, profileTableRef, tracingRef, traceRef, printedRef: LuaRef
    /// The read-only list proxies' metatable and their lists (see `pushList`).
    private let listMetatableRef, listRealRef: LuaRef
    /// One read-only empty list for every profile whose list field is empty (`tags` defaults to
    /// none): building a proxy and a table for each cost about 4k instructions a business.
    private var emptyListRef: LuaRef?
    /// Writes the profile table's fields, skipping the unchanged ones (see `pushProfileTable`).
    private let fieldWriter: LuaFieldWriter
    private let codeRef, packRef, amountRef, scoreRef, reasonRef, missingReadsRef, errRef, unknownWhyRef: LuaRef
    private var results: [SlotResult]
    /// Per slot, the last reason read (see `reason(slot:at:)`).
    private var lastReasons: [String?]
    /// readResults' buffers for the driver's codes, condition bits, amounts and scores (`figures`:
    /// bit 1 an amount, bit 2 a score).
    private var codes: [Int64], packs: [Int64], amounts: [Double], scores: [Double], figures: [UInt8]
    /// Missing-field markers the engine recorded for the last profile (MISSING_READS[0]), and the
    /// state's count of markers raised when the attempt that made the results began.
    private var missingReadCount = 0
    private var markersBeforeAttempt: UInt = 0
    /// Whether reads are being traced (`decisions(for:trace:)`).
    private var tracing = false
    /// Decisions without amount and score, by the pattern that determines their text.
    private var decisionTexts: [DecisionTextKey: Decision] = [:]

    public var schema: Schema { loaded.schema }

    /// Compiles the bundle into a fresh sandboxed state. Throws `DiagnosticList` if any rule file
    /// does not load (syntax errors with file:line, malformed rules).
    public init(bundle loaded: LoadedBundle, asOf: String, limits: LuaLimits = LuaLimits()) throws {
        self.loaded = loaded
        let lua = try LuaState(limits: limits)
        self.lua = lua
        let bundle = loaded.bundle

        // Setup is not rule code: it runs unmetered and without the memory cap.
        let setup: () throws -> (rules: [RuleDescriptor], refs: [LuaRef]) = {
            var libraries = bundle.libraries.mapValues { (source: $0.source, chunkName: $0.chunkName) }
            if libraries["sme_scale"] == nil {
                // The built-in table loads its industry helper under a name of its own: a bundle's
                // lib/industry.lua (a list of key industries, say) must not stand in for it (review).
                let source = DefaultSMEScale.source.replacingOccurrences(of: #"require("industry")"#, with: #"require("huiqi.builtin.industry")"#)
                libraries["sme_scale"] = (source: source, chunkName: "=built-in sme_scale")
                libraries["huiqi.builtin.industry"] = (source: DefaultIndustry.source, chunkName: "=built-in industry")
            }
            // A bundle's own sme_scale.lua (a revised copy of the shipped one) loads `industry` too.
            if libraries["industry"] == nil {
                libraries["industry"] = (source: DefaultIndustry.source, chunkName: "=built-in industry")
            }
            try Sandbox.install(into: lua, libraries: libraries)
            let base = lua.top
            lua.pushMessageHandler()
            try lua.load(EngineLua.source, chunkName: "=engine")
            lua.pushDebugLibrary()
            lua.pushTracebackHandler()
            lua.pushStrictIndexFactory()
            if case .failed(let kind) = lua.protectedCall(arguments: 3, results: 0, handlerIndex: base + 1, metered: false) {
                throw lua.popError(kind: kind)
            }
            lua.top = base
            let engine = try RuleRuntime.engineFunctionCaller(lua)
            var declared: [String: LuaValue] = [:]
            for f in loaded.schema.fields { declared[f.name] = .string(f.label) }
            // Labels and aliases (how inputs name a field), so that `p["成立日期"]` is told the name to write.
            var names: [String: LuaValue] = [:]
            for f in loaded.schema.fields { for other in [f.label] + f.aliases where other != f.name { names[other] = .string(f.name) } }
            _ = try engine("declare", [.map(declared), .array(loaded.schema.fields.map { .string($0.name) }), .map(names)], false)

            var rules: [RuleDescriptor] = []
            var problems: [Diagnostic] = []
            for file in bundle.ruleFiles {
                // A rule file's top level is rule code: the instruction budget and the memory cap
                // apply (sandbox review: `while true do end` there hung check, test and run).
                let r: [LuaValue]
                // What the file's top level changed in a module is its own problem, even if it then failed.
                func checkModules() {
                    if let change = RuleRuntime.moduleChanges(in: lua) {
                        problems.append(Diagnostic(file: file.displayPath, "changes the module table \(change) when it loads. " + RuleRuntime.moduleChangeAdvice))
                    }
                }
                do {
                    _ = try engine("read_returns", [.string(file.source)], false)  // (see EngineLua `read_returns`)
                    r = try lua.withMemoryCap { try engine("load_rule_file", [.string(file.source), .string(file.chunkName)], true) }
                } catch {
                    // The budget or the memory cap stopped the file's top level: that file's problem.
                    problems.append(RuleRuntime.diagnostic(from: (error as? LuaError)?.message ?? String(describing: error), file: file.displayPath))
                    checkModules()
                    continue
                }
                checkModules()
                if case .array(let items) = r.first ?? .nil, !(r.first ?? .nil).isNil {
                    for item in items { rules.append(RuleRuntime.descriptor(from: item, file: file.displayPath)) }
                } else if case .array(let errs) = r.count > 1 ? r[1] : .nil {
                    for e in errs { problems.append(RuleRuntime.diagnostic(from: e.displayText, file: file.displayPath)) }
                }
            }
            if !problems.isEmpty { throw DiagnosticList(problems) }

            let plan = ServicePlan(catalog: loaded.catalog, rules: rules, asOf: asOf)
            let slots: [LuaValue] = plan.slots.map { slot in
                .map(["rules": .array(slot.rules.map { .integer(Int64($0.index)) }), "as_of": .string(asOf),
                      "service": slot.service.luaDescription,
                      "params": .map(slot.service.resolvedParams(on: asOf).mapValues(\.luaValue)),
                      "later": .map(RuleRuntime.paramsNotYetInForce(slot.service, on: asOf))])
            }
            _ = try engine("set_plan", [.array(slots)], false)
            lua.getGlobal("__engine")
            var refs: [LuaRef] = []
            for name in ["evaluate_profile", "state", "data_mt", "set_tracing", "trace", "printed", "O_CODE", "O_PACK", "O_AMOUNT", "O_SCORE",
                         "O_REASON", "MISSING_READS", "O_ERR", "LIST_MT", "LIST_REAL", "UNKNOWN_WHY"] {
                lua.rawGet(-1, key: name)
                refs.append(lua.ref())
            }
            lua.push(LuaValue.array(loaded.schema.fields.map { .string($0.name) }))
            refs.append(lua.ref())
            // The profile table every evaluation overwrites (pushProfileTable), with the strict metatable.
            lua.newTable(recordCount: loaded.schema.fields.count)
            lua.push(refs[2])
            lua.setMetatable(-2)
            // Read-only for the sandbox's rawset too. Rules cannot reach it today (they read the
            // proxy `p`), and the host's field cache (LuaFieldWriter) must stay its only writer.
            lua.getGlobal("__sandbox")
            lua.rawGet(-1, key: "protected")
            lua.pushCopy(of: -3)
            lua.push(true)
            lua.rawSet(-3)
            lua.pop(2)
            refs.append(lua.ref())
            lua.top = base
            return (rules, refs)
        }
        let (rules, refs) = try lua.withoutMemoryCap(setup)
        self.rules = rules
        self.plan = ServicePlan(catalog: loaded.catalog, rules: rules, asOf: asOf)
        builder = DecisionBuilder(plan: plan, rules: rules, schema: loaded.schema)
        // refs[2], the strict metatable, went onto the profile table above.
        (evaluateProfileRef, stateRef, tracingRef, traceRef, printedRef) = (refs[0], refs[1], refs[3], refs[4], refs[5])
        (codeRef, packRef, amountRef, scoreRef, reasonRef) = (refs[6], refs[7], refs[8], refs[9], refs[10])
        (missingReadsRef, errRef, listMetatableRef, listRealRef) = (refs[11], refs[12], refs[13], refs[14])
        (unknownWhyRef, keysRef, profileTableRef) = (refs[15], refs[16], refs[17])
        fieldWriter = LuaFieldWriter(lua: lua, fieldCount: loaded.schema.fields.count)
        results = Array(repeating: SlotResult(), count: plan.slots.count)
        lastReasons = Array(repeating: nil, count: plan.slots.count)
        codes = Array(repeating: 0, count: plan.slots.count)
        packs = codes
        amounts = Array(repeating: 0, count: plan.slots.count)
        scores = amounts
        figures = Array(repeating: 0, count: plan.slots.count)
        lua.collectGarbage()
    }

    // MARK: - Evaluation

    /// Evaluates every planned service for `profile`; the results are indexed like `plan.slots`.
    public func evaluate(_ profile: Profile) -> [SlotResult] {
        let r = evaluateOnce(profile)
        // Already traced (`explain`, `decisions(for:trace:)`): the reads are there, and the traced
        // `__index` raises markers from Lua, which the count below does not see. The pass changes
        // nothing when no marker was swallowed (review: it was skipped while tracing, and
        // `explain` showed such a condition passed).
        if tracing { return swallowedReadsMadeMissing(r, reads: readTrace(), profile) }
        // More markers raised than the engine recorded: rule code swallowed one (a `__close`
        // handler replacing it by another error inside a pcall; sandbox review). Evaluated again,
        // traced, and each such read made what the marker would have made it. (A lazily metered
        // attempt that was redone also raised markers: the traced pass then finds nothing to change.)
        if lua.markersRaised - markersBeforeAttempt > UInt(missingReadCount) { return evaluateSwallowingNoMarker(profile) }
        return r
    }

    /// `evaluate`, traced, with every missing field a rule read and swallowed the marker of made
    /// unknown (in a condition) or undetermined (elsewhere), as the marker would have.
    func evaluateSwallowingNoMarker(_ profile: Profile) -> [SlotResult] {
        setTracing(true)
        let r = evaluateOnce(profile)
        let reads = readTrace()
        setTracing(false)
        return swallowedReadsMadeMissing(r, reads: reads, profile)
    }

    /// `r` with each traced read of a field `profile` lacks, other than through `has`, made what
    /// its marker would have made it.
    private func swallowedReadsMadeMissing(_ r: [SlotResult], reads: [(slot: Int, phase: Int, condition: Int, field: String, viaHas: Bool)],
                                           _ profile: Profile) -> [SlotResult] {
        var r = r
        for read in reads where !read.viaHas {
            let j = read.slot - 1
            guard r.indices.contains(j), r[j].code != 4, r[j].code != 5, let field = schema.index(of: read.field),
                  field >= profile.values.count || profile.values[field] == nil else { continue }
            if read.phase == 2, read.condition >= 1, read.condition <= EngineLua.maxConditions {
                guard r[j].missing[read.condition] == nil else { continue }
                let shift = Int64(2 * (read.condition - 1))
                r[j].packed = (r[j].packed & ~(3 << shift)) | (3 << shift)
                r[j].missing[read.condition] = field
                var failed = false
                for k in 1...EngineLua.maxConditions where r[j].conditionState(k) == .failed { failed = true }
                r[j].code = failed ? 2 : 3
            } else if read.phase >= 3, r[j].code != 3 || r[j].missing.isEmpty {
                r[j].code = 3
                r[j].missing[0] = field
                r[j].reason = read.phase >= 4 ? "amount" : nil
                if read.phase == 3 { r[j].packed = 0 }
            } else {
                continue
            }
            r[j].amount = nil
            r[j].score = nil
        }
        results = r
        return r
    }

    private func evaluateOnce(_ profile: Profile) -> [SlotResult] {
        // A fresh array rather than resetting the last one: the caller usually still holds that
        // (EvaluatedProfile), so resetting in place first copied all its results, retaining what
        // they hold only to release it again. Each result initialized in place, not copied from one
        // (`Array(repeating:count:)` copied a template into every element, 5k instructions a business).
        let n = results.count
        results = [SlotResult](unsafeUninitializedCapacity: n) { buffer, initialized in
            for j in 0..<n { (buffer.baseAddress! + j).initialize(to: SlotResult()) }
            initialized = n
        }
        // First without the count hook (LuaState.lazilyMeteredCall); when that cannot vouch for the
        // result, everything again, metered, slot by slot as below.
        var lazy = LazyCallOutcome.notAttempted
        if lua.lazyMeteringUsable {
            let base = lua.top
            lua.pushMessageHandler()
            lua.push(evaluateProfileRef)
            lua.push(Int64(1))
            pushProfileTable(profile)
            markersBeforeAttempt = lua.markersRaised
            lazy = lua.lazilyMeteredCall(arguments: 2, results: 0, handlerIndex: base + 1)
            lua.top = base
            if lazy == .done(.ok) {
                readResults(profile)
                return results
            }
        }
        let redo = lazy != .notAttempted
        markersBeforeAttempt = lua.markersRaised  // the metered attempt's markers only
        var startSlot = 1
        while startSlot <= results.count {
            let base = lua.top
            lua.pushMessageHandler()
            lua.push(evaluateProfileRef)
            lua.push(Int64(startSlot))
            if startSlot == 1 { pushProfileTable(profile) } else { lua.pushNil() }
            // On a redo, the driver first drops what rules printed during the attempt.
            if startSlot == 1 && redo { lua.push(true) } else { lua.pushNil() }
            lua.push(true)  // metered: a fresh budget for every slot
            let status = lua.protectedCall(arguments: 4, results: 0, handlerIndex: base + 1, metered: true)
            guard case .failed(let kind) = status else {
                lua.top = base
                break
            }
            // The budget or memory cap stopped a rule: record it and go on with the next slot.
            let error = lua.popError(kind: kind)
            lua.top = base
            let (slot, phase, _, packed, rule) = driverState()
            let j = slot - 1
            guard j >= 0, j < results.count else { break }
            results[j].decidedByHost = true
            results[j].ruleIndex = rule - 1
            results[j].code = 4
            results[j].error = error
            // In the amount or score (phase 4, 5) every condition has passed: the driver wrote them
            // to O_PACK[j] before (they showed as skipped).
            results[j].packed = phase == 2 ? packed : phase >= 4 ? conditionBits(slot: j) : 0
            if kind == .memory { lua.collectGarbage() }
            startSlot = slot + 1
        }
        readResults(profile)
        return results
    }

    /// Reviewer-facing decisions for `profile`; with `trace`, each condition lists the fields it read.
    public func decisions(for profile: Profile, trace: Bool = false) -> [Decision] {
        if trace { setTracing(true) }
        let slotResults = evaluate(profile)
        var reads: [(slot: Int, phase: Int, condition: Int, field: String)] = []
        if trace {
            reads = readTrace().map { ($0.slot, $0.phase, $0.condition, $0.field) }
            setTracing(false)
        }
        return slotResults.indices.map { j in
            var d = decision(for: slotResults[j], at: j)
            if trace {
                let mine = reads.filter { $0.slot == j + 1 }
                for k in d.conditions.indices {
                    d.conditions[k].fieldsRead = unique(mine.filter { $0.phase == 2 && $0.condition == k + 1 }.map(\.field))
                }
                d.fieldsRead = unique(mine.filter { $0.phase != 2 }.map(\.field))
            }
            return d
        }
    }

    /// Turns a slot's compact result into a `Decision` with Chinese reasons.
    public func decision(for result: SlotResult, at slotIndex: Int) -> Decision {
        // Most decisions repeat a few (rule, condition states) patterns: reuse their text.
        let cacheable = result.missing.isEmpty && result.undeterminedReasons == nil && (result.code == 1 || result.code == 2 || result.code == 5)
        let key = DecisionTextKey(slot: slotIndex, rule: result.ruleIndex, code: result.code, packed: result.packed)
        if cacheable, let cached = decisionTexts[key] {
            var d = cached
            d.amount = result.amount
            d.score = result.score
            // A subject mismatch (code 5) keeps its own reason, whatever kind of rule the slot has.
            if result.code != 5, builder.ruleEvaluates(result.ruleIndex) {
                d.reasons = [result.reason ?? Decision.defaultReason(result.outcome)]
            }
            return d
        }
        let d = builder.decision(for: result, at: slotIndex)
        if cacheable, decisionTexts.count < 4096 { decisionTexts[key] = d }
        return d
    }

    /// Lines rules printed with `print` since the last call (for `huiqi test`), then cleared.
    public func takePrinted() -> [String] {
        let base = lua.top
        defer { lua.top = base }
        lua.push(printedRef)
        let value = lua.value(at: -1)
        var lines: [String] = []
        if case .array(let items) = value { lines = items.map(\.displayText) }
        let n = lines.count
        for i in 0..<n {
            lua.pushNil()
            lua.rawSet(base + 1, index: n - i)
        }
        return lines
    }

    // MARK: - Internals

    /// Pushes the runtime's profile table, holding `profile`'s present fields (absent ones nil).
    ///
    /// One table per runtime, overwritten for each profile: a fresh table per profile cost a
    /// 2 KiB hash part from malloc (past glibc's small-block caches, so each one also consolidated
    /// the heap) plus ~35 key insertions and its collection. Overwriting finds each key's node in
    /// place; a field set to nil keeps its node until a collection clears it, so re-inserting it
    /// rarely needs a rehash. Measured with `huiqi-bench --only host`: see BENCHMARKS.md.
    /// `fieldWriter` skips each field whose value is the one it got for the previous profile.
    ///
    /// Filled with the memory cap lifted: this runs outside any protected call, where an allocation
    /// failure (interning a long string once a rule has hoarded memory up to the cap) would abort
    /// the process. The cap limits rules; the profile's own data is bounded by the input row.
    private func pushProfileTable(_ profile: Profile) {
        lua.withoutMemoryCap {
            lua.push(keysRef)
            let keys = lua.top
            lua.push(profileTableRef)
            fieldWriter.begin(table: keys + 1, keys: keys)
            for i in 0..<fieldWriter.fieldCount {
                guard i < profile.values.count, let value = profile.values[i] else {
                    fieldWriter.setNil(i)
                    continue
                }
                switch value {
                case .string(let s), .date(let s): fieldWriter.set(i, string: s)
                case .integer(let n): fieldWriter.set(i, integer: n)
                case .decimal(let d): fieldWriter.set(i, number: d)
                case .boolean(let b): fieldWriter.set(i, boolean: b)
                case .list(let items):
                    fieldWriter.forget(i)
                    lua.rawGet(keys, index: i + 1)
                    pushList(items)
                    lua.rawSet(keys + 1)
                }
            }
            lua.remove(at: keys)
        }
    }

    /// `table[name] = value` for every present field, keys pushed from the interned array (the
    /// reference loop's tables, each written once).
    private func setFields(of profile: Profile, table: Int32, keys: Int32) {
        for i in 0..<min(profile.values.count, schema.fields.count) {
            guard let value = profile.values[i] else { continue }
            lua.rawGet(keys, index: i + 1)
            switch value {
            case .string(let s), .date(let s): lua.push(s)
            case .integer(let n): lua.push(n)
            case .decimal(let d): lua.push(d)
            case .boolean(let b): lua.push(b)
            case .list(let items): pushList(items)
            }
            lua.rawSet(table)
        }
    }

    /// Pushes a read-only list: an empty proxy with the engine's LIST_MT, its items in a table kept in
    /// LIST_REAL[proxy] (see EngineLua).
    private func pushList(_ items: [String]) {
        if items.isEmpty, let emptyListRef {
            lua.push(emptyListRef)
            return
        }
        lua.push(listRealRef)
        lua.newTable()
        lua.push(listMetatableRef)
        lua.setMetatable(-2)
        lua.pushCopy(of: -1)
        lua.newTable(arrayCount: items.count)
        for (k, item) in items.enumerated() {
            lua.push(item)
            lua.rawSet(-2, index: k + 1)
        }
        lua.rawSet(-4)  // LIST_REAL[proxy] = items; leaves LIST_REAL, proxy
        lua.remove(at: -2)
        if items.isEmpty {
            // Kept by the registry (LIST_REAL holds its proxies weakly), shared from now on.
            lua.pushCopy(of: -1)
            emptyListRef = lua.ref()
        }
    }

    /// Benchmark support (PRODUCT.md §8): builds `profiles` as Lua tables in this state, then runs
    /// the same driver over them in one pure-Lua loop. Returns rule evaluations and the loop's
    /// seconds (table building excluded). With `slots` (0-based indices into `plan.slots`), only those
    /// services run, for a per-service breakdown; `cpuSeconds` is this thread's CPU time.
    /// `ready` is called once the tables are built, just before the timed loop (the bench lines
    /// up two loops on two threads with it).
    public func referenceLoop(_ profiles: [Profile], slots: ClosedRange<Int>? = nil, ready: (() -> Void)? = nil) throws
        -> (evaluations: Int, seconds: Double, cpuSeconds: Double) {
        try lua.withoutMemoryCap {
            let base = lua.top
            defer { lua.top = base }
            lua.push(keysRef)
            lua.newTable(arrayCount: profiles.count)
            for (i, profile) in profiles.enumerated() {
                lua.newTable(recordCount: profile.values.count)
                setFields(of: profile, table: base + 3, keys: base + 1)
                lua.rawSet(base + 2, index: i + 1)
            }
            let list = lua.ref()
            defer { lua.release(list) }
            lua.getGlobal("__engine")
            lua.rawGet(-1, key: "prepare_reference")
            let prepare = lua.ref()
            lua.rawGet(-1, key: "reference_loop")
            let loop = lua.ref()
            defer { lua.release(prepare); lua.release(loop) }
            _ = try callWithTable(prepare, list)
            let range = slots.map { [Int64($0.lowerBound + 1), Int64($0.upperBound + 1)] } ?? []
            ready?()
            let cpuStart = RuleRuntime.threadCPUSeconds()
            let start = DispatchTime.now().uptimeNanoseconds
            let result = try callWithTable(loop, list, range)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            return (Int(result ?? 0), seconds, RuleRuntime.threadCPUSeconds() - cpuStart)
        }
    }

    /// CPU seconds used by the calling thread (less noisy than wall time on a shared machine).
    public static func threadCPUSeconds() -> Double {
        var ts = timespec()
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts)
        return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
    }

    /// Calls `function(table, extra…)` unmetered, returning an integer result if any.
    private func callWithTable(_ function: LuaRef, _ table: LuaRef, _ extra: [Int64] = []) throws -> Int64? {
        let base = lua.top
        defer { lua.top = base }
        lua.pushMessageHandler()
        lua.push(function)
        lua.push(table)
        for x in extra { lua.push(x) }
        if case .failed(let kind) = lua.protectedCall(arguments: 1 + Int32(extra.count), results: 1, handlerIndex: base + 1, metered: false) {
            throw lua.popError(kind: kind)
        }
        return lua.integer(at: -1)
    }

    /// Copies the driver's results into `results`. Each array is read only where the slot's code
    /// says it holds something for this profile: the driver does not clear them between profiles.
    private func readResults(_ profile: Profile) {
        let base = lua.top
        defer { lua.top = base }
        lua.push(codeRef)
        lua.push(packRef)
        lua.push(amountRef)
        lua.push(scoreRef)
        let slots = results.count
        lua.readSlots(base + 1, base + 2, base + 3, base + 4, count: slots, numbersWhere: 7, is: 1,
                      intsA: &codes, intsB: &packs, numsC: &amounts, numsD: &scores, have: &figures)
        lua.top = base
        lua.push(reasonRef)
        lua.push(errRef)
        let (reasons, errors) = (base + 1, base + 2)
        // Through the buffer: `results[j].x = …` checked the array's uniqueness at every write.
        results.withUnsafeMutableBufferPointer { results in
            for j in 0..<slots where !results[j].decidedByHost {
                let code = Int(codes[j] & 7), ruleIndex = Int(codes[j] >> 3) - 1
                results[j].code = code
                results[j].ruleIndex = ruleIndex
                results[j].packed = packs[j]
                if code == 1 {
                    // To the 分, once, here: the log and `--out` printed 0.1 + 0.2 differently
                    // (0.30000000000000004 and 0.3; reviewer review). Never negative (`finite`).
                    results[j].amount = figures[j] & 1 != 0 ? RuleRuntime.toFen(amounts[j]) : nil
                    results[j].score = figures[j] & 2 != 0 ? scores[j] : nil
                }
                if code == 3 || (code != 5 && code != 4 && builder.ruleEvaluates(ruleIndex)) {
                    lua.rawGet(reasons, index: j + 1)
                    results[j].reason = reason(slot: j, at: -1)
                    lua.pop()
                }
                if code == 4 {
                    lua.rawGet(errors, index: j + 1)
                    let text = RuleRuntime.capped(lua.string(at: -1) ?? "unknown error", bytes: RuleRuntime.maxErrorBytes)
                    lua.pop()
                    results[j].error = text.hasPrefix("not enough memory")
                        ? LuaError(kind: .memory, message: "memory cap exceeded: the Lua state may use at most \(lua.limits.maxMemoryBytes >> 20) MiB (超出内存上限)")
                        : LuaError(kind: .runtime, rawMessage: text)
                }
            }
        }
        // MISSING_READS = { [0] = n, slot | condition << 16 | field index << 24, … }; field index 0:
        // unknown(…), its reason in UNKNOWN_WHY[k].
        lua.push(missingReadsRef)
        let reads = lua.top
        let n = Int(lua.rawGetInteger(reads, index: 0))
        missingReadCount = 0
        for k in stride(from: 1, through: n, by: 1) {
            let entry = Int(lua.rawGetInteger(reads, index: k))
            let j = (entry & 0xFFFF) - 1, condition = (entry >> 16) & 0xFF, field = (entry >> 24) - 1
            if field == -1 {
                guard results.indices.contains(j), !results[j].decidedByHost else { continue }
                lua.push(unknownWhyRef)
                lua.rawGet(-1, index: k)
                let why = RuleRuntime.capped(lua.string(at: -1) ?? "", bytes: RuleRuntime.maxReasonBytes)
                lua.pop(2)
                results[j].undeterminedReasons = (results[j].undeterminedReasons ?? [:]).merging([condition: why]) { $1 }
                continue
            }
            missingReadCount += 1  // markers the C `__index` raised (see `evaluate`)
            if results.indices.contains(j), !results[j].decidedByHost, schema.fields.indices.contains(field) {
                // A marker for a field the profile has: rule code kept one (from a `__close`
                // handler) and raised it itself. The rule's error, not missing data (sandbox review).
                if field < profile.values.count, profile.values[field] != nil {
                    results[j].code = 4
                    results[j].decidedByHost = true
                    results[j].error = LuaError(kind: .runtime, message: "rule code raised the engine's missing-data marker for '\(schema.fields[field].name)', which the profile has (规则不能自行抛出缺数据标记)")
                    continue
                }
                results[j].missing[condition] = field
            }
        }
    }

    /// An amount in 元 rounded to the 分 (half away from zero), without a negative zero.
    /// Past 1e13 元 a double holds no fen, and ×100 could overflow to infinity (final review:
    /// 5e306 became inf, and the JSON Lines export invalid): such an amount is left as it is.
    static func toFen(_ amount: Double) -> Double {
        guard abs(amount) < 1e13 else { return amount }
        let fen = (amount * 100).rounded() / 100
        return fen == 0 ? 0 : fen
    }

    /// The longest reason and rule-error text (message and traceback) the log keeps, in bytes.
    static let maxReasonBytes = 2_000, maxErrorBytes = 8_000

    /// `text` cut to at most `bytes` UTF-8 bytes on a character boundary, marked as cut.
    static func capped(_ text: String, bytes: Int) -> String {
        guard text.utf8.count > bytes else { return text }
        let mark = "…(已截断 truncated, \(text.utf8.count) bytes)"
        var kept = "", used = 0
        for character in text {
            let n = character.utf8.count
            if used + n > bytes - mark.utf8.count { break }
            kept.append(character)
            used += n
        }
        return kept + mark
    }

    /// The string at `index`, a reason slot `j` gave: the same `String` as the slot's last one when
    /// the bytes are the same (rules repeat their reasons), so most need no decoding or allocation.
    private func reason(slot j: Int, at index: Int32) -> String? {
        lua.withBytes(at: index) { bytes -> String in
            // A reason is a sentence: one of megabytes (a rule's bug) would fill the log at district
            // scale (sandbox review: a 900 KB reason made a 90 MB log of 50 businesses).
            // The log joins a decision's reasons with U+001F: one inside a reason read back as two
            // reasons (reviewer review). Shown as its picture, ␟.
            func decoded() -> String {
                let text = String(decoding: bytes, as: UTF8.self)
                guard let start = bytes.baseAddress, memchr(start, 0x1F, bytes.count) != nil else { return text }
                return text.replacingOccurrences(of: "\u{1F}", with: "\u{241F}")
            }
            if bytes.count > RuleRuntime.maxReasonBytes {
                return RuleRuntime.capped(decoded(), bytes: RuleRuntime.maxReasonBytes)
            }
            if let last = lastReasons[j], last.utf8.count == bytes.count,
               bytes.isEmpty || last.utf8.withContiguousStorageIfAvailable({ p in
                   p.baseAddress.map { memcmp($0, bytes.baseAddress!, bytes.count) == 0 } ?? false
               }) == true {
                return last
            }
            let text = decoded()
            lastReasons[j] = text
            return text
        }
    }

    /// The condition bits the driver wrote for slot `j` (0-based) of the current profile.
    private func conditionBits(slot j: Int) -> Int64 {
        let base = lua.top
        defer { lua.top = base }
        lua.push(packRef)
        lua.rawGet(base + 1, index: j + 1)
        return lua.integer(at: -1) ?? 0
    }

    /// Where the driver stopped: `__engine.state()`, read straight off the stack (this runs once
    /// per interruption, i.e. per missing field, so it allocates nothing).
    private func driverState() -> (slot: Int, phase: Int, condition: Int, packed: Int64, rule: Int) {
        let base = lua.top
        defer { lua.top = base }
        lua.pushMessageHandler()
        lua.push(stateRef)
        guard lua.protectedCall(arguments: 0, results: 5, handlerIndex: base + 1, metered: false) == .ok else { return (0, 0, 0, 0, 0) }
        func int(_ i: Int32) -> Int { Int(lua.integer(at: base + i) ?? 0) }
        return (int(2), int(3), int(4), lua.integer(at: base + 5) ?? 0, int(6))
    }

    private func setTracing(_ on: Bool) {
        tracing = on
        _ = try? lua.call(tracingRef, [.boolean(on)], metered: false)
    }

    /// The reads traced: `viaHas` for `has(p, x)`, which never raises the missing-field marker.
    private func readTrace() -> [(slot: Int, phase: Int, condition: Int, field: String, viaHas: Bool)] {
        guard let value = try? lua.call(traceRef, [], metered: false).first, case .array(let items) = value else { return [] }
        return items.compactMap { item in
            guard case .array(let parts) = item, parts.count >= 4, case .integer(let s) = parts[0],
                  case .integer(let p) = parts[1], case .integer(let c) = parts[2], case .string(let f) = parts[3] else { return nil }
            return (Int(s), Int(p), Int(c), f, parts.count > 4)
        }
    }

    private func unique(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }

    // MARK: - Setup helpers

    /// `(name, arguments, metered)`: calls `__engine[name]` and returns its results; `metered` for
    /// rule code (a rule file's top level), unmetered for the engine's own setup.
    private static func engineFunctionCaller(_ lua: LuaState) throws -> (String, [LuaValue], Bool) throws -> [LuaValue] {
        lua.getGlobal("__engine")
        let engineRef = lua.ref()
        var functionRefs: [String: LuaRef] = [:]
        return { name, args, metered in
            let ref: LuaRef
            if let r = functionRefs[name] {
                ref = r
            } else {
                lua.push(engineRef)
                lua.rawGet(-1, key: name)
                ref = lua.ref()
                lua.pop()
                functionRefs[name] = ref
            }
            return try lua.call(ref, args, metered: metered)
        }
    }

    static func descriptor(from value: LuaValue, file: String) -> RuleDescriptor {
        func strings(_ v: LuaValue) -> [String] { if case .array(let a) = v { return a.compactMap(\.stringValue) }; return [] }
        func ints(_ v: LuaValue) -> [Int] {
            if case .array(let a) = v { return a.compactMap { if case .integer(let i) = $0 { return Int(i) }; return nil } }
            return []
        }
        let index: Int
        if case .integer(let i) = value["index"] { index = Int(i) } else { index = 0 }
        return RuleDescriptor(
            id: value["id"].stringValue ?? "", serviceID: value["service"].stringValue ?? "",
            subjects: value["subjects"].isNil ? nil : strings(value["subjects"]),
            effectiveFrom: value["effective_from"].stringValue, effectiveTo: value["effective_to"].stringValue,
            conditionLabels: strings(value["labels"]), lines: ints(value["lines"]),
            hasEvaluate: value["has_evaluate"].boolValue ?? false, description: value["description"].stringValue,
            file: file, index: index)
    }

    /// Dated params of `service` whose first date is after `asOf` → that date (a rule reading one
    /// is told when it starts, not that it does not exist).
    static func paramsNotYetInForce(_ service: Service, on asOf: String) -> [String: LuaValue] {
        var out: [String: LuaValue] = [:]
        for (name, value) in service.params where value.resolved(on: asOf) == nil {
            if case .dated(let steps) = value, let first = steps.map(\.from).min() { out[name] = .string(first) }
        }
        return out
    }

    /// What to do about a change to a module's tables, in every message that reports one.
    public static let moduleChangeAdvice = "Rule and test code must not change a module's tables: "
        + "every later business would see the change; copy the table first (规则不得修改模块中的表, 请先复制)"

    /// The first change rule code made to a module's tables since the module loaded, as
    /// `lib.LIST[3]: nil → "新区"`, or nil. Every changed table is put back as it was, so
    /// later businesses see the module as loaded. (Only a module's top level is read-only.)
    public func moduleChanges() -> String? { RuleRuntime.moduleChanges(in: lua) }

    private static func moduleChanges(in lua: LuaState) -> String? {
        // Host work, bounded by what was watched: a state at its memory cap must still be put back
        // (review: the check failed there, and a half-restored table stayed for the whole run).
        lua.withoutMemoryCap {
            let base = lua.top
            defer { lua.top = base }
            pushSandboxFunction("check_modules", in: lua)
            guard case .ok = lua.protectedCall(arguments: 0, results: 1, handlerIndex: base + 1, metered: false) else {
                return "(could not check or put back the modules' tables: \(lua.string(at: -1) ?? "unknown error"))"
            }
            return lua.string(at: -1)
        }
    }

    /// Pushes the message handler, then `__sandbox[name]`: ready for a protected call whose
    /// handler is at the stack's old top + 1.
    private static func pushSandboxFunction(_ name: String, in lua: LuaState) {
        lua.pushMessageHandler()
        lua.getGlobal("__sandbox")
        lua.rawGet(-1, key: name)
        lua.remove(at: -2)
    }

    /// Compiles `source` as the sandbox compiles rule and lib files (`Sandbox` `load_chunk`, with
    /// its globals prelude), without running it: nil, or Lua's message.
    public func compileError(source: String, chunkName: String) -> String? {
        let base = lua.top
        defer { lua.top = base }
        RuleRuntime.pushSandboxFunction("load_chunk", in: lua)
        lua.push(source)
        lua.push(chunkName)
        guard case .ok = lua.protectedCall(arguments: 2, results: 2, handlerIndex: base + 1, metered: false) else {
            return lua.string(at: -1) ?? "cannot compile"
        }
        return lua.string(at: -1)
    }

    /// The names module `name`'s table holds as loaded in this state; nil when it is not loaded
    /// (no rule file required it at its top level), is not a table, or may answer other names
    /// through a metatable.
    public func moduleKeys(_ name: String) -> [String]? {
        let base = lua.top
        defer { lua.top = base }
        RuleRuntime.pushSandboxFunction("module_keys", in: lua)
        lua.push(name)
        guard case .ok = lua.protectedCall(arguments: 1, results: 1, handlerIndex: base + 1, metered: false),
              case .array(let keys) = lua.value(at: -1) else { return nil }
        return keys.compactMap(\.stringValue)
    }

    /// The globals a rule or lib file reads that the sandbox does not have (each an error whenever
    /// a business reaches it), as (line, message, whether only a warning: a name of standard Lua the
    /// sandbox leaves out, which code may probe for); nil when the file cannot be analysed this way
    /// (see the sandbox's `unknown_globals`).
    public func unknownGlobals(source: String, chunkName: String) -> [(line: Int, message: String, isWarning: Bool)]? {
        let base = lua.top
        defer { lua.top = base }
        RuleRuntime.pushSandboxFunction("unknown_globals", in: lua)
        lua.push(source)
        lua.push(chunkName)
        guard case .ok = lua.protectedCall(arguments: 2, results: 1, handlerIndex: base + 1, metered: false) else { return nil }
        switch lua.value(at: -1) {
        case .array(let entries):
            return entries.compactMap { entry in
                guard case .array(let fields) = entry, fields.count == 3, case .integer(let line) = fields[0],
                      let message = fields[1].stringValue else { return nil }
                return (Int(line), message, fields[2].stringValue == "warning")
            }
        default:
            return nil
        }
    }

    /// Turns a Lua load message (`Rules/x.lua:3: unexpected symbol`) into a diagnostic with file:line.
    /// Lua shortens a long chunk name to its last 60 characters after "..." (`LUA_IDSIZE`).
    static func diagnostic(from message: String, file: String) -> Diagnostic {
        var firstLine = message.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? message
        if firstLine.hasPrefix("not enough memory") {
            firstLine = "memory cap exceeded while the file loads (the cap is --max-memory-mb; 超出内存上限)"
        }
        // A file that does not compile gets the same plain-words hint as a rule error at run time
        // (`=` for `==`, assigning to a sandbox global such as `has`).
        if let hint = LuaError.hint(for: firstLine) { firstLine += " " + hint }
        if let loc = LuaError.location(in: firstLine),
           loc.file == file || (loc.file.hasPrefix("...") && file.hasSuffix(loc.file.dropFirst(3))) {
            let text = firstLine.dropFirst(loc.file.count + 1 + String(loc.line).count + 1).trimmingCharacters(in: .whitespaces)
            return Diagnostic(file: file, line: loc.line, text)
        }
        return Diagnostic(file: file, firstLine)
    }
}

/// What a decision's reasons and condition list depend on, when no field was missing.
struct DecisionTextKey: Hashable {
    var slot: Int
    var rule: Int
    var code: Int
    var packed: Int64
}

extension Decision {
    static func defaultReason(_ outcome: Outcome) -> String {
        switch outcome {
        case .eligible: return "符合条件"
        case .ineligible: return "不符合条件"
        case .undetermined: return "数据不足, 无法判定"
        case .error: return "规则执行出错"
        }
    }
}

extension RuleRuntime {
    /// Runs a `_test.lua` file in the sandbox and returns the value it returns.
    func loadTestFile(_ file: RuleBundle.SourceFile) throws -> LuaValue {
        lua.getGlobal("__engine")
        lua.rawGet(-1, key: "load_test_file")
        let ref = lua.ref()
        lua.pop()
        defer { lua.release(ref) }
        // Rule code: metered and capped, as a rule file's top level (sandbox review).
        let results = try lua.withMemoryCap { try lua.call(ref, [.string(file.source), .string(file.chunkName)], metered: true) }
        if results.first?.isNil ?? true, results.count > 1 {
            throw RuleRuntime.diagnostic(from: results[1].displayText, file: file.displayPath)
        }
        return results.first ?? .nil
    }
}
