import ArgumentParser
import Foundation
import Huiqi

@main
struct HuiqiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "huiqi",
        abstract: "惠企 huiqi — match businesses with government services using Lua eligibility rules.",
        discussion: """
        Analysts write rules in Lua under Rules/; operators run them over business \
        profiles; every decision comes with its reasons. Run huiqi in the directory \
        that holds Rules/ (or give --rules DIR); the decision log is ./huiqi.db (or --db FILE).
        政策分析员在 Rules/ 中用 Lua 编写规则; 经办人员用 run 批量判定; 每个决定都附理由。

        Examples:
          huiqi check                        validate the bundle in ./Rules
          huiqi test --filter RENT           rule tests mentioning RENT
          huiqi run Samples/profiles.csv --as-of 2025-06-01 --out out/decisions.csv
          huiqi log show 1 --outcome eligible
          huiqi explain 91440306790N9U6MXA --run 1
          huiqi review 1000000001000 --confirm --by 张三
          huiqi lists 1 --out out/lists      一企一单, one HTML per street
          huiqi sample --count 1000 --out demo.csv

        退出码 exit codes (every command):
          0    完成 done
          1    完成, 但有问题: 有拒收行或规则错误、check 查出错误、测试失败、查无此企业或街道
               done, but: rejects, rule errors, check errors, failed tests, not found
          2    未完成: 参数有误; 文件、日志、运行或决定不存在; 规则有错误, run 不开始
               not done: mistyped option; no such file, log, run, decision; bad rules
          130/143/129  被 Ctrl-C、SIGTERM、SIGHUP 中断 (stopped by a signal)
        """,
        version: HuiqiVersion.current,
        subcommands: [Check.self, Test.self, Run.self, Explain.self, Log.self, ReviewCommand.self, Lists.self, Sample.self]
    )

    /// As ArgumentParser's, except that a usage error (an unknown option, a missing argument, a
    /// bad value) exits 2, the code PRODUCT.md §6 gives a run that could not start, rather than
    /// EX_USAGE (64): scripts check for 0, 1 and 2.
    static func main() {
        // A write past a file-size limit (`ulimit -f`, common under batch schedulers) then fails
        // with EFBIG and is reported with its file, instead of the kernel killing the process
        // (SIGXFSZ) with the log's last chunk half written.
        signal(SIGXFSZ, SIG_IGN)
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            if exitCode(for: error) == .validationFailure {
                var message = UsageErrorChinese.adding(to: fullMessage(for: error))
                // `log show -1` read "-1" as an option and said the run id was missing (first-day
                // review): say what happened.
                if let negative = CommandLine.arguments.dropFirst().first(where: { $0.count > 1 && $0.hasPrefix("-") && $0.dropFirst().allSatisfy { $0.isASCII && ($0.isNumber || $0 == ".") } }) {
                    message += "\n注意 note: '\(negative)' 被当作选项读取: 运行编号、决定编号、--limit 等都不能为负数 "
                        + "('\(negative)' was read as an option: run ids, decision ids and --limit are never negative)"
                }
                FileHandle.standardError.write(Data((message + "\n").utf8))
                Foundation.exit(2)
            }
            exit(withError: error)
        }
    }
}
