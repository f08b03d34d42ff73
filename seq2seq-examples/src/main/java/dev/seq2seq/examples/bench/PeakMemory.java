package dev.seq2seq.examples.bench;

import com.sun.management.GarbageCollectionNotificationInfo;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import javax.management.Notification;
import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

/**
 * This JVM's memory peaks: the resident set and the Java heap.
 *
 * <ul>
 *   <li>Peak RSS: {@code VmHWM} of {@code /proc/self/status} (Linux only). It counts everything the
 *       process touched, native memory such as TensorFlow's included.
 *   <li>Peak heap used: heap use only falls at a collection, so its peak is the largest heap use
 *       just before a collection (from the collectors' notifications, summed over the heap pools)
 *       or now, whichever is larger. Uncollected garbage counts: this is what the heap had to hold.
 *   <li>Peak heap after GC: the largest heap use right after a collection, a bound on live data.
 * </ul>
 *
 * Call {@link #track()} early; collections before it are not seen.
 */
final class PeakMemory {
  private static final double MIB = 1024.0 * 1024.0;
  private static final AtomicLong BEFORE_GC = new AtomicLong();
  private static final AtomicLong AFTER_GC = new AtomicLong();
  private static boolean tracking;

  private PeakMemory() {}

  /** Starts listening to this JVM's collections (once). */
  static synchronized void track() {
    if (tracking) {
      return;
    }
    tracking = true;
    Set<String> heapPools = ManagementFactory.getMemoryPoolMXBeans().stream()
        .filter(p -> p.getType() == MemoryType.HEAP).map(MemoryPoolMXBean::getName).collect(Collectors.toSet());
    for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
      if (gc instanceof NotificationEmitter emitter) {
        emitter.addNotificationListener((Notification n, Object handback) -> {
          if (GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
            var info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData()).getGcInfo();
            BEFORE_GC.accumulateAndGet(heapUsed(info.getMemoryUsageBeforeGc(), heapPools), Math::max);
            AFTER_GC.accumulateAndGet(heapUsed(info.getMemoryUsageAfterGc(), heapPools), Math::max);
          }
        }, null, null);
      }
    }
  }

  private static long heapUsed(Map<String, MemoryUsage> usage, Set<String> heapPools) {
    return usage.entrySet().stream().filter(e -> heapPools.contains(e.getKey())).mapToLong(e -> e.getValue().getUsed()).sum();
  }

  /** Peak heap used in MiB since {@link #track()}: before any collection, or now. */
  static double peakHeapMiB() {
    long now = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    return Math.max(BEFORE_GC.get(), now) / MIB;
  }

  /** The largest heap use right after a collection, in MiB (0 if none happened). */
  static double peakHeapAfterGcMiB() {
    return AFTER_GC.get() / MIB;
  }

  /** Peak resident set size in MiB, or -1 where {@code /proc/self/status} has no {@code VmHWM}. */
  static double peakRssMiB() {
    Path status = Path.of("/proc/self/status");
    try {
      if (Files.isReadable(status)) {
        long kib = parseVmHwmKiB(Files.readString(status));
        return kib < 0 ? -1 : kib / 1024.0;
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** The {@code VmHWM} value in KiB of a {@code /proc/PID/status} text, or -1 if absent. */
  static long parseVmHwmKiB(String status) {
    for (String line : status.split("\n")) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.substring("VmHWM:".length()).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }
}
