package org.plumbline.server.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Progress of a long load on stderr. On a terminal, one line redrawn in place at most ten times a
 * second: a bar, files, items per second and the time left. Elsewhere (CI logs, pipes) a plain line
 * every {@link #PLAIN_INTERVAL}, so a log of a long import stays short.
 */
final class Progress {
  static final Duration PLAIN_INTERVAL = Duration.ofSeconds(5);
  private static final long REDRAW_NANOS = 100_000_000L;
  private static final int BAR_WIDTH = 24;

  private final PrintStream err;
  private final boolean terminal;
  private final LongSupplier nanoTime;
  private final String label;
  private final String itemName;
  private final long totalFiles;
  private final long totalItems;
  private final long started;
  private long files;
  private long items;
  private long lastShown;
  private int lastWidth;

  /**
   * @param terminal whether stderr is a terminal ({@code System.console() != null})
   * @param nanoTime a monotonic clock ({@code System::nanoTime}), injected so tests need no sleep
   */
  Progress(
      PrintStream err,
      boolean terminal,
      LongSupplier nanoTime,
      String label,
      String itemName,
      long totalFiles,
      long totalItems) {
    this.err = err;
    this.terminal = terminal;
    this.nanoTime = nanoTime;
    this.label = label;
    this.itemName = itemName;
    this.totalFiles = totalFiles;
    this.totalItems = totalItems;
    this.started = nanoTime.getAsLong();
    this.lastShown = started;
  }

  /**
   * Sets how many files are finished and items processed, and shows them when due. Counts may go
   * back: items of a transaction that rolled back are counted again when they are retried.
   */
  void update(long filesDone, long itemsDone) {
    files = filesDone;
    items = itemsDone;
    long now = nanoTime.getAsLong();
    long due = terminal ? REDRAW_NANOS : PLAIN_INTERVAL.toNanos();
    if (now - lastShown >= due) {
      show(now);
      lastShown = now;
    }
  }

  /** Clears the redrawn line so another message can be printed whole; no-op off a terminal. */
  void clearLine() {
    if (terminal && lastWidth > 0) {
      err.print("\r" + " ".repeat(lastWidth) + "\r");
      lastWidth = 0;
      lastShown = 0; // redraw at the next advance
    }
  }

  /** Shows the final state; on a terminal it ends the redrawn line. */
  void finish() {
    if (terminal) {
      show(nanoTime.getAsLong());
      err.println();
    }
    err.flush();
  }

  private void show(long now) {
    String line = line(now);
    if (terminal) {
      // Pad over what the previous, longer line left behind.
      String padded = line + " ".repeat(Math.max(0, lastWidth - line.length()));
      lastWidth = line.length();
      err.print("\r" + padded);
    } else {
      err.println(line);
    }
    err.flush();
  }

  /** The progress line as it is shown now. */
  String line(long now) {
    double seconds = Math.max(1e-9, (now - started) / 1e9);
    double rate = items / seconds;
    long left = totalItems - items;
    String eta = rate > 0 && left > 0 ? duration(left / rate) : left <= 0 ? "0s" : "?";
    String counts =
        itemName.equals("files")
            ? String.format(
                Locale.ROOT, "%d/%d files, %.0f files/s, ETA %s", items, totalItems, rate, eta)
            : String.format(
                Locale.ROOT,
                "%d/%d files, %d/%d %s, %.0f %s/s, ETA %s",
                files,
                totalFiles,
                items,
                totalItems,
                itemName,
                rate,
                itemName,
                eta);
    if (!terminal) {
      return label + ": " + counts;
    }
    int done = totalItems == 0 ? BAR_WIDTH : (int) (BAR_WIDTH * items / totalItems);
    return label
        + " ["
        + "#".repeat(done)
        + ".".repeat(BAR_WIDTH - done)
        + "] "
        + (totalItems == 0 ? 100 : 100 * items / totalItems)
        + "% "
        + counts;
  }

  static String duration(double seconds) {
    long s = Math.round(seconds);
    return s >= 3600
        ? String.format(Locale.ROOT, "%dh%02dm", s / 3600, (s % 3600) / 60)
        : s >= 60 ? String.format(Locale.ROOT, "%dm%02ds", s / 60, s % 60) : s + "s";
  }
}
