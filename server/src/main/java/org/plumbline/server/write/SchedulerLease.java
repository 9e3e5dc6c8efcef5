package org.plumbline.server.write;

import java.time.Clock;
import java.time.Duration;
import java.util.UUID;
import org.plumbline.ontology.GraphStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One scheduler among the servers that share a store: each tick, a server takes or renews the
 * store's {@code scheduler} lease (holder, expiry) and runs the expiry and observation checks only
 * while it holds it. The lease lasts three ticks, so a holder that dies is replaced within about
 * three ticks by whichever server ticks first after it lapsed. On a TDB2 store, the process's own,
 * the lease is always held.
 */
public final class SchedulerLease {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerLease.class);
  static final String NAME = "scheduler";

  private final GraphStore store;
  private final Clock clock;
  private final Duration ttl;
  private final String holder = "server-" + UUID.randomUUID();
  private volatile boolean held;

  /**
   * @param interval the scheduler's tick
   */
  public SchedulerLease(GraphStore store, Clock clock, Duration interval) {
    this.store = store;
    this.clock = clock;
    this.ttl = interval.multipliedBy(3);
  }

  /** Takes or renews the lease; whether this server runs the scheduler's checks now. */
  public boolean tick() {
    boolean now;
    try {
      now = store.holdLease(NAME, holder, clock.instant(), ttl);
    } catch (RuntimeException e) {
      now = false; // a store that does not answer: nobody runs the checks until it does
    }
    if (now != held) {
      LOG.info(
          now ? "this server runs the scheduler ({})" : "another server runs the scheduler",
          holder);
    }
    held = now;
    return now;
  }

  /** Whether the last tick held the lease. */
  public boolean held() {
    return held;
  }

  /** This server's name in the lease. */
  public String holder() {
    return holder;
  }
}
