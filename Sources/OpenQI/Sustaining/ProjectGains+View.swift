import Foundation
import Plot

extension ProjectGains {
    /// The project page's section on sustaining the gains, with the form to say what is being done
    /// for those who may (`Policy.sustainGains`). Nothing for a project with nothing to show.
    func section(projectID: UUID, canAnswer: Bool, csrfToken: String) -> Node<HTML.BodyContext> {
        guard !isEmpty else { return .empty }
        return .section(
            .id("gains"),
            .h2(.text("Sustaining the gains")),
            slipping.isEmpty
                ? .p(.text("No outcome measure shows a new signal of concern since the last answer."))
                : .group(
                    .div(
                        .class("gains-slipping"), .attribute(named: "role", value: "note"),
                        .p(
                            .strong(.text("Gains slipping. ")),
                            .text(
                                "Since the project closed, \(slipping.count == 1 ? "this outcome measure shows" : "these outcome measures show") a special cause of concern. It stays on the forum’s agenda until someone records what is being done."
                            ))),
                    .ul(
                        .forEach(slipping) { signal in
                            .li(
                                .a(
                                    .href(SiteURL.measures(.show(.value(signal.measureID))).relativeURL()),
                                    .text(signal.measureName)),
                                .text(": \(signal.described)"))
                        }),
                    .if(canAnswer, answerForm(projectID: projectID, csrfToken: csrfToken))),
            .if(
                !answers.isEmpty,
                .group(
                    .h3(.text("What is being done")),
                    .ol(
                        .class("comments"),
                        .forEach(answers) { answer in
                            .li(
                                .p(
                                    .class("hint"),
                                    .text(
                                        "\(answer.measureName), signal from \(answer.signalFrom.label) · \(answer.recordedBy) · \(CalendarDay.moment(answer.recordedAt))"
                                    )),
                                .p(.text(answer.action)))
                        })))
        )
    }

    private func answerForm(projectID: UUID, csrfToken: String) -> Node<HTML.BodyContext> {
        var state = form
        if state["signal"].isEmpty, let first = slipping.first { state.values["signal"] = first.choice }
        return FormView(
            action: SiteURL.projects(.answerSlippingGains(.value(projectID))).relativeURL(), csrfToken: csrfToken,
            state: state,
            fields: [
                FormField(
                    name: "signal", label: "Which measure",
                    control: .select(
                        slipping.map { .init(value: $0.choice, label: "\($0.measureName): \($0.described)") }),
                    isRequired: true),
                FormField(
                    name: "action", label: "What is being done", control: .textarea(rows: 4),
                    hint: "Who is doing what, and by when: the forum reads this.", isRequired: true),
            ],
            submitLabel: "Record what is being done", anchor: "answer-gains"
        ).node
    }
}
