import Fluent
import Foundation
import Vapor

/// A story as typed into its form.
struct StoryInput: Content, Sendable {
    var title: String?
    var body: String?
    var publishable: [String]?
    /// The version an edit began from (the edit form's hidden field).
    var version: Int?

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

    init(title: String? = nil, body: String? = nil, publishable: [String]? = nil, version: Int? = nil) {
        self.title = title
        self.body = body
        self.publishable = publishable
        self.version = version
    }
}

extension StoryInput: VersionedInput {
    init(_ story: Story) {
        self.init(
            title: story.title, body: story.body, publishable: story.isPublishable ? ["yes"] : [],
            version: story.version)
    }

    var formState: FormState {
        FormState(
            values: ["title": title ?? "", "body": body ?? "", "version": version.map(String.init) ?? ""],
            selected: ["publishable": Set(publishable ?? [])])
    }

    static let labels: [(field: String, label: String)] = [("title", "Title"), ("body", "The story")]
}
