package io.hostdev.exporters.libvirt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;

import org.xml.sax.InputSource;
import org.w3c.dom.Element;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class XmlWriterTest {

    @Test
    void nestsByTwoSpacesWithSingleQuotedAttributesInTheGivenOrder() {
        String xml = new XmlWriter().open("device").text("name", "computer")
                .empty("link", "validity", "cap", "speed", "8", "width", "16")
                .textOrEmpty("product", null, "id", "0x0d57")
                .textOrEmpty("vendor", "Intel", "id", "0x8086")
                .close("device").toString();
        assertThat(xml).isEqualTo("""
                <device>
                  <name>computer</name>
                  <link validity='cap' speed='8' width='16'/>
                  <product id='0x0d57'/>
                  <vendor id='0x8086'>Intel</vendor>
                </device>
                """);
    }

    @Test
    void nullTextOmitsTheElementAndNullValuesOmitTheAttribute() {
        String xml = new XmlWriter().text("serial", (String) null).text("size", (Number) null)
                .empty("link", "speed", null, "state", "up").toString();
        assertThat(xml).isEqualTo("<link state='up'/>\n");
    }

    @Test
    void anElementClosedWithNothingInItIsEmpty() {
        assertThat(new XmlWriter().open("a", "x", "1").open("b").close("b").close("a").toString())
                .isEqualTo("<a x='1'>\n  <b/>\n</a>\n");
    }

    @Test
    void startsAtTheGivenDepth() {
        assertThat(new XmlWriter(1).empty("x").toString()).isEqualTo("  <x/>\n");
    }

    @Test
    void attributesComeInPairs() {
        assertThatThrownBy(() -> new XmlWriter().empty("x", "lonely")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', textBlock = """
            markup            | a&b<c>'d"e         | a&amp;b&lt;c&gt;&apos;d&quot;e
            nul and escape    | a\u0000b\u001bc     | a\uFFFDb\uFFFDc
            non-characters    | \uFFFE\uFFFF        | \uFFFD\uFFFD
            lone surrogate    | x\uD800y            | x\uFFFDy
            emoji kept        | \uD83D\uDE00        | \uD83D\uDE00
            """)
    void escapesMarkupAndReplacesWhatXmlCannotCarry(String what, String raw, String written) {
        assertThat(new XmlWriter().text("t", raw).toString()).isEqualTo("<t>" + written + "</t>\n");
    }

    @Test
    void whiteSpaceSurvivesAParserInTextAndAttributes() throws Exception {
        String raw = "a\tb\nc\rd";
        String xml = new XmlWriter().text("t", raw, "a", raw).toString();
        Element e = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(xml))).getDocumentElement();
        assertThat(e.getTextContent()).isEqualTo(raw);
        assertThat(e.getAttribute("a")).isEqualTo(raw);
    }

    @Test
    void arbitraryTextAlwaysGivesWellFormedXml() throws Exception {
        StringBuilder all = new StringBuilder();
        for (char c = 0; c < 0x3000; c++) {
            all.append(c);
        }
        all.append("\uD800\uDC00\uDBFF\uDFFF\uDC00\uFFFE\uFFFF");
        String xml = new XmlWriter().text("t", all.toString(), "a", all.toString()).toString();
        Element e = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new InputSource(new StringReader(xml))).getDocumentElement();
        assertThat(e.getTextContent()).hasSize(all.length());
    }
}
