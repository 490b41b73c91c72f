package io.tessera.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class BenchJvmTest {
    /** The forks' flags are constants; this keeps them equal to the root pom's tessera.jvm.flags. */
    @Test
    void forkFlagsMatchTheRootPom() throws IOException {
        Properties p = new Properties();
        try (InputStream in = BenchJvm.class.getResourceAsStream("bench-jvm.properties")) {
            assertNotNull(in, "bench-jvm.properties is missing");
            p.load(in);
        }
        String flags = p.getProperty("tessera.jvm.flags").trim();
        List<String> fromPom = Arrays.asList(flags.split("\\s+"));
        assertEquals(fromPom, BenchJvm.TESSERA_FLAGS,
                "update BenchJvm (and every @Fork that lists its constants) to match tessera.jvm.flags");
    }
}
