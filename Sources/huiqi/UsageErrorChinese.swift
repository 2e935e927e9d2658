import ArgumentParser
import Huiqi

/// The Chinese line for a refusal of ArgumentParser's own (an unknown option, a required option
/// left out, a word too many, a value that does not parse): its messages are English only, and they
/// are the first a new official meets (first-day review: `--asof` was refused with "Unknown option
/// '--asof'. Did you mean '--as-of'?" and nothing in Chinese). Our own validations are bilingual
/// already; a message holding Chinese is left as it is.
enum UsageErrorChinese {
    /// `message`: ArgumentParser's full message ("Error: …\nUsage: …\n  See 'huiqi run --help' …");
    /// returns it with a Chinese line after its first.
    static func adding(to message: String) -> String {
        var lines = message.components(separatedBy: "\n")
        // Chinese outside the quoted values: one of our own messages, bilingual already.
        guard let first = lines.first,
              !unquoted(first).unicodeScalars.contains(where: { (0x4E00...0x9FFF).contains($0.value) }) else {
            return message
        }
        let text = first.hasPrefix("Error: ") ? String(first.dropFirst("Error: ".count)) : first
        let help = helpCommand(in: message)
        lines.insert("错误: " + chinese(text, help: help), at: 1)
        return lines.joined(separator: "\n")
    }

    /// The command whose help the message points to ("huiqi log"), from its "See 'huiqi log --help'".
    private static func helpCommand(in message: String) -> String {
        guard let see = message.range(of: "See '"), let end = message.range(of: " --help'", range: see.upperBound..<message.endIndex)
        else { return "huiqi" }
        return String(message[see.upperBound..<end.lowerBound])
    }

    /// The subcommands of `command` ("huiqi", "huiqi log"), empty for a command that has none.
    private static func subcommands(of command: String) -> [String] {
        switch command {
        case "huiqi": return HuiqiCommand.configuration.subcommands.map { $0._commandName }
        case "huiqi log": return Log.configuration.subcommands.map { $0._commandName }
        default: return []
        }
    }

    private static func chinese(_ text: String, help: String) -> String {
        let seeHelp = "用法见 `\(help) --help`"
        let quoted = quotedValues(text)
        if text.hasPrefix("Unknown option") {
            let suggestion = quoted.count > 1 ? ", 是否应为 '\(quoted[1])'?" : ""
            return "未知的选项 '\(quoted.first ?? "")'\(suggestion) \(seeHelp)"
        }
        if text.hasPrefix("Missing value for") {
            return "选项 '\(quoted.first ?? "")' 缺少值 (\(seeHelp))"
        }
        if text.hasPrefix("Missing expected argument") {
            return "缺少必需的参数 '\(quoted.first ?? "")' (\(seeHelp))"
        }
        if text.hasPrefix("Missing one of") {
            return "缺少参数, 须给出其中之一: \(quoted.map { "'\($0)'" }.joined(separator: ", ")) (\(seeHelp))"
        }
        if text.hasPrefix("The value"), quoted.count >= 2 {
            return "'\(quoted[1])' 的值 '\(quoted[0])' 无效 (\(seeHelp))"
        }
        if text.hasPrefix("The option"), text.contains("does not take any value") {
            return "选项 '\(quoted.first ?? "")' 不带值 (\(seeHelp))"
        }
        if text.contains("unexpected argument") || text.hasPrefix("Unexpected argument") {
            let commands = subcommands(of: help)
            if let word = quoted.first, !commands.isEmpty, !word.hasPrefix("-") {
                // `huiqi rnu …`, `huiqi log shwo 1`: a mistyped command, not a stray word.
                let suggestion = Suggest.closest(to: word, in: commands).map { ", 是否应为 '\($0)'?" } ?? ""
                return "没有这个命令 '\(word)'\(suggestion) 可用的命令: \(commands.joined(separator: ", ")) (unknown command)"
            }
            return "多余的参数 \(quoted.map { "'\($0)'" }.joined(separator: ", ")): 路径含空格时请加引号, 如 \"企业 名录.csv\" (\(seeHelp))"
        }
        if text.hasPrefix("Value to be set with") {
            return "同一选项给了两次 (\(seeHelp))"
        }
        return "命令行有误 (\(seeHelp))"
    }

    /// `text` without the texts between single quotes.
    private static func unquoted(_ text: String) -> String {
        text.components(separatedBy: "'").enumerated().filter { $0.offset % 2 == 0 }.map(\.element).joined()
    }

    /// The texts between single quotes, in order ("'--asof'. Did you mean '--as-of'?" → both).
    private static func quotedValues(_ text: String) -> [String] {
        let parts = text.components(separatedBy: "'")
        return stride(from: 1, to: parts.count - 1, by: 2).map { parts[$0] }
    }
}
