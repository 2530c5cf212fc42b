import Foundation
import Plot

/// The page to add or edit a person.
enum PersonForm {
    struct Model: Sendable, Equatable {
        var personID: UUID?
        var personName: String?
        var form: FormState
        var unitOptions: [FormField.Option]
    }

    final class View: ModelPage<Model> {

        override func pageTitle() -> String {
            model.personID == nil ? "Add a person" : "Edit \(model.personName ?? "person")"
        }

        override func breadcrumbs() -> [PageContext.Link] {
            .person(model.personID, named: model.personName)
        }

        override func content() -> Node<HTML.BodyContext> {
            let (action, cancel) = SiteURL.People.form(editing: model.personID)
            return FormView(
                action: action, csrfToken: context.csrfToken, state: model.form,
                fields: [
                    FormField(name: "full_name", label: "Full name", isRequired: true, autocomplete: "off"),
                    FormField(
                        name: "kind", label: "Kind",
                        control: .select(every: PersonKind.self, none: "Choose…"),
                        hint: "Service users and carers are equal members of QI teams.", isRequired: true
                    ),
                    FormField(
                        name: "unit_id", label: "Unit",
                        control: .select([.init(value: "", label: "Choose…")] + model.unitOptions), isRequired: true
                    ),
                    FormField(
                        name: "email", label: "Email", control: .email,
                        hint: "Needed only if they will sign in to OpenQI."),
                    FormField(
                        name: "job_title", label: "Role or job title",
                        hint: "For example: Ward manager, Peer support worker."),
                    FormField(
                        name: "started_on", label: "Started in the organisation", control: .date,
                        hint: "New starters are asked to take the introductory course within three months."),
                    FormField(
                        name: "coaching_capacity", label: "Projects they can coach at once",
                        control: .number,
                        hint:
                            "For QI coaches and improvement advisors. Coaches usually give two to four hours a week to one or two teams; left empty, OpenQI assumes \(Person.usualCoachingCapacity)."
                    ),
                ],
                submitLabel: model.personID == nil ? "Add person" : "Save changes",
                cancelURL: cancel
            ).page(pageTitle())
        }
    }
}
