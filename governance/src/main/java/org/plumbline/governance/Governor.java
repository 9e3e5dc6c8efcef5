package org.plumbline.governance;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Queue;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntConsumer;
import java.util.function.Supplier;
import org.plumbline.ontology.Blueprint;
import org.plumbline.ontology.ChangeRequest;
import org.plumbline.ontology.GraphStore;
import org.plumbline.ontology.Snapshot;
import org.plumbline.ontology.StoreWriter;
import org.plumbline.rules.MetricSample;
import org.plumbline.rules.RulePack;

/**
 * The one way in to the store for writes. Every entry point (the HTTP API, GraphQL mutations,
 * {@code plumbline load --data}, the demo, the bench, {@code plumbline rebuild}, the scheduler, the
 * console) hands it a {@link Command}; under one lock it writes the command to the input journal
 * and applies it in one store transaction, with its audit records. The lock costs nothing the store
 * does not already impose (one writer at a time) and makes the journal's order the commit order, so
 * a rebuild replays it exactly.
 *
 * <p>It is the only class that opens write transactions ({@code ArchitectureTest} keeps it so). A
 * command cannot run another command: the services it calls take the transaction's {@link
 * StoreWriter}, and a nested {@link #execute} is refused rather than silently joined.
 */
public final class Governor {
  /** Bounds one shared transaction of the group commit; above the loaders a server sees at once. */
  static final int MAX_GROUP = 16;

  private final GraphStore store;
  private final Supplier<RulePack> rulePack;
  private final Clock clock;
  private final InputJournal journal;
  private final ReentrantLock lock;
  private final Queue<PendingSnapshot> pendingSnapshots;
  private final CommandListener listener;
  private volatile Thread applying;
  private final List<java.util.function.BiConsumer<Command<?>, Object>> listeners =
      new java.util.concurrent.CopyOnWriteArrayList<>();

  final Governance governance;
  final Dispositions dispositions;
  final PromptRegistry prompts;
  final Observations observations;
  final PromotionGates gates;
  final GateOverrides overrides;

  /** A governor that journals nothing (tests, tools, a replay). */
  public Governor(GraphStore store, Supplier<RulePack> rulePack, Clock clock) {
    this(store, rulePack, clock, null);
  }

  /** {@code journal} null: nothing is journaled (a replay, which reads a journal). */
  public Governor(
      GraphStore store, Supplier<RulePack> rulePack, Clock clock, InputJournal journal) {
    this(store, rulePack, clock, journal, CommandListener.NONE);
  }

  /**
   * As {@link #Governor(GraphStore, Supplier, Clock, InputJournal)}; {@code listener} hears every
   * command executed (the server's command metrics).
   */
  public Governor(
      GraphStore store,
      Supplier<RulePack> rulePack,
      Clock clock,
      InputJournal journal,
      CommandListener listener) {
    this(
        store,
        rulePack,
        clock,
        journal,
        new ReentrantLock(true),
        new ConcurrentLinkedQueue<>(),
        listener);
  }

  private Governor(
      GraphStore store,
      Supplier<RulePack> rulePack,
      Clock clock,
      InputJournal journal,
      ReentrantLock lock,
      Queue<PendingSnapshot> pendingSnapshots,
      CommandListener listener) {
    this.store = store;
    this.rulePack = rulePack;
    this.clock = clock;
    this.journal = journal;
    this.lock = lock;
    this.pendingSnapshots = pendingSnapshots;
    this.listener = listener;
    this.governance = new Governance(rulePack, clock);
    this.dispositions = new Dispositions(rulePack, clock, governance);
    this.prompts = new PromptRegistry(clock);
    this.observations = new Observations(rulePack, clock);
    this.gates = new PromotionGates(rulePack, clock);
    this.overrides = new GateOverrides(rulePack, clock);
  }

  /**
   * The same governor on another clock: same store, journal and lock (so journal order stays commit
   * order), its commands journaled and applied at that clock's instants. The demo loads its history
   * through it, so a demo store is journaled and {@code plumbline rebuild} reproduces it.
   */
  public Governor at(Clock other) {
    Governor twin =
        new Governor(
            store, rulePack, other, journal, lock, new ConcurrentLinkedQueue<>(), listener);
    twin.listeners.addAll(listeners);
    return twin;
  }

