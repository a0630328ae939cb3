import HavenDesk
import Testing

@Suite struct HTMLTests {
    @Test func valuesAreEscapedAndMarkupIsNot() {
        let name = "<script>alert('x')</script> & \"Ana\""
        let inner: HTML = "<b>\(name)</b>"
        let page: HTML = "<p>\(inner)</p>"
        #expect(page.raw == "<p><b>&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Ana&quot;</b></p>")
    }
}
