import Foundation
import Plot

/// An action someone took on and tracks to closure (a huddle's, a WalkRound's follow-up), as a
/// table row: what it is, where it came from, its owner and due day, and the button that closes it
/// for those who may.
struct TrackedAction: Sendable, Equatable {
    let title: String
    /// Where it came from (the issue or the visit), linked.
    let source: String
    let sourceURL: String
    /// A word on the source: "Willow Ward huddle of 3 March 2026".
    let context: String?
    let owner: String
    let due: CalendarDay
    let doneOn: CalendarDay?
    let isOverdue: Bool
    /// Where "Mark done" posts, for a viewer who may close it; nil for everyone else.
    let completeURL: String?
}

extension Node where Context == HTML.BodyContext {
    /// Actions as a table with their "Mark done" buttons; `back` is sent with each button so the
    /// answer returns to this page rather than the action's own.
    static func actionTable(
        _ rows: [TrackedAction], caption: String, heading: String, sourceHeading: String, csrfToken: String,
        back: String? = nil
    ) -> Node {
        .scrollingTable(
            .class("data-table"),
            .caption(.text(caption)),
            .thead(
                .tr(
                    .th(.scope("col"), .text(heading)), .th(.scope("col"), .text(sourceHeading)),
                    .th(.scope("col"), .text("Owner")), .th(.scope("col"), .text("Due")),
                    .th(.scope("col"), .span(.class("visually-hidden"), .text("Mark done"))))),
            .tbody(
                .forEach(rows) { row in
                    .tr(
                        .class(row.isOverdue ? "due" : ""),
                        .th(.scope("row"), .text(row.title)),
                        .td(
                            .a(.href(row.sourceURL), .text(row.source)),
                            .unwrap(row.context) { .span(.class("hint"), .text(" (\($0))")) }),
                        .td(.text(row.owner)),
                        .td(
                            .text(row.due.label), .if(row.isOverdue, .span(.class("tag warn"), .text("Overdue"))),
                            .unwrap(row.doneOn) { .span(.class("tag"), .text("Done \($0.label)")) }),
                        .td(
                            .unwrap(row.doneOn == nil ? row.completeURL : nil) { url in
                                .postButton(
                                    "Mark done", to: url, csrfToken: csrfToken,
                                    fields: back.map { [("back", $0)] } ?? [])
                            }))
                }))
    }
}