  /**
   * Hears every command once its transaction has committed, with what it answered (the server
   * counts gate decisions this way, whichever entry point asked). Listeners run on the writing
   * thread after the commit: they must be quick and must not write. A twin made by {@link #at}
   * hears the listeners registered before it was made.
   */
  public void listen(java.util.function.BiConsumer<Command<?>, Object> listener) {
    listeners.add(listener);
  }

  public GraphStore store() {
    return store;
  }

  public Clock clock() {
    return clock;
  }

  /** Journals the command and applies it in one write transaction; answers what it answers. */
  public <R> R execute(Command<R> command) {
    long start = System.nanoTime();
    String outcome = CommandListener.FAILED;
    lock.lock();
    try {
      refuseNesting(command);
      InputJournal.Entry entry = journal(command);
      R result = apply(List.of(command), Collections.singletonList(entry), null).get(0);
      outcome = CommandListener.OK;
      return result;
    } catch (RuntimeException e) {
      outcome = CommandListener.outcomeOf(e);
      throw e;
    } finally {
      lock.unlock();
      heard(command, outcome, System.nanoTime() - start);
    }
  }

  /**
   * Several commands journaled and applied in one transaction (a day of the demo, a bulk load): all
   * or nothing, one commit. {@code progress} hears how many were applied, after each.
   */
  public <R> List<R> executeAll(List<? extends Command<R>> batch, IntConsumer progress) {
    long start = System.nanoTime();
    String outcome = CommandListener.FAILED;
    lock.lock();
    try {
      for (Command<R> c : batch) {
        refuseNesting(c);
      }
      List<InputJournal.Entry> entries = journal(batch);
      List<R> results = apply(batch, entries, progress);
      outcome = CommandListener.OK;
      return results;
    } catch (RuntimeException e) {
      outcome = CommandListener.outcomeOf(e);
      throw e;
    } finally {
      lock.unlock();
      long share = batch.isEmpty() ? 0 : (System.nanoTime() - start) / batch.size();
      for (Command<R> c : batch) {
        heard(c, outcome, share);
      }
    }
  }

  /**
   * A dry run of a load (see {@link DryRun}): the units applied in order as {@link #execute} would
   * apply them, in one write transaction rolled back at the end; a refused unit is left out and the
   * rest applied again. Nothing is journaled, stored or audited; listeners hear nothing.
   *
   * @param units the commands of each unit (one file of a load), in the order a load stores them
   */
  public DryRun.Outcome dryRun(List<? extends List<? extends Command<?>>> units) {
    java.util.Map<Integer, org.plumbline.ontology.PlumblineException> refusals =
        new java.util.TreeMap<>();
    lock.lock();
    try {
      for (List<? extends Command<?>> unit : units) {
        unit.forEach(this::refuseNesting);
      }
      while (true) {
        try {
          return store.rehearse(w -> rehearse(w, units, refusals));
        } catch (DryRun.Refused r) {
          refusals.put(r.unit, r.refusal);
        }
      }
    } finally {
      lock.unlock();
    }
  }

  private DryRun.Outcome rehearse(
      StoreWriter w,
      List<? extends List<? extends Command<?>>> units,
      java.util.Map<Integer, org.plumbline.ontology.PlumblineException> refusals) {
    Thread me = Thread.currentThread();
    applying = me;
    try {
      DryRun.State before = DryRun.State.of(w);
      List<List<Object>> results = new ArrayList<>();
      for (int i = 0; i < units.size(); i++) {
        if (refusals.containsKey(i)) {
          continue;
        }
        List<Object> answers = new ArrayList<>();
        for (Command<?> c : units.get(i)) {
          try {
            answers.add(c.apply(this, w));
          } catch (org.plumbline.ontology.PlumblineException e) {
            throw new DryRun.Refused(i, e);
          }
        }
        results.add(answers);
      }
      return DryRun.outcome(units.size(), refusals, results, before, DryRun.State.of(w));
    } finally {
      applying = null;
    }
  }

