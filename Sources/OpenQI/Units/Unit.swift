import Fluent
import Foundation

/// What a node of the organisation tree is. Partner organisations (a council, a GP practice,
/// a charity) sit at the top level beside the organisation itself.
package enum UnitKind: String, Codable, CaseIterable, FormChoice, Sendable {
    case organisation, directorate, service, team, ward, partner

    var label: String {
        switch self {
        case .organisation: "Organisation"
        case .directorate: "Directorate"
        case .service: "Service"
        case .team: "Team"
        case .ward: "Ward"
        case .partner: "Partner organisation"
        }
    }

    /// Organisations and partner organisations are roots; everything else has a parent.
    var isTopLevel: Bool { self == .organisation || self == .partner }
}

/// A node of the organisation tree: organisation → directorate → service / team / ward.
/// Units are archived, never deleted, because projects and measures refer to them.
package final class Unit: Model, @unchecked Sendable {
    package static let schema = "units"

    @ID(key: .id) package var id: UUID?
    @Field(key: "name") package var name: String
    @Enum(key: "kind") package var kind: UnitKind
    @OptionalParent(key: "parent_id") package var parent: Unit?
    @OptionalField(key: "description") package var summary: String?
    @OptionalField(key: "archived_at") package var archivedAt: Date?
    @Timestamp(key: "created_at", on: .create) package var createdAt: Date?
    @Timestamp(key: "updated_at", on: .update) package var updatedAt: Date?
    /// Moves on with every edit (`Versioned`).
    @Field(key: "version") package var version: Int

    package init() { version = 1 }

    package init(id: UUID? = nil, name: String, kind: UnitKind, parentID: UUID?, summary: String? = nil) {
        self.id = id
        self.name = name
        self.kind = kind
        self.$parent.id = parentID
        self.summary = summary
        self.version = 1
    }

    var isArchived: Bool { archivedAt != nil }
}

extension Unit: Versioned {}

extension Unit: Archivable {
    var auditSubject: AuditSubject { .init(kind: "unit", id: id, name: name, unitID: id) }
    var auditFields: [String: String] {
        [
            "name": name,
            "kind": kind.rawValue,
            "parent": $parent.id?.uuidString ?? "",
            "description": summary ?? "",
            "archived": isArchived ? "yes" : "no",
        ]
    }
}
