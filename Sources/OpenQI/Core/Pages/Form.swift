import Charts
import Foundation
import Plot
import Vapor

/// What a form shows: the values to fill in (what the user typed, after a failed submit) and the
/// messages to put beside each field.
struct FormState: Sendable, Equatable {
    var values: [String: String]
    var errors: [FieldError]
    /// The ticked boxes of each checkbox group.
    var selected: [String: Set<String>]

    init(values: [String: String] = [:], errors: [FieldError] = [], selected: [String: Set<String>] = [:]) {
        self.values = values
        self.errors = errors
        self.selected = selected
    }

    subscript(field: String) -> String { values[field] ?? "" }
    /// Every message about a field, shown together beside it (an edit conflict says who saved the
    /// record and, on the same field, what they saved).
    func error(for field: String) -> String? {
        let messages = errors.filter { $0.field == field }.map(\.message)
        return messages.isEmpty ? nil : messages.joined(separator: " ")
    }
}

/// A closed set a form offers to choose from: each case sent as its raw value and shown by its label.
protocol FormChoice: CaseIterable, RawRepresentable<String> {
    var label: String { get }
}

/// One field of a form, described as data so every form in OpenQI looks and behaves the same.
struct FormField: Sendable, Equatable {
    enum Control: Sendable, Equatable {
        case text, email, password, search, date, number
        /// A file chooser; `accept` lists the types offered.
        case file(accept: String)
        case textarea(rows: Int)
        case select([Option])
        /// A group of checkboxes sent as `name[]`; one option makes a single yes/no box.
        case checkboxes([Option])
        /// A group of radio buttons: one of a short list, each option's label in full.
        case radios([Option])
    }

    struct Option: Sendable, Equatable {
        let value: String
        let label: String
    }

    /// Answers to one of the form's radio groups that a field belongs to (a coach only when approving).
    struct Condition: Sendable, Equatable {
        let field: String
        let values: [String]
    }

    var name: String
    var label: String
    var control: Control = .text
    var hint: String? = nil
    var isRequired: Bool = false
    var autocomplete: String? = nil
    /// When set, the field is hidden (by the style sheet, where the browser can tell) until one of
    /// those answers is chosen, so a form with several paths shows only the one being taken.
    var shownWhen: Condition? = nil

    /// The field's box's classes: its state, and the answers that show it.
    fileprivate func boxClass(hasError: Bool) -> String {
        var classes = ["field"]
        if hasError { classes.append("field-error") }
        if let condition = shownWhen {
            classes.append("when")
            classes += condition.values.map { "when-\(condition.field)-\($0)" }
        }
        return classes.joined(separator: " ")
    }
}

extension FormField.Option {
    /// Every case of `Choice`, in order; first, when `none` is given, the option that chooses none,
    /// saying what that means ("Choose…", "Any status").
    static func every<Choice: FormChoice>(_: Choice.Type, none: String? = nil) -> [Self] {
        (none.map { [Self(value: "", label: $0)] } ?? [])
            + Choice.allCases.map { Self(value: $0.rawValue, label: $0.label) }
    }
}

extension FormField.Control {
    /// A menu of every case of `Choice`, after the option that chooses none, when given.
    static func select<Choice: FormChoice>(every choice: Choice.Type, none: String? = nil) -> Self {
        .select(FormField.Option.every(choice, none: none))
    }
}

/// The one form helper: a POST form with its anti-forgery token, an error summary at the top (linking
/// to each field), each field with its label, hint and message, and a submit button.
struct FormView: Sendable {
    var action: String
    var csrfToken: String
    var state: FormState
    var fields: [FormField]
    var submitLabel: String
    var cancelURL: String? = nil
    /// Values the form carries without showing them, e.g. the meeting a decision is recorded at.
    /// The version an edit began from (`state["version"]`) is always carried.
    var hiddenFields: [String: String] = [:]
    /// For a form far down a page: its id (and its fields' ids start with it), and the name of its
    /// error summary, which its action's fragment opens the answering page at.
    var anchor: String? = nil

