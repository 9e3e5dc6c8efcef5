package org.plumbline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

/** The run's peak memory: the heap pools' peaks and, on Linux, the peak resident set. */
final class PeakMemory {
  private PeakMemory() {}

  static void record(ObjectNode result) {
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        heap += pool.getPeakUsage().getUsed();
      }
    }
    ObjectNode m = result.putObject("memory");
    m.put("peak_heap_bytes", heap);
    m.put("peak_heap_what", "sum of the heap pools' peaks (an upper bound)");
    peakRss().ifPresent(rss -> m.put("peak_rss_bytes", rss));
  }

  /** The process's peak resident set (Linux {@code VmHWM}), if the platform tells. */
  private static Optional<Long> peakRss() {
    try (Stream<String> lines = Files.lines(Path.of("/proc/self/status"))) {
      return lines
          .filter(l -> l.startsWith("VmHWM:"))
          .findFirst()
          .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024);
    } catch (IOException | RuntimeException e) {
      return Optional.empty();
    }
  }
}
