import Foundation
import Testing

@testable import OpenQI

/// Pages render from plain models, with no request and no database.
@Suite("Views")
struct ViewTests {
    let context = PageContext(
        viewerName: "Ada Lovelace", csrfToken: "token-123",
        navigation: [.init(label: "Units", url: "/units")], notice: "Saved.", currentPath: "/units"
    )

    @Test("the layout carries the viewer, the navigation, the notice and the anti-forgery token")
    func layout() {
        let html = UnitIndex.View(
            context: context, model: .init(query: "", includeArchived: false, rows: [], canCreate: false)
        ).render()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(
            html.contains(#"<meta name="csrf-token" content="token-123"/>"#)
                || html.contains(#"<meta name="csrf-token" content="token-123">"#))
        #expect(html.contains(#"aria-current="page""#))
        #expect(html.contains("Ada Lovelace"))
        #expect(html.contains("Saved."))
        #expect(html.contains("There are no units yet."))
        #expect(!html.contains("Add a unit"))
    }

    @Test("a form shows each error beside its field, linked from the summary, with the value kept and escaped")
    func formErrors() {
        let state = FormState(
            values: ["name": #"St "Mary's" <Ward>"#], errors: [FieldError(field: "name", message: "Too long.")])
        let html = UnitForm.View(
            context: context, model: .init(unitID: nil, unitName: nil, form: state, parentOptions: [])
        ).render()
        #expect(html.contains(##"<a href="#field-name">Too long.</a>"##))
        #expect(html.contains(#"id="field-name-error""#))
        #expect(html.contains(#"aria-invalid="true""#))
        #expect(html.contains(#"value="St &quot;Mary&#39;s&quot; &lt;Ward&gt;""#))
    }

    @Test("the upload form's example is a file that would import: denominators where the chart needs them")
    func uploadExample() {
        let html = DataUploadPage.FormView(
            context: context,
            model: .init(
                unitID: UUID(), unitPath: "Trust",
                examples: [
                    .init(key: "willow.falls", usesDenominator: true),
                    .init(key: "willow.restraints", usesDenominator: false),
                ],
                keyedMeasures: 2, form: FormState())
        ).render()
        #expect(
            html.contains(
                "willow.falls,2026-03-02,4,140\nwillow.falls,2026-03-09,2,152\nwillow.restraints,2026-03-02,4,\nwillow.restraints,2026-03-09,2,\n"
            ))
    }

    @Test("text is escaped wherever it is shown, in one pass, and what was typed shows as typed")
    func textEscaping() {
        let typed = #"<script>alert("x")</script> Falls & "near misses" &amp; more"#
        let html = ErrorPage.View(context: context, model: .init(status: 400, title: "Bad", message: typed)).render()
        #expect(
            html.contains(#"<p>&lt;script&gt;alert("x")&lt;/script&gt; Falls &amp; "near misses" &amp;amp; more</p>"#))
        #expect(!html.contains("<script>alert"))
        #expect("Plain words, nothing to escape".htmlEscaped == "Plain words, nothing to escape")
        #expect("ünïcode & “quotes”".htmlEscaped == "ünïcode &amp; “quotes”")
    }

    @Test("a person page shows a one-time password only when there is one")
    func personPage() {
        var model = PersonShow.Model(
            id: UUID(), fullName: "Tendai Moyo", contact: nil, kind: .serviceUser, unitID: nil, unitPath: nil,
            jobTitle: nil,
            isArchived: false, grants: [], canEdit: false, grantableUnits: [], canIssueSignIn: false,
            grantForm: FormState(), oneTimePassword: nil
        )
        #expect(!PersonShow.View(context: context, model: model).render().contains("One-time password"))
        model.oneTimePassword = "abcd-efgh-jkmn-pqrs"
        let html = PersonShow.View(context: context, model: model).render()
        #expect(html.contains("abcd-efgh-jkmn-pqrs"))
        #expect(html.contains("Service user"))
        #expect(!html.contains("Grant a role"))
    }
}
