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
    }

    /// Why `serviceID` has no slot in this plan, for a person who asked for it: not in the catalog
    /// (with the closest id), outside its window (with the window), or no rule effective.
    public func notEvaluatedReason(_ serviceID: String, catalog: Catalog) -> String {
        guard let service = catalog.service(id: serviceID) else {
            let hint = Suggest.closest(to: serviceID, in: catalog.services.map(\.id)).map { " (did you mean '\($0)'?)" } ?? ""
            return "\(serviceID): no such service in catalog.yaml\(hint) (目录中没有该服务)"
        }
        if !service.isActive(on: asOf) {
            return "\(serviceID): not evaluated: the service's window (\(service.window.from ?? "…") to \(service.window.to ?? "…")) "
                + "does not contain \(asOf) (不在服务期内, 未评估)"
        }
        return "\(serviceID): not evaluated: no rule for it is effective on \(asOf) (无生效规则, 未评估)"
    }
}
