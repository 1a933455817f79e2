package com.imageretrieval.features;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ThreadingTest {

    @Test
    void latencyGivesEveryCoreToOneRunAndThroughputOneCoreToEachOfManyRuns() {
        for (int cores : new int[] {1, 2, 16}) {
            assertEquals(cores, Threading.LATENCY.intraOpThreads(cores));
            assertEquals(1, Threading.LATENCY.parallelRuns(cores));
            assertEquals(1, Threading.THROUGHPUT.intraOpThreads(cores));
            assertEquals(cores, Threading.THROUGHPUT.parallelRuns(cores));
        }
        // a container that reports no cores still runs the model
        assertEquals(1, Threading.LATENCY.intraOpThreads(0));
        assertEquals(1, Threading.THROUGHPUT.parallelRuns(0));
    }
}
