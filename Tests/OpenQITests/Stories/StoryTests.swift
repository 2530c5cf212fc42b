import Fluent
import Foundation
import Testing
import Vapor

@testable import OpenQI

@Suite("Stories")
struct StoryTests {
    @Test("Markdown renders; raw HTML, script links and attribute break-outs do not survive")
    func safeMarkdown() {
        let html = StoryMarkdown.html(
            """
            ## What we learned
            **Small tests** beat big plans. <script>alert(1)</script>

            <img src=x onerror=alert(2)>

            [a trick](javascript:alert(3)) and [breakout](https://example.org/"onmouseover="alert(4))

            Read more from [ELFT](https://qi.elft.nhs.uk). Code: `a < b`
            """, charts: [:])
        #expect(html.contains("<h2>What we learned</h2>"))
        #expect(html.contains("<strong>Small tests</strong>"))
        #expect(!html.contains("<script"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
        #expect(!html.contains("<img src=x"))
        #expect(!html.contains("href=\"javascript:"))
        // The would-be breakout stays text: no link is made of it, so no attribute holds it.
        #expect(!html.contains("href=\"https://example.org/"))
        #expect(!html.contains("<a href=\"https://example.org/\"onmouseover"))
        #expect(html.contains("<a href=\"https://qi.elft.nhs.uk\">ELFT</a>"), "a stray tag does not swallow the rest")
        #expect(html.contains("<code>a &lt; b</code>"))
    }

    @Test("a code fence's language cannot break out of its class attribute; a plain one is kept")
    func codeFenceLanguage() {
        let hostile = StoryMarkdown.html(
            """
            ```x" onmouseover="alert(5)" data-x="
            let a = 1
            ```
            """, charts: [:])
        #expect(!hostile.contains("onmouseover=\""), "\(hostile)")
        #expect(hostile.contains("<pre><code>let a = 1"), "\(hostile)")

        let plain = StoryMarkdown.html("```swift\nlet a = 1\n```", charts: [:])
        #expect(plain.contains("<pre><code class=\"language-swift\">let a = 1"), "\(plain)")
        let bare = StoryMarkdown.html("```\nif a < b {}\n```", charts: [:])
        #expect(bare.contains("<pre><code>if a &lt; b {}"), "\(bare)")
    }

    @Test("brackets and ampersands by the thousand render as text; links around them still work")
    func pathologicalMarkdown() {
        // Before, 5,000 "[" overflowed Ink's stack and ended the server; 30 took minutes; a long
        // run of "&x" took time growing with the square of its length.
        let brackets = StoryMarkdown.html(String(repeating: "[", count: 5_000), charts: [:])
        #expect(brackets.filter { $0 == "[" }.count == 5_000)
        let ampersands = StoryMarkdown.html(String(repeating: "&x", count: 25_000), charts: [:])
        #expect(ampersands.components(separatedBy: "&amp;x").count - 1 == 25_000)
        #expect(!ampersands.contains("&x"))
        let mixed = StoryMarkdown.html(
            "[[ AT&T [saw](https://example.org/?a=1&b=2) & ![chart](https://example.org/c.png) [", charts: [:])
        #expect(mixed.contains(#"<a href="https://example.org/?a=1&amp;b=2">saw</a>"#))
        #expect(mixed.contains(#"<img src="https://example.org/c.png" alt="chart">"#))
        #expect(mixed.contains("[[ AT&amp;T ") && mixed.contains("&amp; ") && mixed.hasSuffix("[</p>"))
        #expect(StoryMarkdown.html("&copy; &#60;b&#62;", charts: [:]) == "<p>&amp;copy; &amp;#60;b&amp;#62;</p>")
    }

    @Test("a chart line embeds the measure's SVG; an unknown one says so")
    func chartEmbeds() {
        let id = UUID()
        let markdown = "Before\n\n![Falls per week](chart:\(id.uuidString))\n\n![Gone](chart:\(UUID().uuidString))"
        #expect(StoryMarkdown.chartIDs(in: markdown).first == id)
        #expect(StoryMarkdown.chartIDs(in: markdown).count == 2)
        let html = StoryMarkdown.html(markdown, charts: [id: "<svg id=\"x\"></svg>"])
        #expect(
            html.contains(
                #"<span class="story-chart" tabindex="0" role="figure" aria-label="Falls per week"><svg id="x">"#))
        #expect(html.contains("[There is no chart “Gone” to show.]"))
    }

    @Test("a team writes a story with a live chart and marks it publishable; mistakes keep what was typed")
    func writeAndPublish() async throws {
        try await withOpenQI { app in
            let browser = TestBrowser(app: app)
            let (path, _, measure, _) = try await PDSACycleTests.readyToTest(app, browser)
            let form = try await browser.get(path + "/stories/new")
            let embed = "![Falls per week](chart:\(measure.id!.uuidString))"
            #expect(form.body.contains(embed))

            let blank = try await browser.post(path + "/stories", fields: [("title", ""), ("body", "We did it")])
            #expect(blank.status == .unprocessableEntity)
            #expect(blank.body.contains("Enter a title."))
            #expect(blank.body.contains("We did it"))

            let saved = try await browser.post(
                path + "/stories",
                fields: [("title", "Nights got safer"), ("body", "## How\n\nThe huddle.\n\n\(embed)")])
            let storyPath = try #require(saved.location)
            let story = try await browser.get(storyPath)
            #expect(story.body.contains("<h2>How</h2>"))
            #expect(story.body.contains("class=\"story-chart\""))
            #expect(story.body.contains("<svg"))
            #expect(story.body.contains(">Internal<"))

            _ = try await browser.post(
                storyPath,
                fields: [
                    ("title", "Nights got safer"), ("body", "The huddle."), ("publishable[]", "yes"), ("version", "1"),
                ])
            #expect(try await Story.query(on: app.db).first()?.isPublishable == true)
            #expect(try await browser.get(storyPath).body.contains(">Publishable<"))
            #expect(try await browser.get(path).body.contains("Nights got safer"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$subjectKind == "story").count() == 2)
        }
    }
}
