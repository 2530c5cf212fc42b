import Foundation
import NIOHTTP1
import Testing
import Vapor
import VaporTesting

@testable import OpenQI

/// A tiny browser over the in-memory test server: keeps cookies, and puts the page's anti-forgery
/// token into every form it posts, as a real browser filling in OpenQI's forms would.
final class TestBrowser: @unchecked Sendable {
    let app: Application
    private(set) var cookies: [String: String] = [:]
    private var csrfToken: String?
    /// Headers sent with every request, such as the client address a proxy would add.
    var extraHeaders = HTTPHeaders()

    init(app: Application, headers: HTTPHeaders = [:]) {
        self.app = app
        self.extraHeaders = headers
    }

    struct Page {
        let status: HTTPStatus
        let headers: HTTPHeaders
        let body: String
        /// Where a redirect sends the browser: the path it asks for next (a fragment stays in the browser).
        var location: String? { target.map { String($0.prefix { $0 != "#" }) } }
        /// The redirect's whole target, fragment included: where the next page opens.
        var target: String? { headers.first(name: .location) }
    }

    @discardableResult
    func get(_ path: String, headers extra: HTTPHeaders = [:]) async throws -> Page {
        let page = try await send(.GET, path, headers: extra, body: nil)
        if let token = Self.metaCSRF(in: page.body) { csrfToken = token }
        return page
    }

    /// Posts a form. The anti-forgery token is added unless `csrf` is given explicitly (nil leaves it out).
    @discardableResult
    func post(_ path: String, form: [String: String] = [:], csrf: String?? = .none) async throws -> Page {
        try await post(path, fields: form.map { ($0.key, $0.value) }, csrf: csrf)
    }

    /// Posts fields in order, a name repeated as often as it is given: ticked checkboxes, grid rows.
    @discardableResult
    func post(_ path: String, fields: [(String, String)], csrf: String?? = .none) async throws -> Page {
        var fields = fields
        let token: String? =
            switch csrf {
            case .none: try await currentToken()
            case .some(let explicit): explicit
            }
        if let token { fields.append((CSRFMiddleware.formField, token)) }
        var headers = HTTPHeaders()
        headers.contentType = .urlEncodedForm
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        return try await send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    /// Sends JSON to the API with the session's token in the header, as a script in a page would.
    @discardableResult
    func json(_ method: HTTPMethod, _ path: String, _ body: [String: String]? = nil, csrf: Bool = true) async throws
        -> Page
    {
        var headers = HTTPHeaders()
        if let body {
            headers.contentType = .json
            if csrf, let token = try await currentToken() { headers.add(name: CSRFMiddleware.header, value: token) }
            return try await send(
                method, path, headers: headers, body: ByteBuffer(data: try JSONEncoder().encode(body)))
        }
        return try await send(method, path, headers: headers, body: nil)
    }

    /// Sends any JSON body (arrays, numbers) to the API, with the session's token in the header.
    @discardableResult
    func json(_ method: HTTPMethod, _ path: String, encoding body: some Encodable) async throws -> Page {
        var headers = HTTPHeaders()
        headers.contentType = .json
        if let token = try await currentToken() { headers.add(name: CSRFMiddleware.header, value: token) }
        return try await send(method, path, headers: headers, body: ByteBuffer(data: try JSONEncoder().encode(body)))
    }

    /// Uploads a file as a browser's file input does (multipart form data), with the page's token.
    @discardableResult
    func upload(_ path: String, filename: String, content: String, fields: [String: String] = [:]) async throws
        -> Page
    {
        let boundary = "openqi-test-\(UUID().uuidString)"
        var fields = fields
        if let token = try await currentToken() { fields[CSRFMiddleware.formField] = token }
        var body = ""
        for (name, value) in fields {
            body += "--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"\r\n\r\n\(value)\r\n"
        }
        body +=
            "--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"\(filename)\"\r\n"
            + "Content-Type: text/csv\r\n\r\n\(content)\r\n--\(boundary)--\r\n"
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return try await send(.POST, path, headers: headers, body: ByteBuffer(string: body))
    }

    /// Sends a request as a program would, with only the headers given (and this browser's cookies).
    @discardableResult
    func request(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: String) async throws -> Page {
        try await send(method, path, headers: headers, body: ByteBuffer(string: body))
    }

    func signIn(_ email: String, password: String = Fixtures.password) async throws -> Page {
        try await get("/sign-in")
        let page = try await post("/sign-in", form: ["email": email, "password": password])
        csrfToken = nil
        return page
    }

    /// The anti-forgery token a page of this browser carries, fetching one if need be.
    func currentToken() async throws -> String? {
        if let csrfToken { return csrfToken }
        if cookies[AccountSession.cookieName] != nil {
            try await get("/account/password")
            return csrfToken
        }
        if cookies[CSRFMiddleware.anonymousCookie] == nil { try await get("/sign-in") }
        return cookies[CSRFMiddleware.anonymousCookie]
    }

    private func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: ByteBuffer?) async throws
        -> Page
    {
        var headers = headers
        for (name, value) in extraHeaders { headers.replaceOrAdd(name: name, value: value) }
        if !cookies.isEmpty {
            headers.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; "))
        }
        let request = TestingHTTPRequest(
            method: method, url: URI(path: path), headers: headers, body: body ?? ByteBuffer())
        let response = try await app.testing().performTest(request: request)
        for header in response.headers[.setCookie] {
            guard let (name, value) = Self.cookie(setBy: header) else { continue }
            cookies[name] = value
        }
        return Page(status: response.status, headers: response.headers, body: response.body.string)
    }

