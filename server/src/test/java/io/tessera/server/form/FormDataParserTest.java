package io.tessera.server.form;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

class FormDataParserTest {
    private static final String BOUNDARY = "----WebKitFormBoundaryX3b";

    /** A part as the listener saw it. */
    record Part(Map<String, String> headers, byte[] content) {
    }

    /** Collects parts, checking the listener's call order. */
    static final class Collector implements FormDataParser.Listener {
        final List<Part> parts = new ArrayList<>();
        Map<String, String> headers;
        ByteArrayOutputStream content;

        @Override
        public void partStarted(Map<String, String> h) {
            assertThat(headers).as("a part starts only after the previous one ended").isNull();
            headers = h;
            content = new ByteArrayOutputStream();
        }

        @Override
        public void partData(ByteBuffer data) {
            assertThat(headers).isNotNull();
            byte[] b = new byte[data.remaining()];
            data.get(b);
            content.writeBytes(b);
        }

        @Override
        public void partEnded() {
            parts.add(new Part(headers, content.toByteArray()));
            headers = null;
        }
    }

    static byte[] form(String boundary, List<String> names, List<byte[]> contents, String preamble, String epilogue) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(preamble.getBytes(StandardCharsets.ISO_8859_1));
        for (int i = 0; i < names.size(); i++) {
            b.writeBytes(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + names.get(i) + "\"\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            b.writeBytes(contents.get(i));
            b.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
        }
        b.writeBytes(("--" + boundary + "--" + epilogue).getBytes(StandardCharsets.ISO_8859_1));
        return b.toByteArray();
    }

    static Collector parse(String boundary, byte[] body, Random splits, int maxPiece) {
        Collector c = new Collector();
        FormDataParser p = new FormDataParser(boundary, c);
        int pos = 0;
        while (pos < body.length) {
            int n = Math.min(body.length - pos, 1 + splits.nextInt(maxPiece));
            ByteBuffer piece = ByteBuffer.allocate(n + 10).position(5);
            piece.put(body, pos, n).flip().position(5); // a buffer whose position is not 0
            p.feed(piece);
            assertThat(piece.hasRemaining()).isFalse();
            pos += n;
        }
        p.end();
        assertThat(p.finished()).isTrue();
        return c;
    }

    /** Content full of things that look like the delimiter but are not (a form's boundary never occurs in it). */
    static byte[] tricky(Random r, int n) {
        while (true) {
            byte[] b = noisy(r, n);
            if (!new String(b, StandardCharsets.ISO_8859_1).contains("\r\n--" + BOUNDARY)) {
                return b;
            }
        }
    }

    private static byte[] noisy(Random r, int n) {
        String[] noise = {"\r", "\n", "\r\n", "\r\n-", "\r\n--", "\r\n--" + BOUNDARY.substring(0, 10), "--" + BOUNDARY,
            "\r\n--" + BOUNDARY.substring(0, BOUNDARY.length() - 1) + "Y", "\r\r\n--"};
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (b.size() < n) {
            if (r.nextInt(4) == 0) {
                b.writeBytes(noise[r.nextInt(noise.length)].getBytes(StandardCharsets.ISO_8859_1));
            } else {
                byte[] x = new byte[1 + r.nextInt(20)];
                r.nextBytes(x);
                b.writeBytes(x);
            }
        }
        return b.toByteArray();
    }

    @Property(tries = 300)
    void partsSurviveAnySplitOfTheBody(@ForAll long seed, @ForAll @IntRange(min = 1, max = 200) int maxPiece,
                                       @ForAll @IntRange(min = 0, max = 5) int fields) {
        Random r = new Random(seed);
        List<String> names = new ArrayList<>();
        List<byte[]> contents = new ArrayList<>();
        for (int i = 0; i < fields; i++) {
            names.add("field" + i);
            contents.add(tricky(r, r.nextInt(100)));
        }
        names.add("file");
        contents.add(tricky(r, r.nextInt(3000)));
        byte[] body = form(BOUNDARY, names, contents, r.nextBoolean() ? "" : "preamble\r\n", r.nextBoolean() ? ""
                : "\r\nepilogue --" + BOUNDARY + "\r\n");

        Collector c = parse(BOUNDARY, body, r, maxPiece);

        assertThat(c.parts).hasSize(names.size());
        for (int i = 0; i < names.size(); i++) {
            assertThat(c.parts.get(i).headers().get("content-disposition"))
                    .isEqualTo("form-data; name=\"" + names.get(i) + "\"");
            assertThat(c.parts.get(i).content()).as("part %d", i).isEqualTo(contents.get(i));
        }
    }

