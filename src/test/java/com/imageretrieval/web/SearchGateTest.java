package com.imageretrieval.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SearchGateTest {

    @Test
    void admitsRunningPlusQueuedAndRefusesTheNextUntilOneLeaves() {
        SearchGate gate = new SearchGate(2, 3, 100);
        List<SearchGate.Ticket> in = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            in.add(gate.tryAdmit().orElseThrow(() -> new AssertionError("should be admitted")));
        }
        assertEquals(5, gate.admitted());
        assertTrue(gate.tryAdmit().isEmpty(), "the sixth must be refused at once");
        assertEquals(1, gate.refused(), "each refusal is counted (imageretrieval_search_overloaded_total)");
        in.get(0).close();
        in.get(0).close(); // closing twice frees one place, not two
        Optional<SearchGate.Ticket> next = gate.tryAdmit();
        assertTrue(next.isPresent());
        assertTrue(gate.tryAdmit().isEmpty());
        assertEquals(2, gate.refused());
        next.get().close();
        in.forEach(SearchGate.Ticket::close);
        assertEquals(0, gate.admitted());
    }

    @Test
    void drainPlacesAreBoundedApartFromSearchesAndTheirRefusalIsNoRefusedSearch() {
        SearchGate gate = new SearchGate(1, 1, 100);
        SearchGate.Ticket d1 = gate.tryDrain().orElseThrow();
        SearchGate.Ticket d2 = gate.tryDrain().orElseThrow();
        assertTrue(gate.tryDrain().isEmpty(), "at most running + queued drains at once");
        assertEquals(0, gate.refused(), "a skipped drain is not a refused search");
        SearchGate.Ticket s1 = gate.tryAdmit().orElseThrow(() -> new AssertionError("drains took a search's place"));
        SearchGate.Ticket s2 = gate.tryAdmit().orElseThrow();
        assertEquals(2, gate.admitted());
        d1.close();
        d1.close(); // once
        SearchGate.Ticket d3 = gate.tryDrain().orElseThrow();
        assertTrue(gate.tryDrain().isEmpty());
        for (SearchGate.Ticket t : List.of(d2, d3, s1, s2)) {
            t.close();
        }
        assertEquals(0, gate.admitted());
    }

    @Test
    void neverRunsMoreThanTheLimitAtOnce() throws Exception {
        SearchGate gate = new SearchGate(3, 50, 10_000);
        AtomicInteger now = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(12);
        try {
            List<Future<Integer>> all = new ArrayList<>();
            for (int i = 0; i < 48; i++) {
                int n = i;
                all.add(pool.submit(() -> gate.infer(() -> {
                    peak.accumulateAndGet(now.incrementAndGet(), Math::max);
                    Thread.sleep(5);
                    now.decrementAndGet();
                    return n;
                })));
            }
            for (int i = 0; i < all.size(); i++) {
                assertEquals(i, all.get(i).get(30, TimeUnit.SECONDS));
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(peak.get() <= 3, "peak " + peak.get());
        assertTrue(peak.get() >= 2, "the work did run in parallel: peak " + peak.get());
    }

    @Test
    void aWaitLongerThanTheTimeoutIsOverloadedNotHeld() throws Exception {
        SearchGate gate = new SearchGate(1, 1, 150);
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Thread busy = new Thread(() -> {
            try {
                gate.infer(() -> {
                    running.countDown();
                    release.await();
                    return null;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        busy.start();
        assertTrue(running.await(10, TimeUnit.SECONDS));
        long t0 = System.nanoTime();
        SearchGate.OverloadedException e = assertThrows(SearchGate.OverloadedException.class,
                () -> gate.infer(() -> "never"));
        long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertTrue(waited >= 100, "waited " + waited + " ms");
        assertTrue(e.getMessage().contains("busy"), e.getMessage());
        release.countDown();
        busy.join(10_000);
        assertEquals("free again", gate.infer(() -> "free again"));
    }

    @Test
    void aFailingSearchGivesItsPermitBack() throws Exception {
        SearchGate gate = new SearchGate(1, 0, 50);
        for (int i = 0; i < 3; i++) {
            assertThrows(IllegalStateException.class, () -> gate.infer(() -> {
                throw new IllegalStateException("boom");
            }));
        }
        assertEquals(7, gate.infer(() -> 7));
    }

    @Test
    void refusesNonsenseLimits() {
        assertThrows(IllegalArgumentException.class, () -> new SearchGate(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new SearchGate(1, -1, 1));
    }

    /** Issue 10, class 10: undeploy refuses new searches and waits for the one in flight before the model closes. */
    @Test
    void closingWaitsForTheSearchInFlightAndAdmitsNothingMore() throws Exception {
        SearchGate gate = new SearchGate(2, 2, 1000);
        java.util.concurrent.CountDownLatch running = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicLong finishedAt = new java.util.concurrent.atomic.AtomicLong();
        Thread search = new Thread(() -> {
            try {
                gate.infer(() -> {
                    running.countDown();
                    Thread.sleep(400);
                    finishedAt.set(System.nanoTime());
                    return null;
                });
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        search.start();
        running.await();
        org.junit.jupiter.api.Assertions.assertTrue(gate.closeAndDrain(5000));
        long drainedAt = System.nanoTime();
        org.junit.jupiter.api.Assertions.assertTrue(finishedAt.get() != 0 && finishedAt.get() <= drainedAt,
                "the engine would have been closed under a running search");
        org.junit.jupiter.api.Assertions.assertTrue(gate.tryAdmit().isEmpty());
        org.junit.jupiter.api.Assertions.assertThrows(SearchGate.OverloadedException.class, () -> gate.infer(() -> 1));
        search.join();
    }
}
