package io.tessera.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HeaderValuesTest {
    static String wire(byte[] bytes) {
        return new String(bytes, StandardCharsets.ISO_8859_1);
    }

    @Test
    void utf8BytesAreText() {
        String text = "caf\u00e9 \u2713 \uD83D\uDE80";
        String wire = wire(text.getBytes(StandardCharsets.UTF_8));
        assertThat(HeaderValues.fromWire(wire)).isEqualTo(text);
        assertThat(HeaderValues.toWire(text)).isEqualTo(wire);
        assertThat(HeaderValues.fromWire("plain ascii")).isSameAs("plain ascii").isEqualTo(HeaderValues.toWire("plain ascii"));
    }

    @Test
    void bytesThatAreNotUtf8AreReadAsIso88591() {
        assertThat(HeaderValues.fromWire(wire(new byte[] {'c', 'a', 'f', (byte) 0xE9}))).isEqualTo("caf\u00e9");
        assertThat(HeaderValues.fromWire(wire(new byte[] {(byte) 0xC3}))).isEqualTo("\u00c3");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "text/plain", "a\tb", "attachment; filename=\"r\u00e9sum\u00e9.pdf\"", "\u65e5"})
    void valuesAHeaderMayCarry(String v) {
        assertThat(HeaderValues.isValid(v)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\ntext", "a\r\nb", "\u0000", "a\u0000b", " leading", "trailing ", "\tx", "x\t",
        "bell\u0007", "del\u007f", " "})
    void valuesNoHeaderMayCarry(String v) {
        assertThat(HeaderValues.isValid(v)).isFalse();
    }
}
