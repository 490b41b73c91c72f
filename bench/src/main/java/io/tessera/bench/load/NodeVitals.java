package io.tessera.bench.load;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * Readings of a node's resources from outside its JVM: resident memory and threads from
 * {@code /proc/<pid>/status}, open file descriptors from {@code /proc/<pid>/fd}, heap and NIO direct
 * buffer memory from the node's platform MXBeans, and (when the node runs with
 * {@code -XX:NativeMemoryTracking=summary}) its native memory summary: the {@code Other} category is
 * all memory Java code allocated off the heap, NIO direct buffers and Netty's pooled buffers alike
 * (Netty allocates without cleaners, which the NIO buffer pool does not count), and what resident
 * memory holds beyond the JVM's own total is mostly RocksDB. The MXBeans are reached through the JDK
 * attach mechanism (the local management agent: no port, same user only). Linux only.
 *
 * <p>Not thread-safe: one sampling thread.
 */
final class NodeVitals implements AutoCloseable {
    private static final Pattern OTHER = Pattern.compile("-\\s+Other \\(reserved=\\d+KB, committed=(\\d+)KB");
    private static final Pattern TOTAL = Pattern.compile("Total: reserved=\\d+KB, committed=(\\d+)KB");

    private final long pid;
    private final Path dataDir;
    private final JMXConnector jmx;
    private final MemoryMXBean memory;
    private final List<BufferPoolMXBean> pools;
    private final List<GarbageCollectorMXBean> collectors;
    private final ObjectName diagnostics;

    /**
     * One reading. Memory in bytes; -1 where it could not be read.
     *
     * @param rss       resident memory
     * @param heapUsed  heap in use
     * @param heapLive  heap in use right after a full collection
     * @param offHeap   memory allocated off the heap by Java code (native memory tracking's {@code Other})
     * @param nioDirect NIO direct buffers (the {@code direct} buffer pool)
     * @param jvmTotal  everything native memory tracking sees committed (heap included)
     * @param fds       open file descriptors
     * @param threads   threads
     * @param diskBytes bytes of the files in the data directory
     * @param fullGcs   full collections so far, one of them asked for by each reading
     * @param gcMillis  milliseconds spent in collections so far
     */
    record Sample(long nanos, long rss, long heapUsed, long heapLive, long offHeap, long nioDirect, long jvmTotal,
                  int fds, int threads, long diskBytes, long fullGcs, long gcMillis) {
        /** Resident memory the JVM does not account for (RocksDB, the C library's allocator), or -1. */
        long outsideJvm() {
            return rss < 0 || jvmTotal < 0 ? -1 : rss - jvmTotal;
        }
    }

    private NodeVitals(long pid, Path dataDir, JMXConnector jmx, MemoryMXBean memory, List<BufferPoolMXBean> pools,
                       List<GarbageCollectorMXBean> collectors) throws IOException {
        this.pid = pid;
        this.dataDir = dataDir;
        this.jmx = jmx;
        this.memory = memory;
        this.pools = pools;
        this.collectors = collectors;
        try {
            this.diagnostics = new ObjectName("com.sun.management:type=DiagnosticCommand");
        } catch (MalformedObjectNameException e) {
            throw new IOException(e);
        }
    }

    /** Attaches to the JVM of {@code pid} (started by this user) and opens its management agent. */
    static NodeVitals attach(long pid, Path dataDir) throws IOException {
        String address;
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
        } catch (com.sun.tools.attach.AttachNotSupportedException e) {
            throw new IOException("cannot attach to the node's JVM (pid " + pid + ")", e);
        }
        JMXConnector jmx = JMXConnectorFactory.connect(new JMXServiceURL(address));
        MBeanServerConnection c = jmx.getMBeanServerConnection();
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(c, ManagementFactory.MEMORY_MXBEAN_NAME,
                MemoryMXBean.class);
        return new NodeVitals(pid, dataDir, jmx, memory, ManagementFactory.getPlatformMXBeans(c, BufferPoolMXBean.class),
                ManagementFactory.getPlatformMXBeans(c, GarbageCollectorMXBean.class));
    }

    /**
     * Takes a reading. {@code heapLive} is the heap in use right after a full collection that this call
     * asks the node for ({@code System.gc()}): what the node holds on to, free of garbage not yet collected.
     */
    Sample sample() throws IOException {
        long nanos = System.nanoTime();
        long heapUsed = memory.getHeapMemoryUsage().getUsed();
        memory.gc();
        long heapLive = memory.getHeapMemoryUsage().getUsed();
        long nioDirect = -1;
        for (BufferPoolMXBean p : pools) {
            if (p.getName().equals("direct")) {
                nioDirect = p.getMemoryUsed();
            }
        }
        String nmt = nativeMemorySummary();
        long offHeap = committedKb(nmt, OTHER) * 1024;
        long jvmTotal = committedKb(nmt, TOTAL) * 1024;
        Path proc = Path.of("/proc", Long.toString(pid));
        long rss = -1;
        int threads = -1;
        for (String line : Files.readAllLines(proc.resolve("status"), StandardCharsets.US_ASCII)) {
            if (line.startsWith("VmRSS:")) {
                rss = kilobytes(line) * 1024;
            } else if (line.startsWith("Threads:")) {
                threads = (int) kilobytes(line);
            }
        }
        int fds = 0;
        try (DirectoryStream<Path> s = Files.newDirectoryStream(proc.resolve("fd"))) {
            for (Path ignored : s) {
                fds++;
            }
        }
        long fullGcs = 0;
        long gcMillis = 0;
        for (GarbageCollectorMXBean gc : collectors) {
            // G1 counts full collections as "G1 Old Generation"; Serial and Parallel call theirs MarkSweep.
            if (gc.getName().contains("Old") || gc.getName().contains("MarkSweep")) {
                fullGcs += gc.getCollectionCount();
            }
            gcMillis += gc.getCollectionTime();
        }
        return new Sample(nanos, rss, heapUsed, heapLive, offHeap < 0 ? -1 : offHeap, nioDirect,
                jvmTotal < 0 ? -1 : jvmTotal, fds, threads, diskBytes(dataDir), fullGcs, gcMillis);
    }

    /** {@code VM.native_memory summary} of the node, or an empty string when tracking is off. */
    private String nativeMemorySummary() throws IOException {
        try {
            Object out = jmx.getMBeanServerConnection().invoke(diagnostics, "vmNativeMemory",
                    new Object[] {new String[] {"summary"}}, new String[] {String[].class.getName()});
            return out == null ? "" : out.toString();
        } catch (JMException e) {
            return "";
        }
    }

    /** The committed kilobytes of the summary line {@code pattern} matches, or -1. */
    static long committedKb(String summary, Pattern pattern) {
        Matcher m = pattern.matcher(summary);
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    /** The number in a {@code Name:   123 kB} line of {@code /proc/<pid>/status}. */
    private static long kilobytes(String line) {
        String[] f = line.substring(line.indexOf(':') + 1).trim().split("\\s+");
        return Long.parseLong(f[0]);
    }

    /** Bytes of all regular files under {@code dir} (0 when it does not exist). */
    static long diskBytes(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted while walking (a collected segment)
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        jmx.close();
    }
}
