package org.plumbline.server.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.plumbline.server.config.ServerConfig;

/**
 * Per-caller token buckets. Time comes from a monotonic ticker in nanoseconds (injected, so tests
 * need not sleep), never from the wall clock, which may jump. At most {@code maxBuckets} buckets
 * are kept: past that, full buckets are dropped, since a full bucket and a new one are the same.
 */
public final class TokenBuckets {
  private final LongSupplier ticker;
  private final int maxBuckets;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public TokenBuckets(LongSupplier ticker, int maxBuckets) {
    this.ticker = ticker;
    this.maxBuckets = maxBuckets;
  }

  /** Takes one token from {@code key}'s bucket: 0 when granted, else nanoseconds to wait. */
  public long take(String key, ServerConfig.RateLimit limit) {
    long now = ticker.getAsLong();
    if (buckets.size() >= maxBuckets && !buckets.containsKey(key)) {
      buckets.values().removeIf(b -> b.isFull(now));
    }
    return buckets.computeIfAbsent(key, k -> new Bucket(limit, now)).take(limit, now);
  }

  int size() {
    return buckets.size();
  }

  /** One caller's bucket; the limit may change with a reload, so it is passed on each take. */
  private static final class Bucket {
    private double tokens;
    private long at;
    private ServerConfig.RateLimit limit;

    Bucket(ServerConfig.RateLimit limit, long now) {
      this.tokens = limit.burst();
      this.at = now;
      this.limit = limit;
    }

    public synchronized long take(ServerConfig.RateLimit current, long now) {
      limit = current;
      refill(now);
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return (long) Math.ceil((1 - tokens) / limit.perSecond() * 1e9);
    }

    synchronized boolean isFull(long now) {
      refill(now);
      return tokens >= limit.burst();
    }

    private void refill(long now) {
      long elapsed = Math.max(0, now - at);
      tokens = Math.min(limit.burst(), tokens + elapsed / 1e9 * limit.perSecond());
      at = now;
    }
  }
}
