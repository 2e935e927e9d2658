import HuiqiLua

/// Everything a run records when it starts (PRODUCT.md §7): what it read, under which rules and
/// settings, by which process. Enough to resume it and to explain its decisions later.
public struct RunProvenance: Sendable, Equatable {
    public var asOf: String
    /// The rules directory as the user named it.
    public var rulesDirectory: String
    /// Its absolute path.
    public var rulesPath: String
    /// `RuleBundle.sha256`: every file under the rules directory.
    public var rulesSHA256: String
    public var catalogVersion: String
    public var schemaSHA256: String
    public var toolVersion: String
    public var jobs: Int
    public var encoding: InputEncoding
    public var allowExtra: Bool
    public var maxInstructions: Int
    public var maxMemoryBytes: Int
    /// `--out` and the rejects file, absolute (a resumed run rewrites them from the log).
    public var outPath: String?
    public var rejectsPath: String?
    public var commandLine: String
    public var workingDirectory: String
    public var process: ProcessIdentity
    public var inputs: [RunInput]
    /// In plan order: `services[slot]`.
    public var services: [LoggedService]
    /// In runtime order: `rules[index]`.
    public var rules: [LoggedRule]
    /// The part of the input this run evaluated (`--shard K/N`), or nil for all of it.
    public var shard: RunShard?

    public init(asOf: String, rulesDirectory: String, rulesPath: String, rulesSHA256: String, catalogVersion: String,
                schemaSHA256: String, toolVersion: String = HuiqiVersion.current, jobs: Int, encoding: InputEncoding,
                allowExtra: Bool, maxInstructions: Int, maxMemoryBytes: Int, outPath: String?, rejectsPath: String?,
                commandLine: String, workingDirectory: String, process: ProcessIdentity, inputs: [RunInput],
                services: [LoggedService], rules: [LoggedRule], shard: RunShard? = nil) {
        self.asOf = asOf
        self.rulesDirectory = rulesDirectory
        self.rulesPath = rulesPath
        self.rulesSHA256 = rulesSHA256
        self.catalogVersion = catalogVersion
        self.schemaSHA256 = schemaSHA256
        self.toolVersion = toolVersion
        self.jobs = jobs
        self.encoding = encoding
        self.allowExtra = allowExtra
        self.maxInstructions = maxInstructions
        self.maxMemoryBytes = maxMemoryBytes
        self.outPath = outPath
        self.rejectsPath = rejectsPath
        self.commandLine = commandLine
        self.workingDirectory = workingDirectory
        self.process = process
        self.inputs = inputs
        self.services = services
        self.rules = rules
        self.shard = shard
    }

    /// The Lua limits the run evaluated under.
    public var limits: LuaLimits { LuaLimits(maxInstructions: maxInstructions, maxMemoryBytes: maxMemoryBytes) }
}
