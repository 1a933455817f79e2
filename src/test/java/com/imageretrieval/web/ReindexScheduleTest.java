package com.imageretrieval.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.imageretrieval.config.ConfigException;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReindexScheduleTest {

    @Test
    void parsesPeriodsInEveryUnit() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), ReindexSchedule.parse("30s"));
        assertEquals(Optional.of(Duration.ofMinutes(10)), ReindexSchedule.parse("10m"));
        assertEquals(Optional.of(Duration.ofHours(1)), ReindexSchedule.parse(" 1H "));
        assertEquals(Optional.of(Duration.ofDays(2)), ReindexSchedule.parse("2d"));
    }

    @Test
    void offDisablesTheTimer() {
        assertTrue(ReindexSchedule.parse("off").isEmpty());
        assertTrue(ReindexSchedule.parse("OFF").isEmpty());
    }

    @Test
    void badValuesNameTheVariable() {
        for (String bad : new String[] {"", "10", "ten minutes", "5x", "-1m", "0s", "1.5h", null}) {
            ConfigException e = assertThrows(ConfigException.class, () -> ReindexSchedule.parse(bad), "" + bad);
            assertTrue(e.getMessage().startsWith("REINDEX_SCHEDULE"), e.getMessage());
        }
    }
}
