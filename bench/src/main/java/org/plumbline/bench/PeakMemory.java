package org.plumbline.bench;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The run's peak memory: the heap pools' peaks and, on Linux, the peak resident set, in all and
 * split into memory of its own (anonymous: heap, native, stacks) and mapped files (TDB2's
 * memory-mapped store files and the jars), sampled every 200 ms (issue 21).
 */
final class PeakMemory {
  private static final AtomicLong PEAK_ANON = new AtomicLong();
  private static final AtomicLong PEAK_FILE = new AtomicLong();
  private static final AtomicLong PEAK_AFTER_GC = new AtomicLong();
  private static final AtomicLong PEAK_AFTER_FULL_GC = new AtomicLong();

  private static final java.util.Set<String> HEAP_POOLS =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(java.util.stream.Collectors.toSet());

  private PeakMemory() {}

  /**
   * Starts sampling the resident set's parts (a daemon thread, until the process ends) and
   * listening to the collector: the heap in use just after each collection is what the run needed
   * at that moment, its garbage gone (old garbage that only a concurrent cycle frees included).
   */
  static void start() {
    for (java.lang.management.GarbageCollectorMXBean gc :
        ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof javax.management.NotificationEmitter emitter) {
        emitter.addNotificationListener(PeakMemory::collected, null, null);
      }
    }
    Thread sampler =
        new Thread(
            () -> {
              while (true) {
                sample();
                try {
                  Thread.sleep(200);
                } catch (InterruptedException e) {
                  return;
                }
              }
            },
            "bench-rss-sampler");
    sampler.setDaemon(true);
    sampler.start();
  }

  static void record(ObjectNode result) {
    sample();
    long heap = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        heap += pool.getPeakUsage().getUsed();
      }
    }
    ObjectNode m = result.putObject("memory");
    m.put("peak_heap_bytes", heap);
    m.put("peak_heap_what", "sum of the heap pools' peaks (an upper bound, garbage included)");
    m.put("peak_heap_after_gc_bytes", PEAK_AFTER_GC.get());
    m.put("peak_heap_after_major_gc_bytes", PEAK_AFTER_FULL_GC.get());
    m.put(
        "heap_after_gc_what",
        "the most heap in use just after a collection: what the run held live, plus old garbage"
            + " a young collection leaves; after major: after full collections only (0 if none)");
    m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
    long rss = status("VmHWM:");
    if (rss > 0) {
      m.put("peak_rss_bytes", rss);
    }
    if (PEAK_ANON.get() > 0) {
      m.put("peak_rss_anon_bytes", PEAK_ANON.get());
      m.put("peak_rss_file_bytes", PEAK_FILE.get());
      m.put(
          "rss_what",
          "peak_rss_bytes: the kernel's peak resident set (VmHWM); anon: without mapped files"
              + " (heap, native memory, stacks); file: mapped files resident (TDB2's store files,"
              + " jars); both sampled every 200 ms");
    }
  }

  private static void collected(javax.management.Notification n, Object handback) {
    if (!com.sun.management.GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION
        .equals(n.getType())) {
      return;
    }
    com.sun.management.GarbageCollectionNotificationInfo info =
        com.sun.management.GarbageCollectionNotificationInfo.from(
            (javax.management.openmbean.CompositeData) n.getUserData());
    long used = 0;
    for (Map.Entry<String, java.lang.management.MemoryUsage> pool :
        info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
      if (HEAP_POOLS.contains(pool.getKey())) {
        used += pool.getValue().getUsed();
      }
    }
    PEAK_AFTER_GC.accumulateAndGet(used, Math::max);
    if (!info.getGcAction().contains("minor")) {
      PEAK_AFTER_FULL_GC.accumulateAndGet(used, Math::max);
    }
  }

  private static void sample() {
    PEAK_ANON.accumulateAndGet(status("RssAnon:"), Math::max);
    PEAK_FILE.accumulateAndGet(status("RssFile:") + status("RssShmem:"), Math::max);
  }

  /** A size line of Linux's {@code /proc/self/status} in bytes, or 0 if the platform has none. */
  private static long status(String field) {
    try {
      List<String> lines = Files.readAllLines(Path.of("/proc/self/status"));
      for (String l : lines) {
        if (l.startsWith(field)) {
          return Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux: no resident-set figures
    }
    return 0;
  }
}
