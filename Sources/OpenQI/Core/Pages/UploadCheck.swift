import Plot
import Vapor

/// The check of an uploaded file, as every import shows it: its bad rows (the first of them, if
/// many) or, when every row is good, what importing would do; then "Import" when there is
/// something to import, and "Cancel" (or "Discard" for a file that cannot be imported).
struct UploadCheck {
    var errors: [FileRowError]
    var errorCount: Int
    /// What importing would do, said when every row is good.
    var summary: String
    /// The import button's label, nil when there is nothing to import.
    var importLabel: String?
    var importURL: String
    var cancelURL: String
    /// Shown under the first bad rows when there are more than those.
    var more: Node<HTML.BodyContext> = .empty
    /// What importing would do that the person may not mean, said before they choose.
    var warnings: [String] = []

    /// A file that cannot be imported, whatever it holds: gone, or never uploaded by this person.
    static let gone = Abort(
        .notFound,
        reason:
            "This upload is no longer here: it was imported, cancelled, or left for more than a day. Upload the file again."
    )

    func node(csrfToken: String) -> Node<HTML.BodyContext> {
        let isReady = errorCount == 0 && importLabel != nil
        return .group(
            errorCount > 0
                ? .div(
                    .class("error-summary"), .attribute(named: "role", value: "alert"),
                    .h2(
                        .text(
                            "\(errorCount) row\(errorCount == 1 ? " needs" : "s need") fixing. Nothing can be imported until every row is right."
                        )),
                    .ul(.forEach(errors) { .li(.text($0.message)) }),
                    errorCount > errors.count ? more : .empty
                )
                : .p(.class("check-ok"), .text(summary)),
            .if(!warnings.isEmpty, .ul(.class("warnings"), .forEach(warnings) { .li(.text($0)) })),
            .div(
                .class("form-actions"),
                isReady
                    ? .postButton(importLabel ?? "", to: importURL, csrfToken: csrfToken, style: "button") : .empty,
                .postButton(isReady ? "Cancel" : "Discard this upload", to: cancelURL, csrfToken: csrfToken)
            )
        )
    }
}
