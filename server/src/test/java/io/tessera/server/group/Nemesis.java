package io.tessera.server.group;

import io.tessera.server.jepsen.Direction;
import io.tessera.server.jepsen.FaultProxy;
import io.tessera.server.jepsen.LinkFault;
import java.io.IOException;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The fault schedule of a {@link GroupCampaign}: one fault every few seconds, held for a few seconds and
 * then lifted, in a fixed rotation (kill -9 and restart, cut, one-way drop, delay, kill, cut, double
 * fault) on random members with random durations, directions and delays. Only one member is down or
 * cut at a time, so a majority remains, except in a double fault (two members killed, or one killed and
 * one cut): the group then has no majority and answers 503, and once it is lifted the nemesis waits
 * (bounded) until a write succeeds again.
 *
 * <p>Runs on one thread and is the only user of the {@link GroupProcesses} until {@link #stop()} and
 * a join; {@link #stop()} may be called from any thread and lifts the current fault early.
 */
final class Nemesis implements Runnable {
    /** The fault kinds in the order the nemesis injects them. */
    enum Fault { KILL, CUT, ONE_WAY, DELAY, KILL_AGAIN, CUT_AGAIN, DOUBLE }

    private static final Duration RESUMPTION_BOUND = Duration.ofSeconds(90);

    private final GroupProcesses group;
    private final CampaignFigures figures;
    private final Random random;
    private final CountDownLatch stopped = new CountDownLatch(1);
    private volatile Throwable failure;
    private long probes;
    private final AtomicInteger faultsDone = new AtomicInteger();

    Nemesis(GroupProcesses group, CampaignFigures figures, long seed) {
        this.group = group;
        this.figures = figures;
        this.random = new Random(seed);
    }

    /** Lifts the current fault and ends the schedule. */
    void stop() {
        stopped.countDown();
    }

    /** The faults injected and lifted so far. */
    int faultsDone() {
        return faultsDone.get();
    }

    /** What ended the schedule early (a member that would not start again), or null. */
    Throwable failure() {
        return failure;
    }

    @Override
    public void run() {
        try {
            for (int step = 0; !stopping(); step++) {
                inject(Fault.values()[step % Fault.values().length]);
                faultsDone.incrementAndGet();
                hold(Duration.ofMillis(1000 + random.nextInt(2000))); // the group between two faults
            }
        } catch (IOException | RuntimeException e) {
            failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            failure = e;
        }
    }

    private void inject(Fault fault) throws IOException, InterruptedException {
        int member = random.nextInt(group.size());
        note(fault + " " + GroupProcesses.id(member));
        switch (fault) {
            case KILL, KILL_AGAIN -> {
                group.kill(member);
                figures.kills.incrementAndGet();
                holdFault();
                group.start(member);
            }
            case CUT, CUT_AGAIN -> {
                cut(member);
                holdFault();
                heal(member);
            }
            case ONE_WAY -> {
                Direction d = random.nextBoolean() ? Direction.TO_TARGET : Direction.FROM_TARGET;
                for (FaultProxy p : group.proxies(member)) {
                    p.set(d, LinkFault.drop());
                }
                figures.oneWayDrops.incrementAndGet();
                holdFault();
                heal(member);
            }
            case DELAY -> {
                LinkFault delay = LinkFault.delay(Duration.ofMillis(50 + random.nextInt(251)));
                for (FaultProxy p : group.proxies(member)) {
                    p.set(Direction.TO_TARGET, delay);
                    p.set(Direction.FROM_TARGET, delay);
                }
                figures.delays.incrementAndGet();
                holdFault();
                heal(member);
            }
            case DOUBLE -> doubleFault(member);
            default -> throw new IllegalStateException(fault.name());
        }
    }

    /** Two members out at once: killed both, or one killed and one cut; then writes must resume. */
    private void doubleFault(int first) throws IOException, InterruptedException {
        int second = (first + 1 + random.nextInt(group.size() - 1)) % group.size();
        boolean killBoth = random.nextBoolean();
        group.kill(first);
        figures.kills.incrementAndGet();
        if (killBoth) {
            group.kill(second);
            figures.kills.incrementAndGet();
        } else {
            cut(second);
        }
        figures.doubleFaults.incrementAndGet();
        note((killBoth ? "and KILL " : "and CUT ") + GroupProcesses.id(second));
        holdFault();
        group.start(first);
        if (killBoth) {
            group.start(second);
        } else {
            heal(second);
        }
        awaitWritable(first);
    }

    private void cut(int member) {
        for (FaultProxy p : group.proxies(member)) {
            p.cut();
        }
        figures.cuts.incrementAndGet();
    }

    private void heal(int member) {
        for (FaultProxy p : group.proxies(member)) {
            p.heal();
        }
    }

    /** Waits until a write through {@code member} succeeds (its client retries 503s), and notes how long. */
    private void awaitWritable(int member) {
        long start = System.nanoTime();
        long deadline = start + RESUMPTION_BOUND.toNanos();
        String key = "probe/" + probes++;
        try (S3Client client = group.client(member)) {
            while (true) {
                try {
                    client.putObject(p -> p.bucket(CampaignClient.BUCKET).key(key), RequestBody.fromString(key));
                    break;
                } catch (SdkException e) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("writes did not resume within " + RESUMPTION_BOUND
                                + " after a double fault", e);
                    }
                }
            }
        }
        figures.resumedAfter(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        note("writes resumed after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
    }

    private void holdFault() throws InterruptedException {
        hold(Duration.ofMillis(2000 + random.nextInt(3000)));
        note("lifting");
    }

    /** A line with the wall-clock time, to read beside the members' logs. */
    private static void note(String what) {
        System.out.println(java.time.LocalTime.now() + " nemesis: " + what);
    }

    /** Waits {@code d}, or less when the campaign stops. */
    private void hold(Duration d) throws InterruptedException {
        stopped.await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    private boolean stopping() {
        return stopped.getCount() == 0;
    }
}
