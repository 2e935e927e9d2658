/// Distributions for sample data built from `+ − × ÷` and `sqrt` only, which IEEE 754 rounds the
/// same everywhere: libm's `exp`/`log` may differ in the last bit between platforms, and one bit is
/// enough to change a rounded revenue and so the generated file.
enum SampleMath {
    /// e^x to about 1e-15 relative error, bit-identical on every IEEE 754 machine.
    static func exp(_ x: Double) -> Double {
        let x = min(max(x, -700), 700)
        let ln2 = 0.693_147_180_559_945_3
        let k = (x / ln2).rounded()
        let r = x - k * ln2 // |r| ≤ ln2/2
        // Taylor series of e^r in Horner form; 1/n! to 1/13! is plenty for |r| ≤ 0.35.
        var sum = inverseFactorials[inverseFactorials.count - 1]
        for c in inverseFactorials.dropLast().reversed() { sum = sum * r + c }
        return Double(sign: .plus, exponent: Int(k), significand: sum)
    }

    /// 1/0!, 1/1!, … 1/13!, each the correctly rounded double.
    private static let inverseFactorials: [Double] = {
        var terms: [Double] = [1]
        var factorial = 1.0
        for n in 1...13 { factorial *= Double(n); terms.append(1 / factorial) }
        return terms
    }()

    /// Approximately standard normal (Irwin–Hall: twelve uniforms minus six), within ±6.
    static func normal(_ rng: inout SplitMix64) -> Double {
        var sum = 0.0
        for _ in 0..<12 { sum += rng.nextUnit() }
        return sum - 6
    }

    /// Log-normal with the given median and log-scale spread: `median · e^(sigma·z)`.
    static func logNormal(median: Double, sigma: Double, _ rng: inout SplitMix64) -> Double {
        median * exp(sigma * normal(&rng))
    }
}
