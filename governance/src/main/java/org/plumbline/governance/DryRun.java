package org.plumbline.governance;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.plumbline.ontology.Drift;
import org.plumbline.ontology.Environment;
import org.plumbline.ontology.PlumblineException;
import org.plumbline.ontology.StoreReader;

/**
 * What a load would do, found by doing it: the {@link Governor} applies the commands of each unit
 * (one file of a load) exactly as {@link Governor#execute} would, in one write transaction that it
 * then rolls back ({@code GraphStore.rehearse}). So the answer comes from the same governance code
 * as the real ingest (mapping, detection, reconciliation, the rules' assessments), with the write
 * not applied: nothing is journaled, stored or audited, and nobody is told.
 *
 * <p>A unit that is refused is left out and the others are applied again without it, as a real load
 * stores every file but the refused ones; a later unit sees what the earlier ones would have stored
 * (a snapshot of a new environment sees its blueprint).
 */
public final class DryRun {
  private DryRun() {}

  /** One unit's answer: a result per command, or why it would be refused. */
  public record Unit(List<Object> results, PlumblineException refusal) {
    public boolean refused() {
      return refusal != null;
    }
  }

  /**
   * What the load would do: each unit's answer, in the order given; the environments it would
   * register; the drifts that would open (new ones) and those that would close (no longer live).
   */
  public record Outcome(
      List<Unit> units,
      List<String> environmentsRegistered,
      List<Drift> driftsOpened,
      List<Drift> driftsClosed) {}

  /** The refusal of one unit, which aborts the rehearsal so it can run again without it. */
  static final class Refused extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int unit;
    final transient PlumblineException refusal;

    Refused(int unit, PlumblineException cause) {
      super(null, null, false, false);
      this.unit = unit;
      this.refusal = cause;
    }
  }

  /** What the store holds that a load could change: environments and the drifts still live. */
  record State(Set<String> environments, Map<String, Drift> activeDrifts) {
    static State of(StoreReader r) {
      Set<String> environments =
          r.environments().stream()
              .map(Environment::id)
              .collect(Collectors.toCollection(TreeSet::new));
      Map<String, Drift> drifts = new LinkedHashMap<>();
      for (String env : environments) {
        for (Drift d : r.activeDrifts(env)) {
          drifts.put(d.id(), d);
        }
      }
      return new State(environments, drifts);
    }
  }

  /** The outcome of a rehearsal that ran every unit not in {@code refusals}. */
  static Outcome outcome(
      int units,
      Map<Integer, PlumblineException> refusals,
      List<List<Object>> results,
      State before,
      State after) {
    List<Unit> answers = new ArrayList<>();
    int applied = 0;
    for (int i = 0; i < units; i++) {
      answers.add(
          refusals.containsKey(i)
              ? new Unit(List.of(), refusals.get(i))
              : new Unit(results.get(applied++), null));
    }
    List<String> registered =
        after.environments().stream().filter(e -> !before.environments().contains(e)).toList();
    Comparator<Drift> order = Comparator.comparing(Drift::environment).thenComparing(Drift::key);
    List<Drift> opened =
        after.activeDrifts().values().stream()
            .filter(d -> !before.activeDrifts().containsKey(d.id()))
            .sorted(order)
            .toList();
    List<Drift> closed =
        before.activeDrifts().values().stream()
            .filter(d -> !after.activeDrifts().containsKey(d.id()))
            .sorted(order)
            .toList();
    return new Outcome(answers, registered, opened, closed);
  }
}
