import ArgumentParser
import Huiqi

/// `--firm NAME`: a business given by (part of) its name (企业名称) rather than its 统一社会信用代码,
/// for `explain` and `log show` / `log export`. Officials know a firm by its name; the code is
/// what the log keys it by.
enum FirmByName {
    /// `firm` as a name, or nil when it is shaped like a credit code: letters and digits only, of
    /// any length, taken as a code, so a mistyped or cut code is told what is wrong with it, or
    /// that the run rejected it (code review: a 17-character code was searched for as a name).
    static func name(_ firm: String?) -> String? {
        guard let firm else { return nil }
        let code = CreditCode.fromArgument(firm)
        return !code.isEmpty && code.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) ? nil : firm
    }

    /// The credit code of the one business of `run` whose name holds `name` (or is it, among
    /// longer ones); else prints the businesses found, or that none was, with the command to
    /// type instead, and exits 1.
    /// - Parameter command: the command again with a code, for the example (`commandLine`).
    static func code(named name: String, store: DecisionStore, run: RunRecord, command: (String) -> String) throws -> String {
        let matches = try LogExplanation.businesses(named: name, store: store, run: run)
        guard let one = matches.only else {
            Console.error(choice(matches, name: name, in: "run \(run.id) (运行 \(run.id))", command: command))
            throw ExitCode(1)
        }
        return one.creditCode
    }

    /// What to say when a name found no business, or several: the businesses whose names hold
    /// it, with their codes and where they are, and the command again with the first code.
    static func choice(_ matches: ProfileSearch.NameMatches, name: String, in place: String, command: (String) -> String) -> String {
        let shown = TerminalText.visible(name, keepLines: false)
        guard matches.count > 0 else {
            return "没有名称含'\(shown)'的企业 no business whose name contains '\(shown)' in \(place) (请检查名称, 或用统一社会信用代码)"
        }
        var lines = ["名称含'\(shown)'的企业有 \(matches.count) 家 \(matches.count) businesses' names contain '\(shown)' in \(place); "
                     + "请用统一社会信用代码选择其一 (choose one by its credit code):"]
        for b in matches.businesses {
            lines.append("  \(b.creditCode)  \(TerminalText.visible(b.name, keepLines: false))  (\(b.file):\(b.line))")
        }
        if matches.more > 0 { lines.append("  … 另有 \(matches.more) 家 (+\(matches.more) more)") }
        if let first = matches.businesses.first { lines.append("例如 e.g.: " + command(first.creditCode)) }
        return lines.joined(separator: "\n")
    }

    /// This command as typed (`subcommand`, e.g. `["log", "show"]`, then its arguments), with
    /// `--firm NAME` replaced by `code`: as the first argument when `codeFirst` (`explain CODE`),
    /// else as `--firm CODE`. A command the user can copy.
    static func commandLine(_ subcommand: [String], code: String, codeFirst: Bool) -> String {
        var words = ["huiqi"] + subcommand + (codeFirst ? [code] : [])
        var rest = Array(CommandLine.arguments.dropFirst())
        if Array(rest.prefix(subcommand.count)) == subcommand { rest.removeFirst(subcommand.count) }
        var k = 0
        while k < rest.count {
            let word = rest[k]
            if word == "--firm" || word.hasPrefix("--firm=") {
                if !codeFirst { words += ["--firm", code] }
                k += word == "--firm" ? 2 : 1
                continue
            }
            words.append(ShellWord.quoted(word))
            k += 1
        }
        return words.joined(separator: " ")
    }
}
