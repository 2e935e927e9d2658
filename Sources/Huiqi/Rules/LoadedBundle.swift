/// A rules bundle with its schema and catalog parsed: everything a run needs besides profiles.
public struct LoadedBundle: Sendable {
    public var bundle: RuleBundle
    public var schema: Schema
    public var catalog: Catalog

    public init(bundle: RuleBundle, schema: Schema, catalog: Catalog) {
        self.bundle = bundle
        self.schema = schema
        self.catalog = catalog
    }

    /// Loads `directory/schema.yaml` and `directory/catalog.yaml`; throws `Diagnostic`/`DiagnosticList`.
    public static func load(directory: String) throws -> LoadedBundle {
        let bundle = try RuleBundle(directory: directory)
        var problems: [Diagnostic] = []
        var schema: Schema?
        var catalog: Catalog?
        // Every problem here is in that one file: shown as the user named the directory.
        do { schema = try Schema.load(from: bundle.schemaURL) } catch {
            problems += Self.diagnostics(error, file: bundle.displayPath("schema.yaml"), replacingFile: true)
        }
        do { catalog = try Catalog.load(from: bundle.catalogURL) } catch {
            problems += Self.diagnostics(error, file: bundle.displayPath("catalog.yaml"), replacingFile: true)
        }
        guard let schema, let catalog, problems.isEmpty else { throw DiagnosticList(problems) }
        var loaded = LoadedBundle(bundle: bundle, schema: schema, catalog: catalog)
        // Show files as the user named the directory.
        loaded.schema.path = bundle.displayPath("schema.yaml")
        loaded.catalog.warnings = catalog.warnings.map { var d = $0; d.file = bundle.displayPath("catalog.yaml"); return d }
        return loaded
    }

    /// Any error as diagnostics, naming `file` when the error does not.
    /// With `replacingFile`, `file` replaces the file the error names (the same file, spelt as the
    /// user gave it). Without, it only fills in a missing one: a bundle's problems name their own
    /// files (`huiqi check` showed every rule file's syntax error as the bundle directory's).
    static func diagnostics(_ error: Error, file: String, replacingFile: Bool = false) -> [Diagnostic] {
        func relabel(_ d: Diagnostic) -> Diagnostic {
            var d = d
            if replacingFile || d.file == nil { d.file = file }
            return d
        }
        switch error {
        case let list as DiagnosticList: return list.diagnostics.map(relabel)
        case let d as Diagnostic: return [relabel(d)]
        default: return [Diagnostic(file: file, String(describing: error))]
        }
    }
}
