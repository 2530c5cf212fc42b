import Fluent
import Foundation
import Vapor

extension Story {
    func apply(_ valid: StoryInput.Valid) {
        title = valid.title
        body = valid.body
        isPublishable = valid.isPublishable
    }

    /// Saves an edit that began from version `expected`; throws `EditConflict` when someone saved
    /// the story since.
    func update(
        with valid: StoryInput.Valid, expecting expected: Int, in project: Project, by actor: Actor,
        on db: any Database
    ) async throws {
        let before = audit(project: project).auditFields
        apply(valid)
        try await saveAudited(project: project, before: before, expecting: expected, by: actor, on: db)
    }

    func audit(project: Project) -> ProjectPartAudit {
        ProjectPartAudit(
            kind: "story", id: id, name: title, project: project,
            auditFields: ["title": title, "body": body, "publishable": isPublishable ? "yes" : "no"])
    }
}