    private var carried: [String: String] {
        state["version"].isEmpty ? hiddenFields : hiddenFields.merging(["version": state["version"]]) { $1 }
    }

    /// Field ids start with the anchor, so two forms on one page never share an id.
    private var idPrefix: String { anchor.map { "\($0)-field" } ?? "field" }

    /// The fragment the form's action ends with: its error summary, which a page opened at it
    /// scrolls to and focuses (it takes focus by its tabindex), so a screen reader reads what to
    /// fix first, with no script. A page without errors has no such element and stays at the top.
    private var errorsAnchor: String? { anchor.map { "\($0)-errors" } }

    var node: Node<HTML.BodyContext> {
        .postForm(
            action: errorsAnchor.map { action + "#" + $0 } ?? action, csrfToken: csrfToken,
            .unwrap(anchor) { .attribute(named: "id", value: $0) },
            .errorSummary(state.errors, idPrefix: idPrefix, id: errorsAnchor),
            .forEach(carried.sorted(by: { $0.key < $1.key })) { .hiddenField($0.key, $0.value) },
            .forEach(fields) { .formField($0, state: state, idPrefix: idPrefix) },
            .div(
                .class("form-actions"),
                .button(.type(.submit), .class("button"), .text(submitLabel)),
                .unwrap(cancelURL) { .a(.class("button secondary"), .href($0), .text("Cancel")) }
            )
        )
    }
}

extension FormView {
    /// The form as the whole of its page, under the page's heading, in the narrow column.
    /// The form as a page of its own, under its heading and what to know before filling it in.
    func page(_ heading: String, lead: Node<HTML.BodyContext> = .empty) -> Node<HTML.BodyContext> {
        .div(.class("narrow"), .h1(.text(heading)), lead, node)
    }

    /// The form folded under a summary line, opened when it comes back with errors, for the
    /// secondary actions of a page (grant a role, add to the team, post an update).
    func disclosed(_ summary: String) -> Node<HTML.BodyContext> {
        .element(
            named: "details",
            nodes: [
                .attribute(named: "open", value: state.errors.isEmpty ? nil : "open"),
                .element(named: "summary", text: summary),
                node,
            ])
    }
}

extension Node where Context == HTML.BodyContext {
    /// The hidden anti-forgery field every POST form carries.
    static func csrfField(_ token: String) -> Node { .hiddenField(CSRFMiddleware.formField, token) }

    /// A value the form sends back unseen, such as the version an edit began from.
    static func hiddenField(_ name: String, _ value: String) -> Node {
        .input(.type(.hidden), .name(name), .attribute(named: "value", value: value.markupEscaped))
    }

    /// A form that POSTs, carrying the anti-forgery token. Every POST form is made here.
    static func postForm(action: String, csrfToken: String, class className: String = "form", _ nodes: Node...) -> Node
    {
        .element(
            named: "form",
            nodes: [
                .attribute(named: "action", value: action.markupEscaped),
                .attribute(named: "method", value: "post"),
                .attribute(named: "novalidate", value: nil, ignoreIfValueIsEmpty: false),
                .class(className),
                .csrfField(csrfToken),
            ] + nodes)
    }

    /// A form that uploads a file (`file`) as multipart form data, with the anti-forgery token, and
    /// optionally a box to paste the same text (`data`) instead.
    static func uploadForm(
        action: String, csrfToken: String, state: FormState, fileLabel: String, buttonLabel: String,
        pasteHint: String? = nil
    ) -> Node {
        .element(
            named: "form",
            nodes: [
                .attribute(named: "action", value: action.markupEscaped),
                .attribute(named: "method", value: "post"),
                .attribute(named: "enctype", value: "multipart/form-data"), .class("form upload"),
                .csrfField(csrfToken),
                .errorSummary(state.errors),
                .formField(
                    FormField(name: "file", label: fileLabel, control: .file(accept: ".csv,text/csv")), state: state),
                pasteHint.map {
                    .formField(
                        FormField(name: "data", label: "Paste", control: .textarea(rows: 6), hint: $0), state: state)
                } ?? .empty,
                .div(.class("form-actions"), .button(.type(.submit), .class("button"), .text(buttonLabel))),
            ])
    }

