/// One entry of the service catalog: a policy benefit that rules decide eligibility for.
public struct Service: Sendable, Equatable {
    /// Stable id such as `FIN-01`; rules name it in `service = "FIN-01"`.
    public var id: String
    /// Chinese name, e.g. 创业担保贷款贴息.
    public var name: String
    /// A `ServiceCategory` raw value, or another category the catalog chose (with a warning).
    public var category: String
    public var mode: ServiceMode
    /// The department that delivers it.
    public var provider: String?
    /// The policy document it comes from.
    public var source: String?
    public var description: String?
    /// Outside the window the service is inactive and not evaluated.
    public var window: DateWindow
    /// Params as written, dated ones unresolved; rules see `resolvedParams(on:)`.
    public var params: [String: ParamValue]
    /// Position in the catalog's `services` list (0-based, as in `services[3]`).
    public var index: Int
    /// Line of the service's entry in catalog.yaml, for `check`'s warnings about it (nil for a
    /// service not read from a file).
    public var line: Int?

    public init(id: String, name: String, category: String, mode: ServiceMode, provider: String? = nil,
                source: String? = nil, description: String? = nil, window: DateWindow = .always,
                params: [String: ParamValue] = [:], index: Int = 0) {
        self.id = id
        self.name = name
        self.category = category
        self.mode = mode
        self.provider = provider
        self.source = source
        self.description = description
        self.window = window
        self.params = params
        self.index = index
    }

    /// Whether the service is in force on `isoDate` (a valid `YYYY-MM-DD`).
    public func isActive(on isoDate: String) -> Bool { window.contains(isoDate) }

    /// The params rules see on `isoDate`: each dated param becomes the value with the latest date
    /// not after `isoDate`; a dated param whose first date is later than `isoDate` is left out.
    public func resolvedParams(on isoDate: String) -> [String: ParamValue] {
        var out: [String: ParamValue] = [:]
        out.reserveCapacity(params.count)
        for (name, value) in params {
            if let resolved = value.resolved(on: isoDate) { out[name] = resolved }
        }
        return out
    }

    /// The params rules see on `isoDate`, as text: `cap=80000, relief_months=2`, by name.
    public func paramsText(on isoDate: String) -> String {
        LoggedService.text(of: resolvedParams(on: isoDate).mapValues(\.description))
    }

    /// The category's Chinese name (融资, 租金减免…).
    public var categoryDisplayName: String { ServiceCategory.displayName(for: category) }
}

extension Service {
    /// A service id as a user may type it, for lookups: trimmed, full-width ASCII folded, upper
    /// case (`fin-01` and `ＦＩＮ－０１` find FIN-01).
    public static func lookupKey(_ id: String) -> String {
        String(String.UnicodeScalarView(id.trimmingCharacters(in: .whitespaces).unicodeScalars.map { s in
            (0xFF01...0xFF5E).contains(s.value) ? Unicode.Scalar(s.value - 0xFEE0) ?? s : s
        })).uppercased()
    }
}
