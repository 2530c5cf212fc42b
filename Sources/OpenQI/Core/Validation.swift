import Fluent
import Foundation
import Vapor

/// A message about one field of a form or API request, e.g. `name`: "Enter a name.", or about one
/// row of a batch of data (`row`, counted from 1 as a spreadsheet counts them).
struct FieldError: Codable, Sendable, Equatable {
    let field: String
    let message: String
    var row: Int? = nil
}

extension FieldError {
    /// What to show when someone else saved a record while this person edited it (`EditConflict`):
    /// beside each field where the saved value differs from what they typed, the saved value; and
    /// on the first such field, who saved it, when, and that their own text is kept, not saved.
    /// `shown` gives the words for a saved value that is not itself readable (a unit's id).
    static func conflict(
        typed: [String: String], saved: [String: String], labels: [(field: String, label: String)],
        savedBy: String?, at: Date?, record: String, shownAs shown: [String: String] = [:]
    ) -> [FieldError] {
        let differing = labels.filter { (typed[$0.field] ?? "") != (saved[$0.field] ?? "") }
        let who = savedBy ?? "Someone"
        let when = at.map { " at \(CalendarDay.time($0)) UTC" } ?? ""
        let summary = FieldError(
            field: differing.first?.field ?? labels.first?.field ?? "",
            message: "\(who) saved this \(record)\(when), after you opened it. Nothing of yours is saved yet: "
                + "your text is below, and what they saved is shown beside each field that differs. "
                + "Keep yours or take theirs, then save again.")
        return [summary]
            + differing.map { field, label in
                let value = shown[field] ?? saved[field] ?? ""
                let shown = value.isEmpty ? "nothing" : "“\(value.count > 300 ? value.prefix(300) + "…" : value)”"
                return FieldError(field: field, message: "\(label), as \(who) saved it: \(shown)")
            }
    }
}

/// Input that cannot be saved as it is. Pages show each message beside its field and keep what was
/// typed; the API answers 422 with `{"errors":[{"field":…,"message":…}]}`. Nothing is written.
struct ValidationFailure: Error, Sendable, Equatable {
    let errors: [FieldError]

    init(_ errors: [FieldError]) { self.errors = errors }
    init(field: String, message: String) { self.errors = [FieldError(field: field, message: message)] }

    func message(for field: String) -> String? { errors.first { $0.field == field }?.message }
}

extension ValidationFailure: AbortError {
    var status: HTTPResponseStatus { .unprocessableEntity }
    var reason: String { errors.map(\.message).joined(separator: " ") }
}

/// Collects field errors while turning raw input into typed values: the one validation path that
/// forms and the API share.
struct Validator {
    private(set) var errors: [FieldError] = []

    mutating func fail(_ field: String, _ message: String) {
        errors.append(FieldError(field: field, message: message))
    }

    /// Trimmed text, required and at most `maxLength` characters; "" after recording an error.
    mutating func requiredText(_ value: String?, field: String, label: String, maxLength: Int = 200) -> String {
        let text = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if text.isEmpty {
            fail(field, "Enter \(label).")
        } else if text.count > maxLength {
            fail(field, "\(label.capitalisedFirst) must be \(maxLength) characters or fewer (it has \(text.count)).")
        }
        return text
    }

    /// Trimmed text or nil when blank, at most `maxLength` characters.
    mutating func optionalText(_ value: String?, field: String, label: String, maxLength: Int = 2000) -> String? {
        let text = value?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""
        if text.count > maxLength {
            fail(field, "\(label.capitalisedFirst) must be \(maxLength) characters or fewer (it has \(text.count)).")
        }
        return text.isEmpty ? nil : text
    }

    /// A measure's key for bulk data (`ward-7.falls`): lower-cased, or nil when blank. Letters,
    /// digits and . - _ only, so it survives a spreadsheet, a CSV and a URL unchanged.
    mutating func measureKey(_ value: String?, field: String) -> String? {
        let text = value?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        if text.isEmpty { return nil }
        let allowed = Set("abcdefghijklmnopqrstuvwxyz0123456789.-_")
        guard text.count <= 80, text.allSatisfy(allowed.contains),
            text.first?.isLetter == true || text.first?.isNumber == true
        else {
            fail(
                field,
                "Use up to 80 letters, digits, dots, hyphens and underscores, starting with a letter or digit, like ward-7.falls."
            )
            return nil
        }
        return text
    }

    /// A lower-cased email address, or nil when blank and not required.
    mutating func email(_ value: String?, field: String, required: Bool) -> String? {
        let text = value?.trimmingCharacters(in: .whitespacesAndNewlines).lowercased() ?? ""
        if text.isEmpty {
            if required { fail(field, "Enter an email address.") }
            return nil
        }
        if text.count > 254 || !Self.looksLikeEmail(text) {
            fail(field, "Enter an email address in the right format, like name@example.org.")
        }
        return text
    }

