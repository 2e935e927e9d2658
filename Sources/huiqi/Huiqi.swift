import ArgumentParser
import Huiqi

@main
struct HuiqiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "huiqi")
}
