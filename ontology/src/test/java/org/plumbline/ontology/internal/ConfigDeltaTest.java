package org.plumbline.ontology.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.plumbline.ontology.FlatConfig;

class ConfigDeltaTest {

  @Property(tries = 300)
  void theDeltaBetweenTwoConfigurationsTurnsTheFirstIntoTheSecond(
      @ForAll("configs") FlatConfig base, @ForAll("configs") FlatConfig next) {
    ConfigDelta delta = ConfigDelta.between(base, next);
    TreeMap<String, String> rebuilt = new TreeMap<>(base.values());
    ConfigDelta.decode(delta.encode()).applyTo(rebuilt);
    assertEquals(next, new FlatConfig(rebuilt));
  }

  @Property(tries = 300)
  void theDeltaNamesExactlyTheKeysThatDiffer(
      @ForAll("configs") FlatConfig base, @ForAll("configs") FlatConfig next) {
    long differ =
        java.util.stream.Stream.concat(
                base.values().keySet().stream(), next.values().keySet().stream())
            .distinct()
            .filter(k -> !java.util.Objects.equals(base.get(k), next.get(k)))
            .count();
    ConfigDelta delta = ConfigDelta.between(base, next);
    assertEquals(differ, delta.size());
    assertEquals(delta, ConfigDelta.decode(delta.encode()));
  }

  @Example
  void aCorruptDeltaFailsLoudly() {
    assertThrows(IllegalStateException.class, () -> ConfigDelta.decode("{\"set\":{}}"));
    assertThrows(IllegalStateException.class, () -> ConfigDelta.decode("not json"));
  }

  /** Configurations over a small key space, so that two of them share, change and drop keys. */
  @Provide
  Arbitrary<FlatConfig> configs() {
    Arbitrary<String> keys =
        Arbitraries.oneOf(
            Arbitraries.of("a", "b", "c.d", "e[0]", "model.version", "k\u00e9y"),
            Arbitraries.strings().ofMinLength(1).ofMaxLength(6));
    Arbitrary<String> values =
        Arbitraries.oneOf(
            Arbitraries.of("1", "2", "\"x\"", "true", "[]", "{}"),
            Arbitraries.strings().ofMaxLength(8).map(s -> JsonCodec.write(s)));
    return Arbitraries.maps(keys, values)
        .ofMaxSize(12)
        .map(m -> FlatConfig.of(new TreeMap<String, String>((Map<String, String>) m)));
  }
}