  /**
   * A snapshot, with group commit: snapshots that arrive while another write holds the lock are
   * journaled and applied together in one transaction by whichever of their callers gets the lock
   * first, so concurrent loaders share one commit (one fsync) instead of queueing for one each.
   * Each caller is answered only once its transaction is durable. If the shared transaction fails,
   * nothing of it is stored and each snapshot is applied again on its own, so a refusal stays its
   * own.
   */
  public Governance.IngestResult postSnapshot(Command.PostSnapshot command) {
    long start = System.nanoTime();
    String outcome = CommandListener.FAILED;
    try {
      Governance.IngestResult result = postSnapshotGrouped(command);
      outcome = CommandListener.OK;
      return result;
    } catch (RuntimeException e) {
      outcome = CommandListener.outcomeOf(e);
      throw e;
    } finally {
      heard(command, outcome, System.nanoTime() - start);
    }
  }

  private Governance.IngestResult postSnapshotGrouped(Command.PostSnapshot command) {
    PendingSnapshot mine = new PendingSnapshot(command, new CompletableFuture<>());
    pendingSnapshots.add(mine);
    lock.lock();
    try {
      refuseNesting(command);
      while (!mine.result().isDone()) {
        List<PendingSnapshot> group = new ArrayList<>();
        for (PendingSnapshot p;
            group.size() < MAX_GROUP && (p = pendingSnapshots.poll()) != null; ) {
          group.add(p);
        }
        commitGroup(group);
      }
    } finally {
      lock.unlock();
    }
    try {
      return mine.result().join();
    } catch (CompletionException e) {
      throw e.getCause() instanceof RuntimeException r ? r : e;
    }
  }

  private record PendingSnapshot(
      Command.PostSnapshot command, CompletableFuture<Governance.IngestResult> result) {}

  private void commitGroup(List<PendingSnapshot> group) {
    List<InputJournal.Entry> entries =
        journal(group.stream().map(PendingSnapshot::command).toList());
    if (group.size() > 1) {
      try {
        List<Governance.IngestResult> results =
            apply(group.stream().map(PendingSnapshot::command).toList(), entries, null);
        for (int i = 0; i < group.size(); i++) {
          group.get(i).result().complete(results.get(i));
        }
        return;
      } catch (RuntimeException e) {
        // each on its own below, so that only the snapshot at fault is refused
      }
    }
    for (int i = 0; i < group.size(); i++) {
      PendingSnapshot p = group.get(i);
      try {
        p.result()
            .complete(
                apply(List.of(p.command()), Collections.singletonList(entries.get(i)), null)
                    .get(0));
      } catch (RuntimeException e) {
        p.result().completeExceptionally(e);
      }
    }
  }

  /**
   * Ends due exceptions and TTLs (the scheduler's tick); journaled only when something is due, so
   * idle ticks cost nothing.
   */
  public Dispositions.ExpiryReport expire() {
    lock.lock();
    try {
      if (!store.read(dispositions::expiriesDue)) {
        return new Dispositions.ExpiryReport(List.of(), List.of());
      }
      return execute(new Command.Expire(SCHEDULER));
    } finally {
      lock.unlock();
    }
  }

  /**
   * Opens the finding of environments not observed for twice their interval and closes those
   * observed again (the scheduler's tick); journaled only when something is due.
   */
  public Observations.ObservationReport checkObservations() {
    lock.lock();
    try {
      if (!store.read(observations::due)) {
        return new Observations.ObservationReport(List.of(), List.of());
      }
      return execute(new Command.CheckObservations(SCHEDULER));
    } finally {
      lock.unlock();
    }
  }

  /** Who the scheduler's commands are journaled as. */
  public static final Caller SCHEDULER = new Caller("scheduler", Set.of());

  /** A trusted in-process caller (the demo, the bench, a loader run on the data folder). */
  public static Caller system(String user) {
    return new Caller(user, Set.of("admin"));
  }

  // ---- shorthands for in-process callers ----

  /** A snapshot from a trusted in-process source, journaled in contract JSON. */
  public Governance.IngestResult ingestSnapshot(Snapshot s, String actor) {
    return execute(new Command.PostSnapshot(s, null, system(actor)));
  }

  /** Snapshots in one transaction (see {@link #executeAll}). */
  public List<Governance.IngestResult> ingestSnapshots(List<Snapshot> batch, String actor) {
    return executeAll(
        batch.stream().map(s -> new Command.PostSnapshot(s, null, system(actor))).toList(), null);
  }

