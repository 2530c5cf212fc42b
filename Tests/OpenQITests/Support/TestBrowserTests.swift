import Testing

/// The test browser keeps cookies as a browser would; a test that signs in relies on it.
@Suite("The test browser's cookies")
struct TestBrowserTests {
    @Test("a cookie is removed only by its attributes, never because its value looks like a date")
    func removalReadsAttributesOnly() {
        let token = "a1970bXyZ_-q"
        #expect(TestBrowser.cookie(setBy: "openqi-session=\(token); Path=/; HttpOnly; SameSite=Lax")?.value == token)
        #expect(TestBrowser.cookie(setBy: "openqi-session=Max-Age=0x; Path=/")?.value == "Max-Age=0x")
        #expect(TestBrowser.cookie(setBy: "openqi-session=; Max-Age=0; Path=/").map { $0.value == nil } == true)
        #expect(
            TestBrowser.cookie(setBy: "openqi-session=; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/")
                .map { $0.value == nil } == true)
        #expect(TestBrowser.cookie(setBy: "no pair here") == nil)
    }
}
