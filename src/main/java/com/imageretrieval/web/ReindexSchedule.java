package com.imageretrieval.web;

import com.imageretrieval.config.ConfigException;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses {@code REINDEX_SCHEDULE}: a period such as {@code 30s}, {@code 10m}, {@code 1h} or {@code 1d}, or
 * {@code off} to disable the timer. Lives in web because only the EJB timer uses it.
 */
public final class ReindexSchedule {

    /** Shorter periods would keep the disk scanner busy for nothing. */
    public static final Duration MINIMUM = Duration.ofSeconds(1);

    private static final Pattern PERIOD = Pattern.compile("(\\d{1,9})\\s*(s|m|h|d)");

    private ReindexSchedule() {
    }

    /** Empty when disabled; throws {@link ConfigException} naming the variable for anything else unparseable. */
    public static Optional<Duration> parse(String value) {
        String v = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        if (v.equals("off") || v.equals("none") || v.equals("disabled") || v.equals("0")) {
            return Optional.empty();
        }
        Matcher m = PERIOD.matcher(v);
        if (!m.matches()) {
            throw new ConfigException("REINDEX_SCHEDULE: expected a period like 30s, 10m, 1h or 1d, or 'off', got '"
                    + value + "'");
        }
        long n = Long.parseLong(m.group(1));
        Duration d = switch (m.group(2)) {
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            case "h" -> Duration.ofHours(n);
            default -> Duration.ofDays(n);
        };
        if (d.compareTo(MINIMUM) < 0) {
            throw new ConfigException("REINDEX_SCHEDULE: the period must be at least 1s, got '" + value + "'");
        }
        return Optional.of(d);
    }
}
