// huiqi-bench: the reproducible benchmark of PRODUCT.md §8 (issue "Performance at district scale").
//
//   swift build -c release && .build/release/huiqi-bench --count 1000000 --runs 3
//
// It generates (once) N synthetic profiles with `SampleGenerator` (seed 7), then:
//  1. runs the release `huiqi run FILE --jobs J --db …` as a child process, several times per J,
//     and reports the median wall time, profiles/s, rule evaluations/s and the child's peak RSS;
//  2. in this process, times the pure-Lua reference loop (the same rules and driver over profiles
//     already built as Lua tables, in one state) against the host's own single-thread evaluation
//     of the same profiles, so the host overhead is a ratio measured in the same run;
//  3. times `huiqi check` and `huiqi test` on the bundle.
import Dispatch
import Foundation
import Glibc
import Huiqi
import HuiqiLua

struct Options {
    var count = 1_000_000
    var runs = 3
    var rules = "Rules"
    var dir = ".build/bench"
    var referenceCount = 100_000
    var asOf = "2025-06-01"
    var jobs = [1, 2]
    var perService = false
    var records = true
    var only = ""
    var maxInstructions = LuaLimits.defaultMaxInstructions
    var hookStep = LuaLimits().hookStep
    /// Instead of timing: count Lua VM instructions per business, by function, over this many.
    var vmOps = 0
    /// Also time a run split into this many shards (`--shard K/N`, one machine each, PRODUCT.md §9).
    var shards = 0
    var huiqi = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("huiqi").path

    init(_ args: [String]) {
        var i = 1
        func next() -> String { i += 1; return i < args.count ? args[i] : "" }
        while i < args.count {
            switch args[i] {
            case "--count": count = Int(next()) ?? count
            case "--runs": runs = Int(next()) ?? runs
            case "--rules": rules = next()
            case "--dir": dir = next()
            case "--reference-count": referenceCount = Int(next()) ?? referenceCount
            case "--as-of": asOf = next()
            case "--jobs": jobs = next().split(separator: ",").compactMap { Int($0) }
            case "--huiqi": huiqi = next()
            case "--per-service": perService = true
            case "--no-records": records = false
            case "--only": only = next()
            case "--max-instructions": maxInstructions = Int(next()) ?? maxInstructions
            case "--hook-step": hookStep = Int(next()) ?? hookStep
            case "--vm-ops": vmOps = Int(next()) ?? 0
            case "--shards": shards = Int(next()) ?? 0
            case "--help", "-h":
                print("usage: huiqi-bench [--count N] [--runs K] [--rules DIR] [--dir DIR] [--reference-count M] [--jobs 1,2] [--huiqi PATH] [--per-service] [--no-records] [--max-instructions N] [--hook-step N] [--only reference|host|none] [--vm-ops N] [--shards N]")
                exit(0)
            default:
                FileHandle.standardError.write(Data("unknown option \(args[i])\n".utf8))
                exit(2)
            }
            i += 1
        }
    }
}

