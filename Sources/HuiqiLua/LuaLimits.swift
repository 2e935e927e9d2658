/// Bounds on what one Lua state and one evaluation may use (PRODUCT.md §5 "Sandbox").
///
/// Defaults: 10,000,000 VM instructions per evaluation (a typical rule uses well under 1,000)
/// and 64 MiB per state (a state holding the shipped bundle uses about 1 MiB).
public struct LuaLimits: Sendable, Equatable {
    /// Instructions one metered evaluation may run; 0 disables the budget.
    public var maxInstructions: Int
    /// Bytes the state may hold; 0 disables the cap.
    public var maxMemoryBytes: Int
    /// Instructions between two budget checks: larger is cheaper, smaller is more precise.
    public var hookStep: Int

    public static let defaultMaxInstructions = 10_000_000
    public static let defaultMaxMemoryMB = 64

    public init(maxInstructions: Int = LuaLimits.defaultMaxInstructions,
                maxMemoryBytes: Int = LuaLimits.defaultMaxMemoryMB * 1024 * 1024,
                hookStep: Int = 1000) {
        self.maxInstructions = maxInstructions
        self.maxMemoryBytes = maxMemoryBytes
        self.hookStep = max(1, min(hookStep, max(1, maxInstructions)))
    }
}
