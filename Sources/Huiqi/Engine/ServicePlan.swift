/// Which services a run evaluates on its as-of date, and which rules may decide each.
///
/// A service is evaluated when its catalog window contains the as-of date and at least one rule
/// for it is effective then. With several effective rules (e.g. one for enterprises, one for
/// individuals), the first in bundle order whose `subjects` include the business decides.
public struct ServicePlan: Sendable {
    public struct Slot: Sendable {
        public var service: Service
        public var rules: [RuleDescriptor]
    }

    public var asOf: String
    public var slots: [Slot]
    /// Active services that no effective rule serves (not evaluated; a warning).
    public var unserved: [Service]
    /// Service id → the bundle's rules for each `unserved` service (none effective on `asOf`), in
    /// bundle order: what says which rules' periods the as-of date falls between.
    public var unservedRules: [String: [RuleDescriptor]] = [:]
    /// Services whose window does not contain the as-of date (not evaluated).
    public var inactive: [Service]

    public init(catalog: Catalog, rules: [RuleDescriptor], asOf: String) {
        self.asOf = asOf
        var byService: [String: [RuleDescriptor]] = [:]
        for rule in rules where rule.isEffective(on: asOf) { byService[rule.serviceID, default: []].append(rule) }
        var slots: [Slot] = [], unserved: [Service] = [], inactive: [Service] = []
        for service in catalog.services {
            guard service.isActive(on: asOf) else { inactive.append(service); continue }
            guard let candidates = byService[service.id], !candidates.isEmpty else { unserved.append(service); continue }
            slots.append(Slot(service: service, rules: candidates))
        }
        self.slots = slots
        self.unserved = unserved
        self.inactive = inactive
        let unservedIDs = Set(unserved.map(\.id))
        for rule in rules where unservedIDs.contains(rule.serviceID) { unservedRules[rule.serviceID, default: []].append(rule) }
    }

    /// The rules either side of the as-of date for unserved service `serviceID`: the one whose
    /// period ended last before it, the one whose period starts first after it (either nil when
    /// there is none), and the days between them that no rule covers, within the service's window
    /// (nil for an open end).
    public func gap(around serviceID: String, window: DateWindow) -> (before: RuleDescriptor?, after: RuleDescriptor?, from: String?, to: String?) {
        let day = ISODate(asOf)?.dayNumber ?? 0
        func number(_ date: String?) -> Int? { date.flatMap(ISODate.init).map(\.dayNumber) }
        var before: (rule: RuleDescriptor, to: Int)?, after: (rule: RuleDescriptor, from: Int)?
        for rule in unservedRules[serviceID] ?? [] {
            // A rule whose period is empty (from after to) never decides: `check` says so.
            if let from = number(rule.effectiveFrom), let to = number(rule.effectiveTo), from > to { continue }
            if let to = number(rule.effectiveTo), (to < day) && (to > before?.to ?? Int.min) { before = (rule, to) }
            if let from = number(rule.effectiveFrom), (from > day) && (from < after?.from ?? Int.max) { after = (rule, from) }
        }
        let opens = number(window.from), closes = number(window.to)
        let first = [before.map { $0.to + 1 }, opens].compactMap { $0 }.max()
        let last = [after.map { $0.from - 1 }, closes].compactMap { $0 }.min()
        return (before?.rule, after?.rule, first.map { ISODate(clampingDayNumber: $0).description },
                last.map { ISODate(clampingDayNumber: $0).description })
    }

    /// Why `serviceID` has no slot in this plan, for a person who asked for it: not in the catalog
    /// (with the closest id), outside its window (with the window), or no rule effective.
    /// With `rules` (the bundle's), "no rule effective" names the periods of the service's rules.
    public func notEvaluatedReason(_ serviceID: String, catalog: Catalog, rules: [RuleDescriptor] = []) -> String {
        guard let service = catalog.service(id: serviceID) else {
            let hint = Suggest.closest(to: serviceID, in: catalog.services.map(\.id)).map { " (did you mean '\($0)'?)" } ?? ""
            return "\(serviceID): no such service in catalog.yaml\(hint) (目录中没有该服务)"
        }
        if !service.isActive(on: asOf) {
            return "\(serviceID): not evaluated: the service's window (\(service.window.from ?? "…") to \(service.window.to ?? "…")) "
                + "does not contain \(asOf) (不在服务期内, 未评估)"
        }
        let own = rules.filter { $0.serviceID == service.id }
        let periods = own.isEmpty ? "" : " (its rules: \(ServicePlan.effectivePeriods(own)))"
        return "\(serviceID): not evaluated: no rule for it is effective on \(asOf)\(periods) (无生效规则, 未评估)"
    }

    /// The rules' effective periods, earliest first: "'old' until 2026-11-30, 'new' from
    /// 2027-01-01". A day in none of them is a day the service is not evaluated.
    public static func effectivePeriods(_ rules: [RuleDescriptor]) -> String {
        rules.sorted { ($0.effectiveFrom ?? "", $0.effectiveTo ?? "9999") < ($1.effectiveFrom ?? "", $1.effectiveTo ?? "9999") }
            .map { "'\($0.id)' \(period(from: $0.effectiveFrom, to: $0.effectiveTo))" }
            .joined(separator: ", ")
    }

    /// "from A to B", "from A", "until B", or "always".
    public static func period(from: String?, to: String?) -> String {
        switch (from, to) {
        case let (f?, t?): return "from \(f) to \(t)"
        case let (f?, nil): return "from \(f)"
        case let (nil, t?): return "until \(t)"
        case (nil, nil): return "always"
        }
    }
}