/// Runs a command, returning wall seconds, exit status and the child's peak RSS in KiB
/// (`ChildPeakMemory`: its own high-water mark).
func measure(_ argv: [String]) -> (seconds: Double, status: Int32, maxRSSKiB: Int) {
    var pid: pid_t = 0
    var cArgs = argv.map { strdup($0) } + [nil]
    defer { for p in cArgs { free(p) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    defer { posix_spawn_file_actions_destroy(&actions) }
    let start = DispatchTime.now().uptimeNanoseconds
    guard posix_spawn(&pid, argv[0], &actions, nil, &cArgs, environ) == 0 else { return (0, -1, 0) }
    let (status, peakKiB) = ChildPeakMemory.wait(for: pid, sampling: 20_000)  // 20 ms: 1% of a 2 s run
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    return (seconds, status, peakKiB)
}

func median(_ xs: [Double]) -> Double {
    let s = xs.sorted()
    return s.isEmpty ? 0 : (s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2)
}

func fmt(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

/// The value, or the error printed as one line and exit 2: a missing `Rules/` or an unwritable
/// `--dir` is the user's to fix, not a crash with a backtrace.
func orExit<T>(_ body: () throws -> T) -> T {
    do { return try body() } catch {
        FileHandle.standardError.write(Data("huiqi-bench: \(error)\n".utf8))
        exit(2)
    }
}

let options = Options(CommandLine.arguments)
orExit { try FileManager.default.createDirectory(atPath: options.dir, withIntermediateDirectories: true) }
let loaded = orExit { try LoadedBundle.load(directory: options.rules) }
let input = "\(options.dir)/profiles-\(options.count).csv"
if !FileManager.default.fileExists(atPath: input) {
    print("generating \(options.count) profiles → \(input)")
    try SampleGenerator(schema: loaded.schema, seed: 7).writeCSV(count: options.count, to: URL(fileURLWithPath: input))
}
let slots = try RuleRuntime(bundle: loaded, asOf: options.asOf).plan.slots.count

print("machine: \(ProcessInfo.processInfo.activeProcessorCount) cores, \(ProcessInfo.processInfo.physicalMemory >> 30) GiB; "
      + "input: \(options.count) profiles × \(slots) services (as-of \(options.asOf)); median of \(options.runs) runs")
print("")
print("end to end: huiqi run CSV → SQLite decision log (release build)")
print("jobs  wall s (median)  profiles/s  evaluations/s  peak RSS MiB  log MiB  runs (s)")
/// `huiqi run` of the input `options.runs` times into a fresh log `db`, with `extra` arguments:
/// wall times, the largest peak RSS (KiB) and the log's size (bytes).
func timeRuns(db: String, _ extra: [String]) -> (times: [Double], rssKiB: Int, logBytes: Int) {
    var times: [Double] = []
    var rss = 0
    var logSize = 0
    for _ in 0..<options.runs {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
        let r = measure([options.huiqi, "run", input, "--rules", options.rules, "--as-of", options.asOf] + extra
                        + ["--db", db, "--rejects", "\(options.dir)/rejects.csv"])
        if r.status > 1 { print("huiqi run \(extra.joined(separator: " ")) failed with status \(r.status)"); exit(1) }
        times.append(r.seconds)
        rss = max(rss, r.maxRSSKiB)
        logSize = ((try? FileManager.default.attributesOfItem(atPath: db)[.size] as? Int) ?? nil) ?? 0
    }
    return (times, rss, logSize)
}

var medians: [Int: Double] = [:]
for jobs in options.jobs {
    let (times, rss, logSize) = timeRuns(db: "\(options.dir)/bench-j\(jobs).db", ["--jobs", String(jobs)])
    let m = median(times)
    medians[jobs] = m
    print("\(jobs)     \(fmt(m))           \(Int(Double(options.count) / m))      \(Int(Double(options.count * slots) / m))        "
          + "\(rss / 1024)          \(logSize >> 20)      \(times.map { fmt($0) }.joined(separator: " "))")
}
if let one = medians[1], let two = medians[2] { print("jobs 2 speed-up over jobs 1: \(fmt(one / two))×") }

// A run split across machines: each shard timed alone on this machine with --jobs 2, as each
// would run on a machine of its own; the split run takes as long as its slowest shard.
if options.shards > 1 {
    let n = options.shards
    print("")
    print("split run: huiqi run --shard K/\(n) --jobs 2, each shard alone (one machine each)")
    print("shard  wall s (median)  peak RSS MiB  log MiB  runs (s)")
    var slowest = 0.0
    for k in 1...n {
        let (times, rss, logSize) = timeRuns(db: "\(options.dir)/bench-shard\(k).db", ["--jobs", "2", "--shard", "\(k)/\(n)"])
        slowest = max(slowest, median(times))
        print("\(k)/\(n)    \(fmt(median(times)))            \(rss / 1024)          \(logSize >> 20)      \(times.map { fmt($0) }.joined(separator: " "))")
    }
    print("split run on \(n) machines: \(fmt(slowest)) s (its slowest shard), \(Int(Double(options.count) / slowest)) profiles/s")
}

// Reference loop versus the host, on the same profiles, single thread, in this process.
var stream = try ProfileStream(files: [URL(fileURLWithPath: input)], schema: loaded.schema)
var profiles: [Profile] = []
while profiles.count < options.referenceCount, let record = try stream.next() {
    if case .profile(let p) = record { profiles.append(p) }
}
let runtime = try RuleRuntime(bundle: loaded, asOf: options.asOf, limits: LuaLimits(maxInstructions: options.maxInstructions, maxMemoryBytes: 0, hookStep: options.hookStep))
if options.vmOps > 0 {
    try countVMInstructions(runtime, Array(profiles.prefix(options.vmOps)))
    exit(0)
}
var referenceTimes: [Double] = [], hostTimes: [Double] = [], recordTimes: [Double] = []
var referenceCPU: [Double] = [], hostCPU: [Double] = [], recordCPU: [Double] = []
for _ in 0..<options.runs {
    // A full collection, untimed, before each timed loop: each starts with no garbage left by the
    // loop before it (the reference's 100k profile tables, once it returns, were swept during the
    // host's loop), and the collector at the start of a cycle.
    if options.only == "" || options.only == "reference" {
        let r = try runtime.referenceLoop(profiles, ready: { runtime.lua.collectGarbage() })
        referenceTimes.append(r.seconds)
        referenceCPU.append(r.cpuSeconds)
    }
    runtime.lua.collectGarbage()
    var t = DispatchTime.now().uptimeNanoseconds
    var c = RuleRuntime.threadCPUSeconds()
    if options.only == "" || options.only == "host" { for p in profiles { _ = runtime.evaluate(p) } }
    hostTimes.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9)
    hostCPU.append(RuleRuntime.threadCPUSeconds() - c)
    runtime.lua.collectGarbage()
    t = DispatchTime.now().uptimeNanoseconds
    c = RuleRuntime.threadCPUSeconds()
    if options.records { for p in profiles { _ = runtime.records(for: p) } }
    recordTimes.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9)
    recordCPU.append(RuleRuntime.threadCPUSeconds() - c)
}
let n = Double(profiles.count)
/// Profiles per second, or 0 when that loop did not run (`--only`).
func rate(_ times: [Double]) -> Double { times.isEmpty || median(times) == 0 ? 0 : n / median(times) }
if options.only == "host" { referenceTimes = [] }
if options.only == "reference" { hostTimes = []; hostCPU = [] }
let reference = rate(referenceTimes), host = rate(hostTimes), records = options.records ? rate(recordTimes) : 0
/// CPU microseconds per business (thread CPU time: less noisy than wall time when cores are shared).
func perBusiness(_ cpu: [Double]) -> String {
    fmt(median(cpu) / n * 1e6, 1) + " µs CPU/business (min " + fmt((cpu.min() ?? 0) / n * 1e6, 1) + ")"
}
/// Throughput against the reference: the median over runs of the reference's CPU time over the
/// other loop's, in the same run. The two loops of a run are timed one after the other, so a
/// slow period of the VM (it moves by tens of percent here) weighs on both sides of each ratio.
func ratio(_ reference: [Double], _ cpu: [Double]) -> String {
    guard reference.count == cpu.count, !cpu.isEmpty else { return "n/a" }
    return fmt(median(zip(reference, cpu).map { $1 > 0 ? $0 / $1 : 0 }))
}
print("")
print("single thread, \(profiles.count) profiles already parsed (median of \(options.runs); ratio: median of the runs' CPU-time ratios):")
print("  pure-Lua reference loop:         \(Int(reference)) profiles/s  (\(Int(reference * Double(slots))) evaluations/s)  \(perBusiness(referenceCPU))")
print("  host evaluate (fill + driver):   \(Int(host)) profiles/s  ratio \(ratio(referenceCPU, hostCPU))  \(perBusiness(hostCPU))")
if options.records {
    print("  host + reviewer-facing records:  \(Int(records)) profiles/s  ratio \(ratio(referenceCPU, recordCPU))  \(perBusiness(recordCPU))")
}
if let one = medians[1] {
    print("  end-to-end --jobs 1 (CSV → log): \(Int(Double(options.count) / one)) profiles/s  ratio \(fmt(Double(options.count) / one / reference))")
}

// What this machine allows `--jobs 2`: the reference loop alone, then on two threads at once,
// each with its own Lua state and nothing shared. On a 2-vCPU VM the two vCPUs may not give
// two cores' worth (a shared physical core, the host's other guests): this bounds the speed-up.
// Both loops start together from a barrier once their tables are built, and the pair's time runs
// from the barrier until both are done; the loop alone runs just before, on a worker thread too.
if options.only == "" || options.only == "reference", options.jobs.contains(2) {
    // Two fresh states, each warmed up by one loop, so the loop alone and the pair run on states
    // in the same condition (the bench's own state has run every loop above).
    nonisolated(unsafe) let pair = try (0..<2).map { _ in try RuleRuntime(bundle: loaded, asOf: options.asOf, limits: runtime.lua.limits) }
    let shared = profiles
    for state in pair { _ = try state.referenceLoop(shared) }
    var gains: [Double] = [], rounds: [String] = []
    for round in 0..<options.runs {
        let solo = try pair[round % 2].referenceLoop(shared).seconds
        let barrier = NSCondition()
        nonisolated(unsafe) var arrived = 0, released: UInt64 = 0
        nonisolated(unsafe) var finished: [UInt64] = [0, 0]
        DispatchQueue.concurrentPerform(iterations: 2) { w in
            _ = try? pair[w].referenceLoop(shared, ready: {
                barrier.lock()
                arrived += 1
                if arrived == 2 {
                    released = DispatchTime.now().uptimeNanoseconds
                    barrier.broadcast()
                } else {
                    while arrived < 2 { barrier.wait() }
                }
                barrier.unlock()
            })
            finished[w] = DispatchTime.now().uptimeNanoseconds
        }
        let both = Double(finished.max()! - released) / 1e9
        gains.append(2 * solo / both)
        rounds.append("\(fmt(both)) s against \(fmt(solo)) s")
    }
    print("  machine ceiling for --jobs 2: two reference loops at once \(fmt(median(gains)))× the throughput of one "
          + "(\(rounds.joined(separator: "; ")))")
}
if options.only == "host" {
    // Only the host's loop ran in this state: what evaluating takes (the reference loop's tables fill the arena).
    print("  Lua small-block arena carved: \(runtime.lua.arenaBytes >> 10) KiB of \(LuaState.arenaCapacity >> 10) KiB (small blocks past it come from malloc)")
}

// The two serial stages of `huiqi run`, each alone on one thread, on the same profiles: reading
// (CSV → validated profiles; the calling thread) and writing (the decision log's sink, from
// evaluated profiles, committing every 2048 like the run; also the calling thread, since session 24).
do {
    var readTimes: [Double] = [], writeTimes: [Double] = [], commitTimes: [Double] = []
    let evaluated = profiles.map { EvaluatedProfile(profile: $0, results: runtime.evaluate($0), builder: runtime.builder) }
    for attempt in 0..<max(1, options.runs) {
        var t = DispatchTime.now().uptimeNanoseconds
        var reread = try ProfileStream(files: [URL(fileURLWithPath: input)], schema: loaded.schema)
        var rows = 0
        while rows < profiles.count, try reread.next() != nil { rows += 1 }
        readTimes.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9)

        let path = "\(options.dir)/stage-\(attempt).db"
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
        let store = try SQLiteDecisionStore(path: path)
        let logged = try LoggedRun.start(store: store, loaded: loaded, options: BatchRun.Options(inputs: [input], asOf: options.asOf,
                                         rejectsPath: "\(options.dir)/stage-rejects.csv"), commandLine: "huiqi-bench")
        let sink = try store.sink(forRun: logged.runID, schema: loaded.schema)
        var commitNs: UInt64 = 0
        t = DispatchTime.now().uptimeNanoseconds
        for (i, e) in evaluated.enumerated() {
            try sink.consume(e, row: i + 1)
            if (i + 1) % 2048 == 0 || i + 1 == evaluated.count {
                let c = DispatchTime.now().uptimeNanoseconds
                try sink.commit(rowsRead: i + 1)
                commitNs += DispatchTime.now().uptimeNanoseconds - c
            }
        }
        writeTimes.append(Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9)
        commitTimes.append(Double(commitNs) / 1e9)
    }
    print("  serial stages, µs per business: read (calling thread) \(fmt(median(readTimes) / n * 1e6)), "
          + "write to the log (calling thread) \(fmt(median(writeTimes) / n * 1e6)) (of which SQLite commits \(fmt(median(commitTimes) / n * 1e6)))")
}