    /// The cookie a `Set-Cookie` header sets, its value nil when the header removes it. Only the
    /// attributes say so: a random token may itself hold "1970", and reading it there once dropped
    /// a session a test had just signed in with.
    static func cookie(setBy header: String) -> (name: String, value: String?)? {
        let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
        guard let first = parts.first else { return nil }
        let pair = first.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard pair.count == 2 else { return nil }
        let removed = parts.dropFirst().contains { attribute in
            let lowered = attribute.lowercased()
            return lowered == "max-age=0" || (lowered.hasPrefix("expires=") && lowered.contains("1970"))
        }
        return (pair[0], removed ? nil : pair[1])
    }

    static func metaCSRF(in html: String) -> String? {
        guard let range = html.range(of: #"<meta name="csrf-token" content=""#) else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]) }.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The value of the hidden field `name` in a page's form, such as the version an edit began from.
    /// An API edit: the fields as strings, with the version it began from as a number.
    struct VersionedEdit: Encodable {
        let fields: [String: String]
        let version: Int
        var priority_ids: [String]? = nil

        func encode(to encoder: any Encoder) throws {
            try fields.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(version, forKey: .version)
            try container.encodeIfPresent(priority_ids, forKey: .priority_ids)
        }

        enum CodingKeys: String, CodingKey { case version, priority_ids }
    }

    /// Posts an edit form as its page would: with the version the edit page at `editPath` carries
    /// now (1 for someone who may not open it).
    func post(_ path: String, editing editPath: String, form: [String: String]) async throws -> Page {
        let page = try await get(editPath)
        let version = page.body.contains(#"name="version""#) ? try Self.hiddenValue("version", in: page) : "1"
        return try await post(path, form: form.merging(["version": version]) { $1 })
    }

    /// PUTs `fields` to an API record as a program would: from the version a GET of it gives now.
    func put(_ path: String, fields: [String: String]) async throws -> Page {
        let current = try await json(.GET, path)
        let object = try? JSONSerialization.jsonObject(with: Data(current.body.utf8)) as? [String: Any]
        return try await json(
            .PUT, path, encoding: VersionedEdit(fields: fields, version: object?["version"] as? Int ?? 1))
    }

    static func hiddenValue(_ name: String, in page: Page) throws -> String {
        let prefix = #"<input type="hidden" name=""# + name + #"" value=""#
        let range = try #require(page.body.range(of: prefix), "no hidden field \(name)")
        let rest = page.body[range.upperBound...]
        return String(rest[..<(rest.firstIndex(of: "\"") ?? rest.endIndex)])
    }

    static func encode(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}