  /** A bundle version from a trusted source: its {@code validated} block is honoured. */
  public Governance.IngestResult ingestBlueprint(Blueprint bp, String actor) {
    return execute(new Command.PostBlueprint(bp, null, null, system(actor), true));
  }

  /** A bundle version from a poster who may ({@code mayValidate}) or may not record validations. */
  public Governance.IngestResult ingestBlueprint(Blueprint bp, String actor, boolean mayValidate) {
    return execute(new Command.PostBlueprint(bp, null, null, system(actor), mayValidate));
  }

  public Governance.IngestResult ingestChangeRequests(List<ChangeRequest> batch, String actor) {
    return execute(new Command.PostChangeRequests(batch, null, system(actor)));
  }

  /** A metric sample without its document: only for a governor that journals nothing. */
  public Governance.IngestResult ingestMetric(MetricSample sample, String actor) {
    return execute(new Command.PostMetric(sample, null, system(actor)));
  }

  // ---- the transaction ----

  /**
   * Applies {@code batch} in one write transaction; once it committed, marks each command's journal
   * entry ({@code entries}, null where nothing was journaled) with the ledger's length after it, so
   * that the journals of several servers on one store replay in commit order.
   */
  private <R> List<R> apply(
      List<? extends Command<R>> batch, List<InputJournal.Entry> entries, IntConsumer progress) {
    Thread me = Thread.currentThread();
    applying = me;
    List<R> committed;
    long[] ledger = new long[batch.size()];
    try {
      committed =
          store.write(
              w -> {
                List<R> results = new ArrayList<>(batch.size());
                for (Command<R> c : batch) {
                  results.add(c.apply(this, w));
                  if (journal != null) {
                    ledger[results.size() - 1] = w.auditCount(); // of the attempt that commits
                  }
                  if (progress != null) {
                    progress.accept(results.size());
                  }
                }
                return results;
              });
    } finally {
      applying = null;
    }
    for (int i = 0; i < batch.size(); i++) {
      if (entries.get(i) != null) {
        journal.committed(entries.get(i).seq(), ledger[i]);
      }
    }
    for (int i = 0; i < batch.size(); i++) {
      for (var l : listeners) {
        try {
          l.accept(batch.get(i), committed.get(i));
        } catch (RuntimeException e) {
          // the write is durable: a failing listener must not make it look refused
          org.slf4j.LoggerFactory.getLogger(Governor.class).warn("command listener failed", e);
        }
      }
    }
    return committed;
  }

  /** Tells the listener; a listener that throws must not turn a stored command into a failure. */
  private void heard(Command<?> command, String outcome, long nanos) {
    try {
      listener.onCommand(CommandListener.kindOf(command), outcome, nanos);
    } catch (RuntimeException e) {
      // the command's answer stands; a metrics failure is not the caller's
    }
  }

  private void refuseNesting(Command<?> command) {
    if (applying == Thread.currentThread()) {
      throw new IllegalStateException(
          command.getClass().getSimpleName()
              + " issued while another command is applied: a command may not run another");
    }
  }

  /** Journals the command; returns its entry, or null when nothing was journaled. */
  private InputJournal.Entry journal(Command<?> command) {
    return journal(List.of(command)).get(0);
  }

  /**
   * Journals commands durably, in order, with one force of the journal's index: their entries, null
   * for a command that is not journaled (or for all, when nothing is).
   */
  private List<InputJournal.Entry> journal(List<? extends Command<?>> commands) {
    List<InputJournal.Entry> entries = new ArrayList<>(Collections.nCopies(commands.size(), null));
    if (journal == null) {
      return entries;
    }
    List<InputJournal.Input> inputs = new ArrayList<>();
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < commands.size(); i++) {
      Command<?> command = commands.get(i);
      Command.Journaled j = command.journaled();
      if (j != null) {
        Caller c = command.caller();
        inputs.add(
            new InputJournal.Input(
                clock.instant(),
                c.user(),
                String.join(",", new TreeSet<>(c.roles())),
                j.kind(),
                j.contentType(),
                j.body()));
        at.add(i);
      }
    }
    if (!inputs.isEmpty()) {
      List<InputJournal.Entry> written = journal.appendAll(inputs);
      for (int k = 0; k < written.size(); k++) {
        entries.set(at.get(k), written.get(k));
      }
    }
    return entries;
  }
}
