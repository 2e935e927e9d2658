/// The tool's version, recorded with every run.
public enum HuiqiVersion {
    public static let current = "0.2.0"
}
