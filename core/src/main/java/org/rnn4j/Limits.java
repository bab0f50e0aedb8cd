package org.rnn4j;

import java.util.Locale;
import java.util.Objects;

/**
 * The bounds within which rnn4j reads files and runs calls, so that a hostile or broken file ends
 * in a {@link ResourceLimitException} instead of exhausting the JVM:
 *
 * <ul>
 *   <li>{@code memory}: the most bytes one load (every array of a file, together) or one call
 *       (its outputs and intermediate sequences) may need. Default: half the JVM's maximum heap.
 *   <li>{@code zipEntries}: the most entries a {@code .npz} or {@code .keras} archive may have
 *       (default 10,000).
 *   <li>{@code zipRatio}: the highest compression ratio of an archive entry larger than 1 MiB
 *       uncompressed (default 200; deflate reaches about 1,000 only on degenerate data).
 *   <li>{@code jsonDepth} and {@code jsonBytes}: the deepest nesting and the largest size of a
 *       JSON document (defaults 128 and 64 MiB).
 * </ul>
 *
 * <p>The process-wide {@link #current()} limits start from the defaults, overridden by the system
 * properties {@code rnn4j.limits.memory} (a size such as {@code 512m} or {@code 4g}), {@code
 * rnn4j.limits.zipEntries}, {@code rnn4j.limits.zipRatio}, {@code rnn4j.limits.jsonDepth} and
 * {@code rnn4j.limits.jsonBytes}; {@link #setCurrent} replaces them. Readers also accept limits
 * explicitly.
 */
public final class Limits {
  /** The deepest JSON nesting that may be allowed: the config readers recurse that deep. */
  public static final int MAX_JSON_DEPTH = 1000;
  /** Entries smaller than this, uncompressed, are not held to the compression ratio. */
  public static final long RATIO_EXEMPT_BYTES = 1 << 20;

  private static final String PREFIX = "rnn4j.limits.";
  private static volatile Limits current = fromSystemProperties();

  private final long memoryBytes;
  private final int zipEntries;
  private final double zipRatio;
  private final int jsonDepth;
  private final long jsonBytes;

  private Limits(long memoryBytes, int zipEntries, double zipRatio, int jsonDepth, long jsonBytes) {
    this.memoryBytes = positive(memoryBytes, "memory");
    this.zipEntries = (int) positive(zipEntries, "zipEntries");
    if (!(zipRatio >= 1)) {
      throw new IllegalArgumentException("limit zipRatio must be at least 1, got " + zipRatio);
    }
    this.zipRatio = zipRatio;
    this.jsonDepth = (int) positive(jsonDepth, "jsonDepth");
    if (jsonDepth > MAX_JSON_DEPTH) {
      throw new IllegalArgumentException("limit jsonDepth must be at most " + MAX_JSON_DEPTH + ", got " + jsonDepth);
    }
    this.jsonBytes = Math.min(positive(jsonBytes, "jsonBytes"), Integer.MAX_VALUE - 8);
  }

  private static long positive(long v, String name) {
    if (v <= 0) {
      throw new IllegalArgumentException("limit " + name + " must be positive, got " + v);
    }
    return v;
  }

  /** The built-in defaults, ignoring system properties. */
  public static Limits defaults() {
    long heap = Runtime.getRuntime().maxMemory();
    long memory = heap == Long.MAX_VALUE ? 4L << 30 : Math.max(heap / 2, 1 << 20);
    return new Limits(memory, 10_000, 200, 128, 64L << 20);
  }

  /** The defaults with any {@code rnn4j.limits.*} system property applied. */
  public static Limits fromSystemProperties() {
    Limits l = defaults();
    String v;
    if ((v = System.getProperty(PREFIX + "memory")) != null) {
      l = l.withMemoryBytes(parseSize(v, PREFIX + "memory"));
    }
    if ((v = System.getProperty(PREFIX + "zipEntries")) != null) {
      l = l.withZipEntries((int) Math.min(Integer.MAX_VALUE, parseSize(v, PREFIX + "zipEntries")));
    }
    if ((v = System.getProperty(PREFIX + "zipRatio")) != null) {
      l = l.withZipRatio(parseSize(v, PREFIX + "zipRatio"));
    }
    if ((v = System.getProperty(PREFIX + "jsonDepth")) != null) {
      l = l.withJsonDepth((int) Math.min(Integer.MAX_VALUE, parseSize(v, PREFIX + "jsonDepth")));
    }
    if ((v = System.getProperty(PREFIX + "jsonBytes")) != null) {
      l = l.withJsonBytes(parseSize(v, PREFIX + "jsonBytes"));
    }
    return l;
  }