    /// One of an enumeration's raw values.
    mutating func choice<T: RawRepresentable & CaseIterable>(
        _ value: String?, field: String, label: String, as type: T.Type
    ) -> T? where T.RawValue == String {
        guard let value, !value.isEmpty else {
            fail(field, "Choose \(label).")
            return nil
        }
        guard let choice = T(rawValue: value) else {
            let allowed = T.allCases.map(\.rawValue).joined(separator: ", ")
            fail(field, "“\(value)” is not a valid choice for \(label). Choose one of: \(allowed).")
            return nil
        }
        return choice
    }

    /// A UUID, or nil when blank and not required.
    mutating func identifier(_ value: String?, field: String, label: String, required: Bool) -> UUID? {
        typed(value, field: field, missing: required ? "Choose \(label)." : nil, as: UUID.init(uuidString:)) {
            "“\($0)” is not a valid \(label) identifier."
        }
    }

    /// A calendar day typed as yyyy-mm-dd (what a date input sends), or nil when blank and not required.
    mutating func day(_ value: String?, field: String, label: String, required: Bool) -> Date? {
        typed(
            value, field: field, missing: required ? "Enter \(label)." : nil,
            as: { CalendarDay(parsing: $0, as: .iso)?.date },
            unreadable: { _ in "Enter \(label) as a date, like \(CalendarDay.InputFormat.iso.examples)." })
    }

    /// A whole number in `range`, or nil when blank (saying `missing` when one is required).
    mutating func wholeNumber(
        _ value: String?, field: String, label: String, in range: ClosedRange<Int>, missing: String? = nil
    ) -> Int? {
        typed(
            value, field: field, missing: missing, as: { Int($0).flatMap { range.contains($0) ? $0 : nil } },
            unreadable: {
                "Enter \(label) as a whole number from \(range.lowerBound) to \(range.upperBound); “\($0)” is not one."
            })
    }

    /// A decimal number in `range`, or nil when blank. Every number a person types is bounded here
    /// before anything computes with it.
    mutating func decimal(_ value: String?, field: String, label: String, in range: ClosedRange<Double>) -> Double? {
        typed(
            value, field: field, as: { Double($0).flatMap { $0.isFinite && range.contains($0) ? $0 : nil } },
            unreadable: {
                "Enter \(label) as a number from \(range.lowerBound.formatted()) to \(range.upperBound.formatted()); “\($0)” is not one."
            })
    }

    /// A value typed into a field, trimmed and read by `read`: nil when blank (recording `missing`
    /// if the field is required), and nil when `read` cannot make sense of the text, recording the
    /// message `unreadable` gives for it.
    private mutating func typed<T>(
        _ value: String?, field: String, missing: String? = nil, as read: (String) -> T?,
        unreadable: (String) -> String
    ) -> T? {
        let text = value?.trimmingCharacters(in: .whitespaces) ?? ""
        if text.isEmpty {
            if let missing { fail(field, missing) }
            return nil
        }
        guard let typed = read(text) else {
            fail(field, unreadable(text))
            return nil
        }
        return typed
    }

    /// The distinct identifiers ticked in a checkbox group, in the order given. Anything that is not
    /// one is dropped here; the caller's "choose from the list" check catches what is missing.
    static func identifiers(_ values: [String]?) -> [UUID] {
        var seen = Set<UUID>()
        return (values ?? []).compactMap { UUID(uuidString: $0.trimmingCharacters(in: .whitespaces)) }
            .filter { seen.insert($0).inserted }
    }

    func check() throws {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }

    /// Throws the errors recorded, or else makes the valid input from the values read, every one
    /// of them there: `try validator.check(unitID, byWhen) { unitID, byWhen in Draft(…) }`. A reader
    /// that returns nil records why, so a value missing with no error is a fault in the form's reading.
    func check<each Value, Valid>(
        _ value: repeat (each Value)?, then make: (repeat each Value) throws -> Valid
    ) throws -> Valid {
        try check()
        return try make(repeat try Self.present(each value))
    }

    private static func present<Value>(_ value: Value?) throws -> Value {
        guard let value else {
            throw ValidationFailure(
                field: "body", message: "A required value is missing. Fill in every field and send it again.")
        }
        return value
    }

    /// A deliberately simple check: one @, something before it, a dot in the domain, no spaces.
    /// The real test of an address is whether mail arrives.
    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !text.contains(where: \.isWhitespace) else { return false }
        let domain = parts[1]
        return domain.contains(".") && !domain.hasPrefix(".") && !domain.hasSuffix(".")
    }
}