    /// A form that GETs, for searches and filters.
    static func getForm(action: String, class className: String, _ nodes: Node...) -> Node {
        .element(
            named: "form",
            nodes: [
                .attribute(named: "action", value: action.markupEscaped),
                .attribute(named: "method", value: "get"),
                .class(className),
            ] + nodes)
    }

    /// A button that POSTs (sign out, archive, restore): a tiny form with its token, and any
    /// values it sends (`fields`, hidden).
    static func postButton(
        _ label: String, to action: String, csrfToken: String, style: String = "button secondary",
        fields: [(name: String, value: String)] = []
    ) -> Node {
        .postForm(
            action: action, csrfToken: csrfToken, class: "inline-form",
            .forEach(fields) { field in
                .input(
                    .type(.hidden), .attribute(named: "name", value: field.name.markupEscaped),
                    .attribute(named: "value", value: field.value.markupEscaped))
            },
            .button(.type(.submit), .class(style), .text(label)))
    }

    /// "There is a problem": the list of messages, each linking to its field.
    static func errorSummary(_ errors: [FieldError], idPrefix: String = "field", id: String? = nil) -> Node {
        guard !errors.isEmpty else { return .empty }
        return .div(
            .unwrap(id) { .id($0) },
            .class("error-summary"), .attribute(named: "role", value: "alert"),
            .attribute(named: "tabindex", value: "-1"),
            .h2(.text("There is a problem")),
            .ul(
                .forEach(errors) { error in
                    .li(.a(.href("#\(idPrefix)-\(error.field)"), .text(error.message)))
                })
        )
    }

    /// A field with its label, hint and message; its id is `idPrefix-name` (the error summary's links).
    static func formField(_ field: FormField, state: FormState, idPrefix: String = "field") -> Node {
        switch field.control {
        case .checkboxes(let options): return choiceGroup(field, options: options, state: state, idPrefix: idPrefix)
        case .radios(let options): return choiceGroup(field, options: options, state: state, idPrefix: idPrefix)
        default: break
        }
        let id = "\(idPrefix)-\(field.name)"
        let error = state.error(for: field.name)
        let describedBy = [field.hint.map { _ in "\(id)-hint" }, error.map { _ in "\(id)-error" }]
            .compactMap { $0 }.joined(separator: " ")
        let value = state[field.name]
        let common: [(name: String, value: String?)] = [
            ("id", id),
            ("name", field.name),
            ("aria-describedby", describedBy.isEmpty ? nil : describedBy),
            ("aria-invalid", error == nil ? nil : "true"),
            ("autocomplete", field.autocomplete),
            ("required", field.isRequired ? "required" : nil),
        ]
        let commonNodes: [Node] = common.map { .attribute(named: $0.name, value: $0.value) }
        let control: Node
        switch field.control {
        case .textarea(let rows):
            control = .element(
                named: "textarea", nodes: commonNodes + [.attribute(named: "rows", value: "\(rows)"), .text(value)])
        case .select(let options):
            control = .element(
                named: "select",
                nodes: commonNodes
                    + options.map { option in
                        .element(
                            named: "option",
                            nodes: [
                                .attribute(
                                    named: "value", value: option.value.markupEscaped, ignoreIfValueIsEmpty: false),
                                .attribute(named: "selected", value: option.value == value ? "selected" : nil),
                                .text(option.label),
                            ])
                    })
        case .checkboxes, .radios:
            control = .empty
        case .file(let accept):
            // A browser never lets a page fill a file input, so no value is sent back.
            let attributes = common + [("type", "file"), ("accept", accept)]
            control = .selfClosedElement(
                named: "input",
                attributes: attributes.map { Attribute<HTML.InputContext>.attribute(named: $0.name, value: $0.value) }
            )
        case .text, .email, .password, .search, .date, .number:
            // Passwords are never sent back to the browser.
            let shown = field.control == .password ? nil : value.markupEscaped
            let attributes = common + [("type", field.control.inputType), ("value", shown)]
            control = .selfClosedElement(
                named: "input",
                attributes: attributes.map { Attribute<HTML.InputContext>.attribute(named: $0.name, value: $0.value) }
            )
        }
        return .div(
            .class(field.boxClass(hasError: error != nil)),
            .label(
                .for(id), .text(field.label),
                field.isRequired ? .empty : .span(.class("optional"), .text(" (optional)"))),
            .unwrap(field.hint) { .p(.id("\(id)-hint"), .class("hint"), .text($0)) },
            .unwrap(error) {
                .p(
                    .id("\(id)-error"), .class("error-message"), .span(.class("visually-hidden"), .text("Error: ")),
                    .text($0))
            },
            control
        )
    }
}

