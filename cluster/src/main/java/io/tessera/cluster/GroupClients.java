package io.tessera.cluster;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.apache.ratis.RaftConfigKeys;
import org.apache.ratis.client.RaftClient;
import org.apache.ratis.client.RaftClientConfigKeys;
import org.apache.ratis.client.retry.RequestTypeDependentRetryPolicy;
import org.apache.ratis.conf.RaftProperties;
import org.apache.ratis.datastream.SupportedDataStreamType;
import org.apache.ratis.proto.RaftProtos.RaftClientRequestProto.TypeCase;
import org.apache.ratis.protocol.ClientId;
import org.apache.ratis.protocol.RaftGroup;
import org.apache.ratis.protocol.RaftPeer;
import org.apache.ratis.retry.RetryPolicies;
import org.apache.ratis.retry.RetryPolicy;
import org.apache.ratis.util.TimeDuration;

/**
 * Builds the Ratis clients a node uses to reach its group, each with a retry policy whose total time
 * is bounded: an ordered Ratis client whose retries run out fails every later request too, so no
 * client is allowed to retry for ever, and the one that serves requests is replaced when that happens
 * (see {@link ClusterNode}).
 *
 * <p>Immutable; thread-safe.
 */
final class GroupClients {
    /** Between two attempts: long enough not to spin while an election runs, short against the bound. */
    private static final TimeDuration RETRY_SLEEP = TimeDuration.valueOf(100, TimeUnit.MILLISECONDS);

    private final RaftGroup group;
    private final Duration requestTimeout;

    GroupClients(RaftGroup group, Duration requestTimeout) {
        this.group = group;
        this.requestTimeout = requestTimeout;
    }

    /** For submits and read barriers: retries (to the leader, as Ratis redirects) until the request bound. */
    RaftClient newRequestClient() {
        TimeDuration bound = toTimeDuration(requestTimeout);
        RetryPolicy untilBound = RetryPolicies.retryForeverWithSleep(RETRY_SLEEP);
        RetryPolicy policy = RequestTypeDependentRetryPolicy.newBuilder()
                .setRetryPolicy(TypeCase.WRITE, untilBound).setTimeout(TypeCase.WRITE, bound)
                .setRetryPolicy(TypeCase.READ, untilBound).setTimeout(TypeCase.READ, bound)
                .setRetryPolicy(TypeCase.WATCH, untilBound).setTimeout(TypeCase.WATCH, bound)
                .setRetryPolicy(TypeCase.STALEREAD, untilBound).setTimeout(TypeCase.STALEREAD, bound)
                .build();
        return build(group, requestTimeout, policy);
    }

    /** For copying a checkpoint from one peer: a few attempts per piece. */
    RaftClient newFetchClient() {
        return build(group, requestTimeout, RetryPolicies.retryUpToMaximumCountWithFixedSleep(5, RETRY_SLEEP));
    }

    /** For a membership change, which waits for a new peer to catch up: one long attempt, retried a little. */
    RaftClient newAdminClient(RaftGroup current, Duration bound) {
        return build(current, bound, RetryPolicies.retryUpToMaximumCountWithFixedSleep(3, RETRY_SLEEP));
    }

    /**
     * For byte transfers to one peer ({@link BytesSender}): its DataStream primary is that peer, and it
     * never sends the FORWARD that would turn a finished stream into a log entry. Its packets time out
     * after the request bound (the last one, which waits for the peer's sync, after twice that).
     */
    RaftClient newStreamClient(RaftPeer peer) {
        RaftProperties props = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, toTimeDuration(requestTimeout));
        RaftConfigKeys.DataStream.setType(props, SupportedDataStreamType.NETTY);
        RaftConfigKeys.DataStream.setSkipSendForward(props, true);
        RaftClientConfigKeys.DataStream.setRequestTimeout(props, toTimeDuration(requestTimeout));
        return RaftClient.newBuilder()
                .setProperties(props)
                .setRaftGroup(group)
                .setClientId(ClientId.randomId())
                .setPrimaryDataStreamServer(peer)
                .setRetryPolicy(RetryPolicies.noRetry())
                .build();
    }

    private static RaftClient build(RaftGroup group, Duration rpcTimeout, RetryPolicy policy) {
        RaftProperties props = new RaftProperties();
        RaftClientConfigKeys.Rpc.setRequestTimeout(props, toTimeDuration(rpcTimeout));
        // An ordered client's first request is otherwise a "Watch(0)" that finds the leader; every request
        // waits behind it, so while the group has no leader it only added a second wait to each.
        RaftClientConfigKeys.Async.Experimental.setSendDummyRequest(props, false);
        return RaftClient.newBuilder()
                .setProperties(props)
                .setRaftGroup(group)
                .setClientId(ClientId.randomId())
                .setRetryPolicy(policy)
                .build();
    }

    static TimeDuration toTimeDuration(Duration d) {
        return TimeDuration.valueOf(d.toMillis(), TimeUnit.MILLISECONDS);
    }
}
