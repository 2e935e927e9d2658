import ArgumentParser
import Foundation
import Huiqi
import HuiqiLua

/// Options every command that loads rules shares.
struct BundleOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The rules bundle directory.", valueName: "DIR"))
    var rules: String = "Rules"

    @Option(name: .long, help: ArgumentHelp("Instruction budget per rule evaluation (0 = none).", valueName: "N"))
    var maxInstructions: Int = LuaLimits.defaultMaxInstructions

    @Option(name: .customLong("max-memory-mb"), help: ArgumentHelp("Memory cap per Lua state, in MiB (0 = none).", valueName: "MB"))
    var maxMemoryMB: Int = LuaLimits.defaultMaxMemoryMB

    var limits: LuaLimits { LuaLimits(maxInstructions: maxInstructions, maxMemoryBytes: maxMemoryMB * 1024 * 1024) }

    func validate() throws {
        guard maxInstructions >= 0 else { throw ValidationError("--max-instructions must be 0 or more (应为 0 或正整数)") }
        guard maxMemoryMB >= 0 else { throw ValidationError("--max-memory-mb must be 0 or more (应为 0 或正整数)") }
        // `limits` multiplies it into bytes: past this an Int overflows and the process traps.
        guard maxMemoryMB <= Int.max >> 20 else { throw ValidationError("--max-memory-mb must be at most \(Int.max >> 20) (0 = none) (最大为 \(Int.max >> 20), 0 表示不限)") }
    }
}

/// The as-of date option: the date rules decide for (default today, always recorded).
struct AsOfOption: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("The date rules decide for, YYYY-MM-DD (default: today).", valueName: "DATE"))
    var asOf: String?

    func validate() throws {
        if let asOf, ISODate.normalize(asOf) == nil { throw ValidationError("--as-of must be a date like 2025-06-01, got '\(asOf)' (判定日期应写作 2025-06-01 这样的日期)") }
    }

    var resolved: String { asOf.flatMap(ISODate.normalize) ?? ISODate.today() }
}

/// `--format` and `--limit` of the listing commands (`log show`, `log diff`).
struct ListingOptions: ParsableArguments {
    @Option(help: ArgumentHelp("table, csv or jsonl.", valueName: "F"))
    var format: String = "table"

    @Option(help: ArgumentHelp("At most N rows (default 100 for table, all for csv/jsonl; 0 = all).", valueName: "N"))
    var limit: Int?

    func validate() throws {
        guard ["table", "csv", "jsonl"].contains(format) else { throw ValidationError("--format must be table, csv or jsonl (输出格式只能是 table、csv 或 jsonl)") }
        if let limit, limit < 0 { throw ValidationError("--limit must be 0 or more (应为 0 或正整数, 0 表示不限)") }
    }

    /// How many rows to list, nil for all.
    var cap: Int? { limit.map { $0 == 0 ? nil : $0 } ?? (format == "table" ? 100 : nil) }
}

/// A table printed a page of 1,000 rows at a time as the rows come, each page aligned on its own:
/// memory stays bounded whatever the number of rows, and `| head` shows the first at once
/// (crash-safety and district-scale reviews: `log show --limit 0` built 2.3 GB for 50k
/// businesses, `log diff --limit 0` 6.5 GB for 4M changes).
struct PagedTable<Row> {
    let render: ([Row]) -> String
    private var page: [Row] = []
    /// Rows added so far.
    private(set) var count = 0

    init(render: @escaping ([Row]) -> String) { self.render = render }

    mutating func add(_ row: Row) {
        page.append(row)
        count += 1
        if page.count == 1000 { flush() }
    }

    /// Prints the rows not printed yet.
    mutating func flush() {
        guard !page.isEmpty else { return }
        print(render(page))
        fflush(nil)
        page.removeAll(keepingCapacity: true)
    }
}

/// A 统一社会信用代码 typed on the command line (`explain CODE`, `--firm CODE`); read with
/// `CreditCode.fromArgument`, as an input cell holding it is.
enum CreditCodeArgument {
    /// Why no business can have `code`, for a "not found" message; "" for a valid code.
    /// For a name typed where the code goes (it holds Chinese), what explain --profiles takes.
    static func nameNote(_ code: String) -> String {
        guard code.unicodeScalars.contains(where: { (0x4E00...0x9FFF).contains($0.value) }) else { return "" }
        return "; 这像是企业名称: 按名称查找请用 --firm 名称 (that looks like a name: find the business by name with --firm NAME, or give its credit code)"
    }

    static func problemNote(_ code: String) -> String {
        // A name typed for the code: the note naming the businesses of that name says what to do.
        if code.unicodeScalars.contains(where: { (0x4E00...0x9FFF).contains($0.value) }) { return "" }
        return CreditCode.problem(with: code).map { "; 这不是有效的统一社会信用代码 (not a valid credit code): \($0)" } ?? ""
    }
}
