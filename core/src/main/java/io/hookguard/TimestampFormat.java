package io.hookguard;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import org.jspecify.annotations.Nullable;

/** How a sender writes its timestamp. */
public enum TimestampFormat {
  /** Decimal seconds since the epoch, digits only: {@code 1700000000}. */
  UNIX_SECONDS {
    @Override
    @Nullable Instant parse(String text) {
      long value = digits(text);
      return value < 0 || value > MAX_EPOCH_SECOND ? null : Instant.ofEpochSecond(value);
    }

    @Override
    String format(Instant instant) {
      return Long.toString(instant.getEpochSecond());
    }
  },
  /** Decimal milliseconds since the epoch, digits only: {@code 1700000000000}. */
  UNIX_MILLIS {
    @Override
    @Nullable Instant parse(String text) {
      long value = digits(text);
      return value < 0 ? null : Instant.ofEpochMilli(value);
    }

    @Override
    String format(Instant instant) {
      return Long.toString(instant.toEpochMilli());
    }
  },
  /** An RFC 3339 date-time with offset, fractions up to nanoseconds: {@code 2024-05-01T10:00:00.5Z}. */
  RFC_3339 {
    @Override
    @Nullable Instant parse(String text) {
      if (text.isEmpty() || text.length() > 64) {
        return null;
      }
      try {
        return OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
      } catch (DateTimeException e) {
        return null;
      }
    }

    @Override
    String format(Instant instant) {
      return DateTimeFormatter.ISO_INSTANT.format(instant);
    }
  };

  private static final long MAX_EPOCH_SECOND = Instant.MAX.getEpochSecond();

  /** Parses the text; {@code null} when it is not in this format or out of range. */
  abstract @Nullable Instant parse(String text);

  abstract String format(Instant instant);

  /** Non-negative decimal digits only (no sign, fraction or spaces), at most 18 of them; else -1. */
  private static long digits(String text) {
    int length = text.length();
    if (length == 0 || length > 18) {
      return -1;
    }
    long value = 0;
    for (int i = 0; i < length; i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return -1;
      }
      value = value * 10 + (c - '0');
    }
    return value;
  }
}