    @Test
    void headersAreParsedWithLowerCaseNames() {
        byte[] body = ("--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".txt\"\r\n"
                + "Content-Type: text/plain\r\n\r\nhello\r\n--b--\r\n").getBytes(StandardCharsets.UTF_8);
        Collector c = parse("b", body, new Random(1), 1000);
        assertThat(c.parts).hasSize(1);
        Map<String, String> h = c.parts.get(0).headers();
        assertThat(h).containsEntry("content-type", "text/plain");
        Map<String, String> params = FormDataParser.parameters(
                h.get("content-disposition").substring("form-data".length()));
        assertThat(params).containsEntry("name", "file").containsEntry("filename", "a \"b\".txt");
        assertThat(new String(c.parts.get(0).content(), StandardCharsets.UTF_8)).isEqualTo("hello");
    }

    @Test
    void boundaryComesFromTheContentType() {
        assertThat(FormDataParser.boundaryOf("multipart/form-data; boundary=----abc")).isEqualTo("----abc");
        assertThat(FormDataParser.boundaryOf("Multipart/Form-Data;boundary=\"q b\"")).isEqualTo("q b");
        assertThat(FormDataParser.boundaryOf("multipart/mixed; boundary=x")).isNull();
        assertThat(FormDataParser.boundaryOf("application/x-www-form-urlencoded")).isNull();
        assertThat(FormDataParser.boundaryOf("multipart/form-data")).isNull();
        assertThat(FormDataParser.boundaryOf(null)).isNull();
    }

    @Test
    void aBodyWithoutItsClosingBoundaryIsMalformed() {
        byte[] body = "--b\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nvalue".getBytes(StandardCharsets.UTF_8);
        FormDataParser p = new FormDataParser("b", new Collector());
        p.feed(ByteBuffer.wrap(body));
        assertThat(p.finished()).isFalse();
        assertThatThrownBy(p::end).isInstanceOf(FormDataParser.MalformedException.class);
    }

    @Test
    void garbageAfterADelimiterIsMalformed() {
        byte[] body = "--b\r\nx: y\r\n\r\nv\r\n--bXX".getBytes(StandardCharsets.UTF_8);
        FormDataParser p = new FormDataParser("b", new Collector());
        assertThatThrownBy(() -> p.feed(ByteBuffer.wrap(body))).isInstanceOf(FormDataParser.MalformedException.class);
    }

    @Test
    void oversizedPartHeadsAreRefused() {
        String big = "x-pad: " + "a".repeat(FormDataParser.MAX_HEAD_BYTES) + "\r\n\r\n";
        byte[] body = ("--b\r\n" + big).getBytes(StandardCharsets.UTF_8);
        FormDataParser p = new FormDataParser("b", new Collector());
        assertThatThrownBy(() -> p.feed(ByteBuffer.wrap(body))).isInstanceOf(FormDataParser.MalformedException.class);
    }

    @Test
    void contentIsHandedOnWithoutBeingGathered() {
        // a 1 MiB file fed in 64 KiB pieces: the listener sees it while it streams, not at the end
        byte[] file = new byte[1 << 20];
        new Random(7).nextBytes(file);
        byte[] body = form("b", List.of("file"), List.of(file), "", "");
        List<Integer> seenAfterPiece = new ArrayList<>();
        long[] total = {0};
        FormDataParser p = new FormDataParser("b", new FormDataParser.Listener() {
            @Override
            public void partStarted(Map<String, String> headers) {
            }

            @Override
            public void partData(ByteBuffer data) {
                total[0] += data.remaining();
                data.position(data.limit());
            }

            @Override
            public void partEnded() {
            }
        });
        for (int pos = 0; pos < body.length; pos += 65536) {
            p.feed(ByteBuffer.wrap(body, pos, Math.min(65536, body.length - pos)));
            seenAfterPiece.add((int) total[0]);
        }
        p.end();
        assertThat(total[0]).isEqualTo(file.length);
        // after each piece, all but a delimiter's length of what arrived has been handed on
        for (int i = 0; i < seenAfterPiece.size() - 1; i++) {
            long arrived = (long) (i + 1) * 65536;
            assertThat(arrived - seenAfterPiece.get(i)).isLessThan(200);
        }
    }
}
