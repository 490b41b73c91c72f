package io.tessera.server.jepsen;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tessera.server.jepsen.Operation.Outcome;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@link HistoryRecorder} from real threads: a store whose operations are atomic gives a history the
 * checker accepts, whatever the interleaving and with unknown and failed outcomes mixed in, and a store
 * that answers stale values gives one it rejects.
 */
class HistoryRecorderTest {
    private static final int THREADS = 8;
    private static final int OPS_PER_THREAD = 1500;

    @Test
    void threadsOnAnAtomicStoreRecordALinearizableHistory() throws Exception {
        HistoryRecorder recorder = new HistoryRecorder();
        ConcurrentHashMap<String, String> store = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            List<Future<?>> clients = new ArrayList<>();
            for (int c = 0; c < THREADS; c++) {
                int client = c;
                clients.add(pool.submit(() -> runClient(client, recorder, store)));
            }
            for (Future<?> f : clients) {
                f.get(60, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        History h = recorder.history();
        assertThat(h.size()).isEqualTo(THREADS * OPS_PER_THREAD);
        assertThat(h.count(Outcome.UNKNOWN)).isPositive();
        assertThat(h.count(Outcome.FAIL)).isPositive();
        assertEachClientRanOneOperationAtATime(h);

        CheckResult r = new LinearizabilityChecker().check(h);
        assertThat(r.linearizable()).as("%s", r).isTrue();
        assertThat(r.verdicts()).hasSize(4);
    }

    /** Random operations; an unknown outcome sometimes took effect and sometimes not, as with a timeout. */
    private static void runClient(int client, HistoryRecorder recorder, ConcurrentHashMap<String, String> store) {
        Random rnd = new Random(client);
        for (int i = 0; i < OPS_PER_THREAD; i++) {
            String key = "k" + rnd.nextInt(4);
            int kind = rnd.nextInt(10);
            int fate = rnd.nextInt(100);
            if (kind < 4) {
                String value = "c" + client + "-" + i;
                HistoryRecorder.Pending p = recorder.invokeWrite(client, key, value);
                if (fate < 2) {
                    p.fail();
                } else {
                    store.put(key, value);
                    if (fate < 5) {
                        p.unknown();
                    } else {
                        p.ok();
                    }
                }
            } else if (kind < 5) {
                HistoryRecorder.Pending p = recorder.invokeDelete(client, key);
                store.remove(key);
                p.ok();
            } else {
                HistoryRecorder.Pending p = recorder.invokeRead(client, key);
                String seen = store.get(key);
                if (fate < 3) {
                    p.unknown();
                } else {
                    p.ok(seen);
                }
            }
        }
    }

    private static void assertEachClientRanOneOperationAtATime(History h) {
        Map<Integer, List<Operation>> byClient = new HashMap<>();
        h.operations().forEach(o -> byClient.computeIfAbsent(o.client(), c -> new ArrayList<>()).add(o));
        assertThat(byClient).hasSize(THREADS);
        for (List<Operation> ops : byClient.values()) {
            ops.sort(Comparator.comparingLong(Operation::id));
            for (int i = 1; i < ops.size(); i++) {
                assertThat(ops.get(i).invokedNanos()).isGreaterThanOrEqualTo(ops.get(i - 1).completedNanos());
            }
        }
    }

    @Test
    void aStoreThatAnswersStaleValuesIsCaught() {
        HistoryRecorder recorder = new HistoryRecorder();
        Map<String, String> firstWritten = new HashMap<>(); // the broken store: reads answer the first write
        for (String value : List.of("v1", "v2")) {
            HistoryRecorder.Pending w = recorder.invokeWrite(1, "k", value);
            firstWritten.putIfAbsent("k", value);
            w.ok();
        }
        HistoryRecorder.Pending r = recorder.invokeRead(2, "k");
        r.ok(firstWritten.get("k"));

        CheckResult result = new LinearizabilityChecker().check(recorder.history());
        assertThat(result.violations()).extracting(KeyVerdict::key).containsExactly("k");
        assertThat(result.report()).contains("#2 c2 read -> \"v1\" ok");
    }

    @Test
    void anOperationNeverCompletedIsUnknownAndNoneCompletesTwice() {
        long[] now = {100};
        HistoryRecorder recorder = new HistoryRecorder(() -> now[0]++);
        HistoryRecorder.Pending lost = recorder.invokeWrite(1, "k", "v1");
        HistoryRecorder.Pending read = recorder.invokeRead(2, "k");
        read.ok("v1");

        History h = recorder.history();
        assertThat(h.operations()).extracting(Operation::outcome).containsExactly(Outcome.UNKNOWN, Outcome.OK);
        assertThat(h.operations().get(0).invokedNanos()).isEqualTo(100);
        assertThat(h.operations().get(1)).extracting(Operation::invokedNanos, Operation::completedNanos, Operation::value)
                .containsExactly(101L, 102L, "v1");
        assertThat(new LinearizabilityChecker().check(h).linearizable()).isTrue();

        assertThatThrownBy(read::fail).isInstanceOf(IllegalStateException.class).hasMessageContaining("twice");
        lost.ok(); // a late answer still counts, in the histories taken after it
        assertThat(recorder.history().operations().get(0).outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void onlyAReadCompletesWithAValueAndAReadNeedsOne() {
        HistoryRecorder recorder = new HistoryRecorder();
        HistoryRecorder.Pending write = recorder.invokeWrite(1, "k", "v");
        HistoryRecorder.Pending read = recorder.invokeRead(1, "k");
        assertThatThrownBy(() -> write.ok("v")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(read::ok).isInstanceOf(IllegalStateException.class);
    }
}
