import Foundation
import Plot

extension AuditLog {
    final class View: ModelPage<Model> {
        override func pageTitle() -> String { "Audit log" }

        override func content() -> Node<HTML.BodyContext> {
            .group(
                .heading(
                    "Audit log",
                    lead:
                        "Every change to units, people, roles and sign-ins: who made it, when, and the values before and after."
                ),
                .getForm(
                    action: SiteURL.audit.relativeURL(), class: "filters",
                    .errorSummary(model.form.errors),
                    .formField(
                        FormField(
                            name: "person", label: "Person",
                            control: .select([.init(value: "", label: "Anyone")] + model.personOptions)),
                        state: model.form),
                    .formField(
                        FormField(
                            name: "unit", label: "Unit (and below)",
                            control: .select([.init(value: "", label: "All units")] + model.unitOptions)),
                        state: model.form),
                    .formField(FormField(name: "from", label: "From", control: .date), state: model.form),
                    .formField(FormField(name: "to", label: "To", control: .date), state: model.form),
                    .button(.type(.submit), .class("button secondary"), .text("Filter"))
                ),
                model.rows.isEmpty
                    ? .p(.class("empty"), .text("No entries match this filter."))
                    : .scrollingTable(
                        .class("audit-log"),
                        .thead(.tr(.th(.text("When")), .th(.text("Who")), .th(.text("What")), .th(.text("Changes")))),
                        .tbody(
                            .forEach(model.rows) { row in
                                .tr(
                                    .td(
                                        .moment(row.occurredAt)),
                                    .td(.text(row.actorName)),
                                    .td(
                                        .text("\(row.actionText) \(row.subjectKind) "),
                                        row.subjectURL.map { .a(.href($0), .text(row.subjectName)) }
                                            ?? .strong(.text(row.subjectName)),
                                        .unwrap(row.unitPath) { .span(.class("path"), .text(" in \($0)")) }
                                    ),
                                    .td(
                                        .if(
                                            !row.changes.isEmpty,
                                            .ul(
                                                .class("changes"),
                                                .forEach(row.changes) { change in
                                                    .li(
                                                        .strong(.text(change.field)), .text(": "),
                                                        .if(
                                                            change.before != nil,
                                                            .del(
                                                                .text(
                                                                    change.before?.isEmpty == false
                                                                        ? change.before! : "(empty)"))),
                                                        .if(change.before != nil && change.after != nil, .text(" → ")),
                                                        .if(
                                                            change.after != nil,
                                                            .ins(
                                                                .text(
                                                                    change.after?.isEmpty == false
                                                                        ? change.after! : "(empty)")))
                                                    )
                                                })))
                                )
                            })
                    ),
                .if(
                    model.rows.count == model.limit,
                    .p(
                        .class("hint"),
                        .text("Showing the newest \(model.limit) entries. Narrow the filter to see older ones.")))
            )
        }
    }
}
