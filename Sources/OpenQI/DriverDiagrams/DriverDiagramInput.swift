import Fluent
import Foundation
import Vapor

/// A driver as typed into the diagram editor or sent to the API.
struct DriverInput: Content, Sendable {
    var level: String?
    var text: String?
    var primary_ids: [String]?
    /// The version an edit began from (the editor's hidden field).
    var version: Int? = nil

    struct Valid: Sendable {
        let level: DriverLevel
        let text: String
        let primaryIDs: [UUID]
    }

    /// Checks the driver against the diagram it joins: a secondary driver moves at least one of
    /// this project's primary drivers.
    func validate(in diagram: DriverDiagram, editing: DriverDiagram.DriverBox? = nil) throws -> Valid {
        var validator = Validator()
        let level =
            editing?.level ?? validator.choice(level, field: "level", label: "the kind of driver", as: DriverLevel.self)
        let text = validator.requiredText(text, field: "text", label: "what drives the aim", maxLength: 200)
        let primaryIDs = Validator.identifiers(primary_ids)
        if level == .secondary {
            let known = Set(diagram.primaries.map(\.id))
            if diagram.primaries.isEmpty {
                validator.fail("primary_ids", "Add a primary driver first: a secondary driver moves a primary one.")
            } else if primaryIDs.isEmpty {
                validator.fail("primary_ids", "Choose at least one primary driver this secondary driver moves.")
            } else if !primaryIDs.allSatisfy(known.contains) {
                validator.fail("primary_ids", "Choose primary drivers of this diagram.")
            }
        }
        return try validator.check(level) { level in
            Valid(level: level, text: text, primaryIDs: level == .secondary ? primaryIDs : [])
        }
    }
}

/// A change idea as typed into the diagram editor or sent to the API.
struct ChangeIdeaInput: Content, Sendable {
    var title: String?
    var description: String?
    var driver_ids: [String]?
    /// For a team in a programme: the programme's change idea this one adapts, if any.
    var adapted_from_id: String? = nil
    /// The version an edit began from (the editor's hidden field).
    var version: Int? = nil

    struct Valid: Sendable {
        let title: String
        let summary: String?
        let driverIDs: [UUID]
        let adaptedFrom: UUID?
    }

    /// Checks the idea against the diagram it joins and, for a team in a programme, the
    /// programme's change ideas (`package`), the only ones it may say it adapts.
    func validate(in diagram: DriverDiagram, package: [DriverDiagram.IdeaBox] = []) throws -> Valid {
        var validator = Validator()
        let title = validator.requiredText(title, field: "title", label: "the change idea", maxLength: 200)
        let summary = validator.optionalText(description, field: "description", label: "the description")
        let driverIDs = Validator.identifiers(driver_ids)
        let known = Set(diagram.drivers.map(\.id))
        if diagram.drivers.isEmpty {
            validator.fail("driver_ids", "Add a driver first: a change idea acts on a driver of the aim.")
        } else if driverIDs.isEmpty {
            validator.fail("driver_ids", "Choose at least one driver this change idea acts on.")
        } else if !driverIDs.allSatisfy(known.contains) {
            validator.fail("driver_ids", "Choose drivers of this diagram.")
        }
        let adaptedFrom = validator.identifier(
            adapted_from_id, field: "adapted_from_id", label: "programme change idea", required: false)
        if let adaptedFrom, !package.contains(where: { $0.id == adaptedFrom }) {
            validator.fail(
                "adapted_from_id", "Choose one of the programme’s change ideas, or none if this idea is the team’s own."
            )
        }
        try validator.check()
        return Valid(title: title, summary: summary, driverIDs: driverIDs, adaptedFrom: adaptedFrom)
    }
}

extension DriverInput: VersionedInput {
    init(_ driver: Driver) {
        self.init(
            level: driver.level.rawValue, text: driver.text,
            primary_ids: driver.$primaries.value?.compactMap { $0.id?.uuidString }, version: driver.version)
    }

    var formState: FormState {
        FormState(
            values: ["text": text ?? "", "version": version.map(String.init) ?? ""],
            selected: ["primary_ids": Set(primary_ids ?? [])])
    }

    static let labels: [(field: String, label: String)] = [("text", "Driver")]
}

extension ChangeIdeaInput: VersionedInput {
    init(_ idea: ChangeIdea) {
        self.init(
            title: idea.title, description: idea.summary,
            driver_ids: idea.$drivers.value?.compactMap { $0.id?.uuidString },
            adapted_from_id: idea.$adaptedFrom.id?.uuidString, version: idea.version)
    }

    var formState: FormState {
        FormState(
            values: [
                "title": title ?? "", "description": description ?? "", "adapted_from_id": adapted_from_id ?? "",
                "version": version.map(String.init) ?? "",
            ],
            selected: ["driver_ids": Set(driver_ids ?? [])])
    }

    static let labels: [(field: String, label: String)] = [("title", "Change idea"), ("description", "Description")]
}
