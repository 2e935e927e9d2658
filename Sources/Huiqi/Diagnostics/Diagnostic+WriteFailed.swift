import Foundation

extension Diagnostic {
    /// A failed write to an output file as a diagnostic naming that file, with the system's cause
    /// (a full disk reads 磁盘已满), instead of Foundation's "Error Domain=NSCocoaErrorDomain …".
    public static func writeFailed(_ error: Error, file: String) -> Diagnostic {
        if let d = error as? Diagnostic { return d }
        // FileHandle reports the errno as the NSError itself or as its underlying error.
        let errors = [error as NSError] + [(error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError].compactMap { $0 }
        guard let posix = errors.first(where: { $0.domain == NSPOSIXErrorDomain }) else {
            return Diagnostic(file: file, "cannot write: \(error.localizedDescription) (写入失败)")
        }
        let code = Int32(posix.code)
        if code == ENOSPC { return Diagnostic(file: file, "cannot write: no space left on the device (磁盘已满)") }
        return Diagnostic(file: file, "cannot write: \(String(cString: strerror(code))) (写入失败)")
    }
}
