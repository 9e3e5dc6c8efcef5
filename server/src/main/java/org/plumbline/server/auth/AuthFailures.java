package org.plumbline.server.auth;

import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.plumbline.governance.Command;

/**
 * Decides which failed authentications become {@code auth.failed} audit records, so that a flood of
 * bad tokens cannot fill the ledger: at most one record per client address per window (one minute),
 * counting the failures it stands for. The first failure of a window is recorded at once; the ones
 * after it are counted and recorded when the window closes ({@link #flush}), or with the address's
 * next record. Every failure is counted in exactly one record. At most {@code maxAddresses}
 * addresses are tracked; failures from any further address share the address {@code *}.
 */
public final class AuthFailures {
  /** What one audit record reports. */
  public record Report(String address, String user, String path, String reason, long failures) {
    /**
     * Its audit record ({@code auth.failed}). The caller is not authenticated: the actor is
     * "anonymous", never a name it chose; the name it claimed (cut short, control characters
     * replaced) is data.
     */
    public Command.AuditEntry audited(Instant at) {
      JsonObject detail = new JsonObject();
      if (user != null) {
        detail.put("claimedUser", user);
      }
      return new Command.AuditEntry(
          at,
          "anonymous",
          "auth.failed",
          null,
          path,
          detail
              .put("address", address)
              .put("path", path)
              .put("reason", reason)
              .put("failures", failures)
              .put("window", "PT1M")
              .encode());
    }
  }

  public static final long WINDOW_NANOS = 60_000_000_000L;

  private final LongSupplier ticker;
  private final int maxAddresses;
  private final Map<String, Window> windows = new LinkedHashMap<>();

  public AuthFailures(LongSupplier ticker, int maxAddresses) {
    this.ticker = ticker;
    this.maxAddresses = maxAddresses;
  }

  private static final class Window {
    final long start;
    long suppressed;
    String user;
    String path;
    String reason;

    Window(long start) {
      this.start = start;
    }
  }

  /** Counts one failure; returns the record to write now, if this one opens a window. */
  public synchronized Optional<Report> failed(
      String address, String user, String path, String reason) {
    long now = ticker.getAsLong();
    String key = windows.containsKey(address) || windows.size() < maxAddresses ? address : "*";
    Window w = windows.get(key);
    if (w != null && now - w.start < WINDOW_NANOS) {
      w.suppressed++;
      w.user = user;
      w.path = path;
      w.reason = reason;
      return Optional.empty();
    }
    long earlier = w == null ? 0 : w.suppressed;
    windows.put(key, new Window(now));
    return Optional.of(new Report(key, user, path, reason, 1 + earlier));
  }

  /** Closes the windows that have ended; returns a record for each that counted more failures. */
  public synchronized List<Report> flush() {
    long now = ticker.getAsLong();
    List<Report> out = new ArrayList<>();
    for (Iterator<Map.Entry<String, Window>> it = windows.entrySet().iterator(); it.hasNext(); ) {
      Map.Entry<String, Window> e = it.next();
      Window w = e.getValue();
      if (now - w.start >= WINDOW_NANOS) {
        if (w.suppressed > 0) {
          out.add(new Report(e.getKey(), w.user, w.path, w.reason, w.suppressed));
        }
        it.remove();
      }
    }
    return out;
  }
}
