import Foundation

extension Diagnostic {
    /// A failed write to an output file as a diagnostic naming that file, with the system's cause
    /// (a full disk reads 磁盘已满), instead of Foundation's "Error Domain=NSCocoaErrorDomain …".
    static func writeFailed(_ error: Error, file: String) -> Diagnostic {
        if let d = error as? Diagnostic { return d }
        let underlying = (error as NSError).userInfo[NSUnderlyingErrorKey] as? NSError
        let code: Int32? = underlying?.domain == NSPOSIXErrorDomain ? Int32(underlying!.code)
            : (error as? POSIXError).map { $0.code.rawValue } ?? ((error as NSError).domain == NSPOSIXErrorDomain ? Int32((error as NSError).code) : nil)
        if code == ENOSPC { return Diagnostic(file: file, "cannot write: no space left on the device (磁盘已满)") }
        if let code { return Diagnostic(file: file, "cannot write: \(String(cString: strerror(code))) (写入失败)") }
        return Diagnostic(file: file, "cannot write: \(error.localizedDescription) (写入失败)")
    }
}