  /** The process-wide limits that readers and calls use unless given others. */
  public static Limits current() {
    return current;
  }

  /** Replaces the process-wide limits. */
  public static void setCurrent(Limits limits) {
    current = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Parses a size: a whole number of bytes with an optional suffix {@code k}, {@code m}, {@code g}
   * or {@code t} (powers of 1024, any case).
   *
   * @throws IllegalArgumentException naming {@code what} if it is not one
   */
  public static long parseSize(String text, String what) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    int shift = 0;
    if (!t.isEmpty()) {
      switch (t.charAt(t.length() - 1)) {
        case 'k' -> shift = 10;
        case 'm' -> shift = 20;
        case 'g' -> shift = 30;
        case 't' -> shift = 40;
        default -> shift = 0;
      }
    }
    String digits = shift == 0 ? t : t.substring(0, t.length() - 1);
    try {
      long n = Long.parseLong(digits);
      if (n <= 0 || n > (Long.MAX_VALUE >> shift)) {
        throw new NumberFormatException();
      }
      return n << shift;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(what + " must be a positive size such as 512m or 4g, got '" + text + "'");
    }
  }

  public long memoryBytes() {
    return memoryBytes;
  }

  public int zipEntries() {
    return zipEntries;
  }

  public double zipRatio() {
    return zipRatio;
  }

  public int jsonDepth() {
    return jsonDepth;
  }

  public long jsonBytes() {
    return jsonBytes;
  }

  public Limits withMemoryBytes(long bytes) {
    return new Limits(bytes, zipEntries, zipRatio, jsonDepth, jsonBytes);
  }

  public Limits withZipEntries(int entries) {
    return new Limits(memoryBytes, entries, zipRatio, jsonDepth, jsonBytes);
  }

  public Limits withZipRatio(double ratio) {
    return new Limits(memoryBytes, zipEntries, ratio, jsonDepth, jsonBytes);
  }

  public Limits withJsonDepth(int depth) {
    return new Limits(memoryBytes, zipEntries, zipRatio, depth, jsonBytes);
  }

  public Limits withJsonBytes(long bytes) {
    return new Limits(memoryBytes, zipEntries, zipRatio, jsonDepth, bytes);
  }

  /** A fresh account of the memory one load or call may use, for messages about {@code source}. */
  public Budget budget(String source) {
    return new Budget(source);
  }

  /** Human-readable bytes, as in messages. */
  public static String formatBytes(long bytes) {
    if (bytes < 1 << 10) {
      return bytes + " bytes";
    }
    String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    double v = bytes;
    int u = -1;
    while (v >= 1024 && u < units.length - 1) {
      v /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "Limits[memory=%s, zipEntries=%d, zipRatio=%.0f, jsonDepth=%d, jsonBytes=%s]",
        formatBytes(memoryBytes), zipEntries, zipRatio, jsonDepth, formatBytes(jsonBytes));
  }

  /**
   * The memory one load or call has reserved so far. Readers reserve what they are about to
   * allocate, before allocating it.
   */
  public final class Budget {
    private final String source;
    private long used;

    private Budget(String source) {
      this.source = source;
    }

    /** The limits this budget draws on. */
    public Limits limits() {
      return Limits.this;
    }

    /**
     * Reserves {@code bytes} for {@code what}.
     *
     * @throws ResourceLimitException if the total would exceed the memory limit
     */
    public void reserve(long bytes, String what) {
      if (bytes < 0 || bytes > memoryBytes - used) {
        throw new ResourceLimitException(source + ": " + what + " needs " + formatBytes(bytes)
            + (used > 0 ? " more (" + formatBytes(used) + " already read)" : "")
            + ", over the memory limit of " + formatBytes(memoryBytes)
            + " (raise it with -D" + PREFIX + "memory=SIZE or Limits.setCurrent)");
      }
      used += bytes;
    }
  }
}
