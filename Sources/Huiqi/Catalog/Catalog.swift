import Foundation

/// The service catalog (`Rules/catalog.yaml`, PRODUCT.md §4): the services rules serve, with their
/// windows and params.
///
///     let catalog = try Catalog.load(from: URL(fileURLWithPath: "Rules/catalog.yaml"))
///     catalog.service(id: "FIN-01")?.resolvedParams(on: "2025-01-01")["cap"]
///
/// Loading reports every problem at once: it throws a `DiagnosticList` holding all errors (and the
/// warnings found alongside them); on success, warnings are in `warnings`.
public struct Catalog: Sendable {
    /// The catalog's `version`, recorded with every run.
    public var version: String
    /// In file order.
    public var services: [Service]
    /// SHA-256 (hex) of the file's bytes.
    public var sha256: String
    /// Where it was loaded from, as the caller named it.
    public var path: String
    /// Harmless problems (unknown category, unknown key on a service…).
    public var warnings: [Diagnostic]
    private var indexByID: [String: Int]

    public init(version: String, services: [Service], sha256: String = "", path: String = "catalog.yaml",
                warnings: [Diagnostic] = []) {
        self.version = version
        self.services = services
        self.sha256 = sha256
        self.path = path
        self.warnings = warnings
        var index: [String: Int] = [:]
        for (i, service) in services.enumerated() where index[service.id] == nil { index[service.id] = i }
        self.indexByID = index
    }

    public func service(id: String) -> Service? { indexByID[id].map { services[$0] } }

    /// Services in force on `isoDate`, in file order.
    public func activeServices(on isoDate: String) -> [Service] { services.filter { $0.isActive(on: isoDate) } }

    /// Reads and validates a catalog file. Diagnostics name the file as given (a relative URL
    /// stays relative), the line, the service by its id and name when it has a well-formed id
    /// (`subject`), and the path inside the file (`services[3].params.cap`).
    public static func load(from url: URL) throws -> Catalog {
        let path = url.isFileURL ? url.relativePath : url.absoluteString
        let data: Data
        do {
            data = try Data(contentsOf: url)
        } catch {
            throw DiagnosticList([Diagnostic(file: path, "cannot read the catalog 无法读取服务目录: \(error.localizedDescription)")])
        }
        return try load(contents: data, path: path)
    }

    /// Validates catalog bytes already read; `path` is only used in diagnostics and `path`.
    public static func load(contents: Data, path: String) throws -> Catalog {
        var loader = CatalogLoader(path: path)
        return try loader.load(contents)
    }
}
