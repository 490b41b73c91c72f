package io.tessera.server.route;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouteTest {

    @Test
    void bucketAndKeyMustFitTheOperation() {
        assertThat(new Route(Operation.ListBuckets, null, null).bucket()).isNull();
        assertThat(new Route(Operation.ListParts, "b", "k").key()).isEqualTo("k");
        assertThatThrownBy(() -> new Route(Operation.ListBuckets, "b", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route(Operation.ListObjects, null, null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route(Operation.ListObjects, "b", "k"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route(Operation.GetObject, "b", null))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Route(null, "b", "k")).isInstanceOf(NullPointerException.class);
    }

    @Test
    void requestTargetNeedsABucketForAKey() {
        assertThatThrownBy(() -> new RequestTarget(null, "k", false)).isInstanceOf(IllegalArgumentException.class);
    }
}
