import ArgumentParser
import Foundation
import Huiqi

extension Log {
    /// `huiqi log merge`: the shard runs of one split run (`huiqi run --shard K/N`) as one run (PRODUCT.md §9).
    struct Merge: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "合并分片运行 — Put the N shard runs of one split run (huiqi run --shard K/N) back together as one run.",
            discussion: """
            Each machine runs one shard of the same input into its own log; copy the \
            logs to one place and merge them into a log (created if missing; runs \
            already in it keep their ids). The merged run reads like an unsplit run of \
            the same input: log show, log export, log rejects, explain, review, lists \
            and log diff give the same results. The shard logs are only read.

            Each SHARD.db gives its one completed shard run; a log that holds several \
            names the one to merge as SHARD.db:RUN. The runs must be the shards 1…N of \
            one split run, each completed: the same input files (SHA-256), as-of date, \
            rules, catalog, schema, services, settings and huiqi version. Anything else \
            is refused, and nothing is written. The merge writes the log in one \
            transaction (about 7 s for a million businesses): a run writing the same \
            log meanwhile waits for it, up to 30 s a commit, so merge into a log no \
            large run is writing.

            Examples:
              # on three machines (or one after another)
              huiqi run profiles.csv --as-of 2025-06-01 --shard 1/3 --db shard1.db
              huiqi run profiles.csv --as-of 2025-06-01 --shard 2/3 --db shard2.db
              huiqi run profiles.csv --as-of 2025-06-01 --shard 3/3 --db shard3.db
              # then, with the three logs in one place
              huiqi log merge shard1.db shard2.db shard3.db --db huiqi.db
              huiqi log merge shards.db:4 shards.db:5 shards.db:6 --db huiqi.db
            """
        )

        @Argument(help: ArgumentHelp("The shard logs, one per shard; FILE:RUN names a run in a log that holds several.",
                                     valueName: "SHARD.db"))
        var sources: [String] = []

        @OptionGroup var database: DatabaseOption

        func validate() throws {
            if sources.isEmpty { throw ValidationError("give the shard logs to merge, e.g. huiqi log merge shard1.db shard2.db --db huiqi.db (请给出要合并的分片日志)") }
        }

        func run() throws {
            let merge: ShardMerge
            do {
                // Every check that can refuse the merge reads only the shard logs: the log written
                // is not touched (nor created) before they pass.
                merge = try ShardMerge(sources: sources.map(ShardMerge.Source.init(argument:)))
            } catch {
                Console.report(error)
                throw ExitCode(2)
            }
            // As `huiqi run`: a log this command created is removed again if the merge fails.
            let createdLog = Run.createExclusively(database.db)
            let merged: (run: RunRecord, warning: Diagnostic?)
            // Ctrl-C stops the copy and rolls it back; a log this command created is removed too.
            let interrupt = InterruptSignal()
            defer { interrupt.restore() }
            do {
                let store = try SQLiteDecisionStore(path: database.db, create: true)
                merged = try merge.write(into: store, commandLine: Run.commandLine(),
                                         workingDirectory: FileManager.default.currentDirectoryPath, interrupt: interrupt)
            } catch let stop as MergeInterrupted {
                Console.error(stop.description)
                if createdLog { DecisionLogFiles.removeCreatedLog(database.db) }
                throw ExitCode(InterruptSignal.exitStatus(for: stop.signal))
            } catch {
                Console.report(error)
                if createdLog { DecisionLogFiles.removeCreatedLog(database.db) }
                throw ExitCode(2)
            }
            let run = merged.run
            print("合并 merged \(run.parts.count) shards: \(run.read ?? 0) read / \(run.evaluated ?? 0) evaluated / \(run.rejected ?? 0) rejected")
            for part in run.parts {
                print("  分片 shard \(part.shard)/\(run.parts.count): \(part.sourceLog) run \(part.sourceRun) (\(part.host)), "
                      + "\(part.evaluated) evaluated, \(part.rejected) rejected")
            }
            if let warning = merged.warning { Console.error(warning.description) }
            // Where the rejected rows are, as `run` names its rejects file (operator review: the
            // merge gave no pointer to the shards' rejects).
            if let rejected = run.rejected, rejected > 0 {
                print("拒收 rejected: \(rejected) 行 rows, all shards' (各分片的拒收行): huiqi log rejects \(run.id) --db \(ShellWord.quoted(database.db)) --out FILE.csv")
            }
            print("决策日志 log: \(database.db) (run \(run.id); huiqi log show \(run.id) --db \(ShellWord.quoted(database.db)))")
        }
    }
}