// Per-service breakdown: the reference loop over one service at a time. Each service pays for the
// helpers it calls (per-profile memos such as scale_of start empty), so the sum exceeds the total.
if options.perService {
    let plan = runtime.plan
    var rows: [(id: String, micros: Double)] = []
    for j in plan.slots.indices {
        let cpu = try (0..<options.runs).map { _ in try runtime.referenceLoop(profiles, slots: j...j).cpuSeconds }
        rows.append((plan.slots[j].service.id, median(cpu) / n * 1e6))
    }
    let total = rows.reduce(0) { $0 + $1.micros }
    print("")
    print("reference loop per service (µs CPU per business, median of \(options.runs); sum \(fmt(total, 1)) µs):")
    for row in rows.sorted(by: { $0.micros > $1.micros }) {
        print("  \(row.id.padding(toLength: 10, withPad: " ", startingAt: 0)) \(fmt(row.micros, 2))")
    }
}

print("")
for command in ["check", "test"] {
    let times = (0..<max(1, options.runs)).map { _ in measure([options.huiqi, command, "--rules", options.rules]).seconds }
    print("huiqi \(command): \(fmt(median(times), 3)) s (median)")
}

/// `--vm-ops N`: Lua VM instructions per business over N profiles of the host's `evaluate`, by
/// the function that ran them (a count hook at every instruction; deterministic, unlike the
/// clock). The budget is off so the instruction budget's own hook does not replace this one.
func countVMInstructions(_ runtime: RuleRuntime, _ profiles: [Profile]) throws {
    let lua = runtime.lua
    let base = lua.top
    lua.pushMessageHandler()
    try lua.load("""
    local debug = ...
    local counts, getinfo = {}, debug.getinfo
    local function hook()
      local info = getinfo(2, "S")
      local k = info.short_src .. ":" .. info.linedefined
      counts[k] = (counts[k] or 0) + 1
    end
    return function() debug.sethook(hook, "", 1) end, function()
      debug.sethook()
      local rows, total = {}, 0
      for k, n in pairs(counts) do rows[#rows + 1] = { k, n }; total = total + n end
      table.sort(rows, function(a, b) return a[2] > b[2] end)
      return rows, total
    end
    """, chunkName: "=vm-ops")
    lua.pushDebugLibrary()
    guard lua.protectedCall(arguments: 1, results: 2, handlerIndex: base + 1, metered: false) == .ok else { throw lua.popError(kind: .runtime) }
    let report = lua.ref()
    let install = lua.ref()
    lua.top = base
    for p in profiles {
        _ = try lua.call(install, [], metered: false)  // evaluate's metered call turns hooks off after itself
        _ = runtime.evaluate(p)
    }
    let result = try lua.call(report, [], metered: false)
    let n = Double(profiles.count)
    guard case .array(let rows) = result[0], case .integer(let total) = result[1] else { return }
    print("Lua VM instructions per business over \(profiles.count) profiles: \(fmt(Double(total) / n, 1))")
    for row in rows.prefix(25) {
        guard case .array(let pair) = row, pair.count == 2, case .integer(let count) = pair[1] else { continue }
        print("  \(fmt(Double(count) / n, 1).padding(toLength: 9, withPad: " ", startingAt: 0)) \(pair[0].displayText)")
    }
}