extension Node where Context == HTML.BodyContext {
    /// A fieldset of checkboxes (choose several) or radio buttons (choose one), with its legend,
    /// hint and message.
    fileprivate static func choiceGroup(
        _ field: FormField, options: [FormField.Option], state: FormState, idPrefix: String
    ) -> Node {
        let id = "\(idPrefix)-\(field.name)"
        let error = state.error(for: field.name)
        let isRadio = if case .radios = field.control { true } else { false }
        let ticked = isRadio ? [state[field.name]] : state.selected[field.name] ?? []
        return .element(
            named: "fieldset",
            nodes: [
                .id(id), .class(error == nil ? "field checkboxes" : "field checkboxes field-error"),
                .element(
                    named: "legend",
                    nodes: [
                        .text(field.label),
                        field.isRequired ? .empty : .span(.class("optional"), .text(" (optional)")),
                    ]),
                .unwrap(field.hint) { .p(.id("\(id)-hint"), .class("hint"), .text($0)) },
                .unwrap(error) {
                    .p(
                        .id("\(id)-error"), .class("error-message"),
                        .span(.class("visually-hidden"), .text("Error: ")), .text($0))
                },
                .forEach(options) { option in
                    .label(
                        .class("checkbox"),
                        .input(
                            .type(isRadio ? .radio : .checkbox), .name(isRadio ? field.name : "\(field.name)[]"),
                            .attribute(named: "value", value: option.value.markupEscaped),
                            .checked(ticked.contains(option.value))),
                        .text(" \(option.label)")
                    )
                },
            ])
    }
}

extension FormField.Control {
    var inputType: String {
        switch self {
        case .email: "email"
        case .password: "password"
        case .search: "search"
        case .date: "date"
        case .number: "number"
        default: "text"
        }
    }
}

extension Request {
    /// The one way a page answers a form: `save` does the work and answers, usually with a redirect
    /// and a notice; when the input cannot be saved, `redraw` draws the page again with what was typed
    /// and each error beside its field, sent as 422 so the refusal is plain to browsers and tests.
    /// `redraw` may answer with a redirect instead (the form has gone meanwhile, so the reason is
    /// told as a notice), which is passed through as it is.
    func saveForm(
        _ save: () async throws -> Response, redraw: (_ errors: [FieldError]) async throws -> Response
    ) async throws -> Response {
        do {
            return try await save()
        } catch let failure as ValidationFailure {
            let page = try await redraw(failure.errors)
            if !(300..<400).contains(page.status.code) { page.status = .unprocessableEntity }
            return page
        }
    }

    /// `saveForm` for a form whose input comes back as `typed`: `redraw` gets it with the errors.
    func saveForm(
        typed: FormState, _ save: () async throws -> Response, redraw: (_ state: FormState) async throws -> Response
    ) async throws -> Response {
        try await saveForm(save) { errors in
            var state = typed
            state.errors = errors
            return try await redraw(state)
        }
    }
}
