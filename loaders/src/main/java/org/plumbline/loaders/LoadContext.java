package org.plumbline.loaders;

import java.time.Instant;
import java.util.Objects;

/**
 * What a file may not say for itself, supplied by whoever loads it ({@code plumbline load}
 * options). Options override what a format only implies (a Kubernetes object's environment label,
 * the newest change in its {@code managedFields}), but never the identity of a record that a
 * document states outright: a Plumbline snapshot's {@code environment} and {@code observedAt}, a
 * ServiceNow change's configuration item and window. See the table per format in docs/loaders.md.
 *
 * @param environment {@code --environment}: the environment of a file that names none, or {@code
 *     null}
 * @param observedAt {@code --observed-at}, or {@code null}
 * @param fallbackEnvironment the environment when neither the option nor the file names one (the
 *     folder a file sits in, {@code DIR/<environment>/file}), or {@code null}
 * @param fallbackObservedAt the instant when neither the option nor the file gives one: the file's
 *     modification time, else now; never {@code null}
 * @param sourceEnvironment {@code --source-environment}: which environment of the source system to
 *     read when a file holds several (LaunchDarkly environment keys), or {@code null}
 * @param mapping the key mapping applied to every snapshot after its secrets are redacted (so
 *     redaction still sees the source names); {@link KeyMapping#NONE} for none
 */
public record LoadContext(
    String environment,
    Instant observedAt,
    String fallbackEnvironment,
    Instant fallbackObservedAt,
    String sourceEnvironment,
    KeyMapping mapping) {

  public LoadContext {
    Objects.requireNonNull(fallbackObservedAt, "fallbackObservedAt");
    mapping = mapping == null ? KeyMapping.NONE : mapping;
  }

  /** No key mapping: every snapshot keeps its source keys. */
  public LoadContext(
      String environment,
      Instant observedAt,
      String fallbackEnvironment,
      Instant fallbackObservedAt,
      String sourceEnvironment) {
    this(
        environment,
        observedAt,
        fallbackEnvironment,
        fallbackObservedAt,
        sourceEnvironment,
        KeyMapping.NONE);
  }

  /** No options: every instant a file lacks is {@code fallbackObservedAt}. */
  public static LoadContext fallingBackTo(Instant fallbackObservedAt) {
    return new LoadContext(null, null, null, fallbackObservedAt, null);
  }

  public LoadContext withEnvironment(String id) {
    return new LoadContext(
        id, observedAt, fallbackEnvironment, fallbackObservedAt, sourceEnvironment, mapping);
  }

  public LoadContext withObservedAt(Instant at) {
    return new LoadContext(
        environment, at, fallbackEnvironment, fallbackObservedAt, sourceEnvironment, mapping);
  }

  public LoadContext withFallbackEnvironment(String id) {
    return new LoadContext(
        environment, observedAt, id, fallbackObservedAt, sourceEnvironment, mapping);
  }

  public LoadContext withSourceEnvironment(String key) {
    return new LoadContext(
        environment, observedAt, fallbackEnvironment, fallbackObservedAt, key, mapping);
  }

  /** The snapshots a file gives have their keys renamed by {@code rules} (a blueprint's map). */
  public LoadContext withMapping(KeyMapping rules) {
    return new LoadContext(
        environment, observedAt, fallbackEnvironment, fallbackObservedAt, sourceEnvironment, rules);
  }

  /**
   * The environment for a file: the option, else what the file implies ({@code fromFile}, may be
   * {@code null}), else the fallback; {@code null} when there is none.
   */
  public String environmentOr(String fromFile) {
    if (environment != null) {
      return environment;
    }
    return fromFile != null ? fromFile : fallbackEnvironment;
  }

  /** The instant for a file: the option, else the file's own ({@code fromFile}), else fallback. */
  public Instant observedAtOr(Instant fromFile) {
    if (observedAt != null) {
      return observedAt;
    }
    return fromFile != null ? fromFile : fallbackObservedAt;
  }
}
