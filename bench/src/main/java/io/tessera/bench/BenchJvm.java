package io.tessera.bench;

import java.util.List;

/**
 * The JVM flags every JMH fork gets, as compile-time constants for {@code @Fork(jvmArgsAppend)}.
 *
 * <p>The Chronicle flags are a copy of the root pom's {@code ${tessera.jvm.flags}} (annotations need
 * constants, Maven properties are not); {@code BenchJvmTest} fails the build when the two drift apart.
 * Heaps are pre-sized ({@code -Xms} = {@code -Xmx}): first touch of new memory runs at only ~0.3 GB/s
 * on this machine, so a growing heap would show up in the numbers.
 *
 * <p>Pitfall: JMH's command-line {@code -jvmArgsAppend} replaces these instead of adding to them.
 * Add flags with {@code -jvmArgsPrepend}.
 */
public final class BenchJvm {
    public static final String IGNORE_UNRECOGNIZED = "-XX:+IgnoreUnrecognizedVMOptions";
    public static final String OPEN_REFLECT = "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED";
    public static final String OPEN_LANG = "--add-opens=java.base/java.lang=ALL-UNNAMED";
    public static final String OPEN_NIO = "--add-opens=java.base/java.nio=ALL-UNNAMED";
    public static final String EXPORT_NIO_CH = "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED";
    public static final String EXPORT_REF = "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED";
    public static final String EXPORT_MISC = "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED";
    public static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    public static final String UNSAFE_MEMORY = "--sun-misc-unsafe-memory-access=allow";

    public static final String HEAP_MIN = "-Xms1g";
    public static final String HEAP_MAX = "-Xmx1g";

    /** The root pom's {@code tessera.jvm.flags}, in order. */
    public static final List<String> TESSERA_FLAGS = List.of(IGNORE_UNRECOGNIZED, OPEN_REFLECT, OPEN_LANG, OPEN_NIO,
            EXPORT_NIO_CH, EXPORT_REF, EXPORT_MISC, NATIVE_ACCESS, UNSAFE_MEMORY);

    private BenchJvm() {
    }
}
