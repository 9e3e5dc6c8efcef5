package org.plumbline.loaders;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.plumbline.ontology.FlatConfig;
import org.plumbline.ontology.PlumblineException;

class ConfigFlatteningTest {

  @ParameterizedTest
  @CsvSource({
    "0.30, 0.3",
    "3e-1, 0.3",
    "3.0E-1, 0.3",
    "1.0, 1",
    "1, 1",
    "-0.0, 0",
    "1E+3, 1000",
    "12345678901234567890123456789, 12345678901234567890123456789"
  })
  void numbersAreCanonical(String literal, String canonical) {
    assertEquals(canonical, ConfigFlattening.canonicalNumber(new BigDecimal(literal)));
  }

  @Test
  void hugeExponentsAreRefusedWithoutBeingWrittenOut() {
    assertThrows(
        IllegalArgumentException.class,
        () -> ConfigFlattening.canonicalNumber(new BigDecimal("1e1000000000")));
  }

  @Test
  void flattensTreesBuiltElsewhere() throws Exception {
    JsonNode tree =
        new ObjectMapper().readTree("{\"a\":{\"b\":[1.5,{\"c\":\"x\"}]},\"d\":null,\"e\":{}}");
    FlatConfig flat = ConfigFlattening.flatten(tree, LoaderError.INVALID_SNAPSHOT);

    assertEquals(
        FlatConfig.of(java.util.Map.of("a.b[0]", "1.5", "a.b[1].c", "\"x\"", "e", "{}")), flat);
  }

  @Test
  void problemsCarryTheCallersCode() throws Exception {
    JsonNode tree = new ObjectMapper().readTree("{\"x\":\"NaN\",\"y\":{\"\":1}}");
    PlumblineException e =
        assertThrows(
            PlumblineException.class,
            () -> ConfigFlattening.flatten(tree, LoaderError.INVALID_BLUEPRINT));
    assertEquals(LoaderError.INVALID_BLUEPRINT, e.code());
    assertEquals(java.util.List.of("/y/: member names must not be empty"), e.details());
  }
}
