import Fluent
import Foundation
import Vapor

extension Story {
    func apply(_ valid: StoryInput.Valid) {
        title = valid.title
        body = valid.body
        isPublishable = valid.isPublishable
    }

    func audit(project: Project) -> ProjectPartAudit {
        ProjectPartAudit(
            kind: "story", id: id, name: title, project: project,
            auditFields: ["title": title, "body": body, "publishable": isPublishable ? "yes" : "no"])
    }
}
