package com.imageretrieval.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {

    @Test
    void threadsAreDaemonsNamedAfterTheirWork() {
        Thread t = DaemonThreads.named("index-build").newThread(() -> { });
        assertEquals("index-build", t.getName());
        assertTrue(t.isDaemon());

        ThreadFactory numbered = DaemonThreads.numbered("vector-search");
        Thread first = numbered.newThread(() -> { });
        Thread second = numbered.newThread(() -> { });
        assertEquals("vector-search-1", first.getName());
        assertEquals("vector-search-2", second.getName());
        assertTrue(first.isDaemon() && second.isDaemon());
        assertEquals("other-1", DaemonThreads.numbered("other").newThread(() -> { }).getName(), "each factory counts alone");
    }
}
