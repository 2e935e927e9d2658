/// Turns the engine's compact `SlotResult`s into reviewer-facing `Decision`s with Chinese reasons.
///
/// Immutable and shared: the workers use it to build decisions for `--out`, and the decision log's
/// writer uses it for the reasons of results it has not seen before, without a Lua state.
public final class DecisionBuilder: Sendable {
    public let plan: ServicePlan
    /// Every rule of the bundle, in load order (`SlotResult.ruleIndex` indexes this).
    public let rules: [RuleDescriptor]
    public let schema: Schema
    /// Per rule: written with `evaluate` (rather than `conditions`). A flag array, so hot paths
    /// need not copy a `RuleDescriptor`.
    private let evaluatesByRule: [Bool]
    /// Where the identity fields are, looked up once: by name, each business hashed three field names.
    private let streetIndex: Int?, creditCodeIndex: Int?, nameIndex: Int?
    /// Per slot, the subject types its rules serve, as shown ("企业、个体工商户").
    private let subjectsShown: [String]

    init(plan: ServicePlan, rules: [RuleDescriptor], schema: Schema) {
        self.plan = plan
        self.rules = rules
        self.schema = schema
        evaluatesByRule = rules.map(\.hasEvaluate)
        streetIndex = schema.index(of: Schema.streetField)
        creditCodeIndex = schema.index(of: Schema.creditCodeField)
        nameIndex = schema.index(of: Schema.nameField)
        let subjectField = schema.field(named: Schema.subjectTypeField)
        subjectsShown = plan.slots.map { slot in
            Set(slot.rules.flatMap { $0.subjects ?? [] }).sorted()
                .map { s in subjectField?.values.first { $0.value == s }?.displayName ?? s }.joined(separator: "、")
        }
    }

    /// Whether rule `index` (0-based, as in `SlotResult.ruleIndex`) is written with `evaluate`;
    /// false for -1 (no rule).
    func ruleEvaluates(_ index: Int) -> Bool {
        evaluatesByRule.indices.contains(index) && evaluatesByRule[index]
    }

    /// The rule that decided a result, if any.
    public func rule(of result: SlotResult) -> RuleDescriptor? {
        rules.indices.contains(result.ruleIndex) ? rules[result.ruleIndex] : nil
    }

    /// The decision for slot `slotIndex`, built afresh (`RuleRuntime.decision(for:at:)` caches them).
    public func decision(for result: SlotResult, at slotIndex: Int) -> Decision {
        let slot = plan.slots[slotIndex]
        let rule = rule(of: result)
        var conditions: [ConditionResult] = []
        if let rule, !rule.hasEvaluate {
            for (k, label) in rule.conditionLabels.enumerated() {
                let state = result.conditionState(k + 1)
                conditions.append(ConditionResult(label: label, state: state, missingField: result.missing[k + 1].map { schema.fields[$0].name },
                                                  note: state == .unknown ? result.undeterminedReasons?[k + 1] : nil))
            }
        }
        var d = Decision(serviceID: slot.service.id, ruleID: rule?.id, outcome: result.outcome, conditions: conditions,
                         amount: result.amount, score: result.score)
        switch result.code {
        case 5:
            d.reasons = ["主体类型不符: 仅限\(subjectsShown[slotIndex])"]
        case 4:
            let where_ = rule.map { "rule '\($0.id)' (\($0.file))" } ?? "rule"
            d.errorMessage = "\(where_): \(result.error?.message ?? "unknown error")"
            d.traceback = result.error?.traceback
            d.reasons = ["规则执行出错"]
        default:
            if result.code == 3, let why = result.undeterminedReasons?[0] {
                d.reasons = [why]
            } else if let field = result.missing[0] {
                let what = result.reason == "amount" ? DecisionBuilder.cannotComputeAmount : DecisionBuilder.missingData
                d.reasons = ["\(what): \(schema.fields[field].displayName)"]
            } else if rule?.hasEvaluate == true {
                d.reasons = [result.reason ?? Decision.defaultReason(result.outcome)]
            } else {
                switch result.outcome {
                case .eligible: d.reasons = conditions.map(\.label)
                case .ineligible: d.reasons = conditions.filter { $0.state == .failed }.map(\.label)
                default:
                    d.reasons = conditions.filter { $0.state == .unknown }.map { c in
                        c.note.map { "\(c.label): \($0)" } ?? "\(c.label): \(DecisionBuilder.missingData) \(c.missingField.map(fieldName) ?? "")"
                    }
                }
            }
        }
        return d
    }

    /// Who a profile is, as reviewers read it: credit code, name and street (the enum label when
    /// `street` is an enum).
    public func identity(of profile: Profile) -> (creditCode: String, name: String, street: String) {
        func text(_ index: Int?) -> String { index.flatMap { profile.values.indices.contains($0) ? profile[$0]?.displayText : nil } ?? "" }
        return (text(creditCodeIndex), text(nameIndex), displayStreet(profile))
    }

    public func displayStreet(_ profile: Profile) -> String {
        guard let i = streetIndex, profile.values.indices.contains(i), let value = profile[i] else { return "" }
        let text = value.displayText
        return schema.fields[i].values.first { $0.value == text }?.displayName ?? text
    }

    /// The words a pending decision's reasons begin the missing field with ("收入: 缺少数据 年营业收入…",
    /// "无法计算金额: 月租金…"): `huiqi lists` reads the field back from them (ServiceLists.missingData).
    static let missingData = "缺少数据", cannotComputeAmount = "无法计算金额"

    func fieldName(_ name: String) -> String { schema.field(named: name)?.displayName ?? name }
}
