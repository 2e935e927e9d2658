import ArgumentParser
import Foundation
import Huiqi
import HuiqiLua

/// One place that prints problems for users: to standard error, one per line, no stack traces.
enum Console {
    /// Messages quote the data (a header, a reason, an id line): its control characters are shown,
    /// never obeyed (review: a CSV header holding ESC [2J cleared the screen from stderr).
    static func error(_ text: String) {
        let visible = TerminalText.visible(text)
        FileHandle.standardError.write(Data((visible.hasSuffix("\n") ? visible : visible + "\n").utf8))
    }

    static func report(_ error: Error) {
        switch error {
        // A file of test cases misnamed as a rule file: one problem, not six a case (usability review).
        case let list as DiagnosticList: for d in MisnamedTestFile.collapse(list.diagnostics) { Console.error(d.description) }
        case let d as Diagnostic: Console.error(d.description)
        case let e as LuaError: Console.error(e.message)
        default: Console.error("error: \(error)")
        }
    }

    /// The files of a CSV output, and why there are several: Excel shows one sheet of at most
    /// 1,048,576 rows and silently drops the rest.
    static func csvFiles(_ paths: [String]) -> String {
        guard paths.count > 1 else { return paths.first ?? "" }
        return paths.joined(separator: ", ")
            + " (Excel 每个工作表最多 \(CSVWriter.excelRows) 行, 已分为 \(paths.count) 个文件, 每个都带表头 split into \(paths.count) files Excel can open, each with the header)"
    }

    /// Reports an output to a file that stopped, by a signal or by `error`, and what that left at
    /// its path (`StagedFile.afterDiscard`); returns the exit status to throw (128 + signal, or 2).
    /// `what`: the message for a failure, "the export stopped (导出失败)".
    static func outputStopped(_ error: Error, signal: Int32?, left: String, what: String) -> ExitCode {
        if let signal {  // the store wraps what its callback throws: the signal tells an interruption
            Console.error("interrupted (已中断): " + left)
            return ExitCode(InterruptSignal.exitStatus(for: signal))
        }
        Console.report(error)
        Console.error("\(what): " + left)
        return ExitCode(2)
    }

    /// A warning when a CSV written to standard output has more rows than Excel shows.
    /// `instead`: the command that writes the same rows to a file, split for Excel.
    static func warnIfBeyondExcel(rows: Int, instead: String) {
        guard rows > CSVWriter.excelRows else { return }
        Console.error("warning: \(rows) rows, more than Excel shows (每个工作表最多 \(CSVWriter.excelRows) 行, 其余会被 Excel 丢弃): "
                      + "use `\(instead)`, which splits the file, or narrow the selection")
    }

    /// The streets a `--street` can name in `run`, for when it matched nothing (reviewer review).
    static func streetsNote(_ store: DecisionStore, run: Int64) throws -> String {
        let streets = try store.streets(run: run)
        let shown = streets.prefix(40).joined(separator: ", ") + (streets.count > 40 ? ", …" : "")
        return TerminalText.visible("运行 \(run) 的街道 streets in run \(run): \(shown)")
    }

    /// For a `--firm` that matched nothing: whether the run rejected the business, or does not
    /// hold it (an unfinished run, another shard), as `explain --run` says it; nil when the run
    /// holds it and other filters left it out.
    static func firmNote(_ store: DecisionStore, run: Int64, firm: String) throws -> String? {
        let code = CreditCode.fromArgument(firm)
        guard try store.business(run: run, creditCode: code) == nil else { return nil }
        switch try LogExplanation.explain(store: store, run: run, creditCode: code) {
        case .rejected(let text), .notFound(let text): return TerminalText.visible(text)
        case .explained: return nil
        }
    }

    static var stderrIsTerminal: Bool { isatty(2) != 0 }
    /// Standard output is redirected to a file (`> out.csv`), not a terminal or a pipe.
    static var stdoutIsRegularFile: Bool {
        var info = stat()
        return fstat(1, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
    }
}
