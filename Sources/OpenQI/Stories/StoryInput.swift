import Fluent
import Foundation
import Vapor

/// A story as typed into its form.
struct StoryInput: Content, Sendable {
    var title: String?
    var body: String?
    var publishable: [String]?

    struct Valid: Sendable {
        let title: String
        let body: String
        let isPublishable: Bool
    }

    func validate() throws -> Valid {
        var validator = Validator()
        let title = validator.requiredText(title, field: "title", label: "a title")
        let body = validator.requiredText(body, field: "body", label: "the story", maxLength: 50_000)
        try validator.check()
        return Valid(title: title, body: body, isPublishable: !(publishable ?? []).isEmpty)
    }

    init(title: String? = nil, body: String? = nil, publishable: [String]? = nil) {
        self.title = title
        self.body = body
        self.publishable = publishable
    }

    init(_ story: Story) {
        self.init(title: story.title, body: story.body, publishable: story.isPublishable ? ["yes"] : [])
    }

    var formState: FormState {
        FormState(
            values: ["title": title ?? "", "body": body ?? ""], selected: ["publishable": Set(publishable ?? [])])
    }
}