/// A number field as it arrives: text from a form, a number or text from a JSON client. Validation
/// reads the text, so both go through the same check and the same message.
struct NumberText: Codable, Sendable, Equatable {
    let text: String

    init(_ text: String) { self.text = text }

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let whole = try? container.decode(Int.self) {
            text = String(whole)
        } else if let number = try? container.decode(Double.self) {
            text = String(number)
        } else {
            text = try container.decode(String.self)
        }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(text)
    }
}

extension String {
    var capitalisedFirst: String { prefix(1).uppercased() + dropFirst() }
}

/// The filters a list takes in its query string, checked like any other input: a filter that
/// names nothing answers 422 saying what it takes, rather than being ignored.
extension Request {
    /// The longest search a list takes: longer than any name or title, short of what makes a
    /// database's pattern matching fail.
    static let longestSearch = 200

    /// `?name=text`, a search of at most `longestSearch` characters, trimmed; nil when blank.
    func searchFilter(_ name: String = "q") throws -> String? {
        guard let text = query[String.self, at: name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else {
            return nil
        }
        guard text.count <= Self.longestSearch else {
            throw ValidationFailure(
                field: name,
                message:
                    "Search for at most \(Self.longestSearch) characters; this search has \(text.count.formatted()).")
        }
        return text
    }

    /// `?name=true` or `false`; `default` when absent.
    func yesNoFilter(_ name: String, default: Bool = false) throws -> Bool {
        guard let text = query[String.self, at: name], !text.isEmpty else { return `default` }
        switch text.lowercased() {
        case "true", "yes", "1": return true
        case "false", "no", "0": return false
        default: throw ValidationFailure(field: name, message: "“\(text)” is not true or false.")
        }
    }

    /// The highest page number a list takes: far past any list's end, and small enough that
    /// `page × page size` cannot overflow.
    static let lastPageNumber = 100_000

    /// `?name=N`, a page number from 1 to `lastPageNumber`; 1 when absent.
    func pageFilter(_ name: String = "page") throws -> Int {
        guard let text = query[String.self, at: name], !text.isEmpty else { return 1 }
        guard let page = Int(text), (1...Self.lastPageNumber).contains(page) else {
            throw ValidationFailure(
                field: name,
                message: "“\(text)” is not a page number. Pages count from 1 to \(Self.lastPageNumber.formatted()).")
        }
        return page
    }

    /// `?name=value` naming one of `Value`'s cases (`label`: "a status"), or nil when absent.
    func choiceFilter<Value: RawRepresentable & CaseIterable>(_ name: String, as _: Value.Type, label: String)
        throws -> Value?
    where Value.RawValue == String {
        guard let text = query[String.self, at: name], !text.isEmpty else { return nil }
        guard let value = Value(rawValue: text) else {
            let allowed = Value.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationFailure(field: name, message: "“\(text)” is not \(label). Use one of: \(allowed).")
        }
        return value
    }
}

extension ValidationFailure {
    /// An edit that does not say which version it began from could overwrite what someone saved
    /// meanwhile without anyone knowing, so it is refused (forms always send it; a program must).
    static func versionMissing(of record: String) -> ValidationFailure {
        ValidationFailure(
            field: "version",
            message:
                "Say which version of the \(record) this change began from (the version a GET or the edit page gave), so nothing saved meanwhile is overwritten. Reload it and make the change again."
        )
    }
}

extension Validator {
    /// Records an error on `name` when another record of the kind already has it, whatever its
    /// case: names are how people find objectives, priorities and standard measures, and an
    /// archived one is restored rather than made again.
    mutating func uniqueName(
        _ name: String, among existing: [(id: UUID?, name: String, isArchived: Bool)], editing: UUID?,
        called kind: String
    ) {
        guard !name.isEmpty,
            let clash = existing.first(where: {
                $0.id != editing && $0.name.caseInsensitiveCompare(name) == .orderedSame
            })
        else { return }
        let archived = clash.isArchived ? " (archived: restore it rather than adding it again)" : ""
        fail("name", "There is already a \(kind) called “\(clash.name)”\(archived). Choose a different name.")
    }
}

/// Runs a save whose name a unique index guards: two people who give the same name at one moment
/// both pass validation, and the second is told as validation would have told them.
func nameTaken<T>(_ name: String, by kind: String, _ save: () async throws -> T) async throws -> T {
    do {
        return try await save()
    } catch let clash as any DatabaseError where clash.isConstraintFailure {
        throw ValidationFailure(
            field: "name",
            message:
                "There is already a \(kind) called “\(name)”: someone saved it a moment ago. Choose a different name.")
    }
}
