import Fluent
import Foundation
import Plot
import Vapor

/// The page shown when something cannot be done: what happened and what to do next.
enum ErrorPage {
    struct Model: Sendable, Equatable {
        let status: UInt
        let title: String
        let message: String
    }

    final class View: ModelPage<Model> {

        override func pageTitle() -> String { model.title }

        override func content() -> Node<HTML.BodyContext> {
            .div(
                .class("error-page"),
                .h1(.text(model.title)),
                .p(.text(model.message)),
                .p(.a(.href(SiteURL.home.relativeURL()), .text("Go to the home page")))
            )
        }
    }
}

extension ErrorPage.Model {
    init(status: HTTPResponseStatus, reason: String?) {
        self.status = status.code
        switch status {
        case .notFound:
            title = "Page not found"
            message =
                reason.flatMap { $0 == status.reasonPhrase ? nil : $0 }
                ?? "There is nothing at this address. It may have been mistyped, or the record may have moved."
        case .payloadTooLarge:
            title = "Too large to upload"
            message = reason ?? status.reasonPhrase
        case .forbidden:
            title = "Not allowed"
            message = reason ?? "You do not have permission to do this."
        case .internalServerError:
            title = "Something went wrong"
            message =
                "OpenQI could not complete this request and nothing was saved. Try again; if it keeps happening, tell your OpenQI administrator."
        default:
            title = status.reasonPhrase
            message = reason ?? status.reasonPhrase
        }
    }
}
