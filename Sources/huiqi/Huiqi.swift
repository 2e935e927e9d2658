import ArgumentParser
import Huiqi

@main
struct HuiqiCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "huiqi",
        abstract: "惠企 huiqi — match businesses with government services using Lua eligibility rules.",
        discussion: """
        Analysts write rules in Lua under Rules/; operators run them over business \
        profiles; every decision comes with its reasons.

        Examples:
          huiqi check                        validate the bundle in ./Rules
          huiqi test --filter RENT           rule tests mentioning RENT
          huiqi run Samples/profiles.csv --out out/decisions.csv
          huiqi log show 1 --outcome eligible
          huiqi explain 91440306790N9U6MXA --run 1
          huiqi review 1000000001000 --confirm --by 张三
          huiqi lists 1 --out out/lists      一企一单, one HTML per street
          huiqi sample --count 1000 --out demo.csv
        """,
        version: HuiqiVersion.current,
        subcommands: [Check.self, Test.self, Run.self, Explain.self, Log.self, ReviewCommand.self, Lists.self, Sample.self]
    )
}
