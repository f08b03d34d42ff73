package dev.seq2seq.backend.tensorflow;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteBuffer;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewBuffer;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewBufferFromString;

import java.io.PrintStream;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.bytedeco.javacpp.BytePointer;
import org.tensorflow.internal.c_api.TF_Buffer;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;

/**
 * Opt-in timing of compiled steps by op type, for finding where a step's time goes inside
 * {@code TF_SessionRun}: with {@code -D}{@value #PROPERTY}{@code =true} every run of a compiled step
 * is traced ({@code RunOptions.trace_level = FULL_TRACE}) and the run metadata's per-node times are
 * summed by op type; the table goes to stderr when the JVM exits.
 *
 * <p>An op's time is its kernel's compute time ({@code op_end_rel_micros - op_start_rel_micros});
 * ops of one step run on several inter-op threads, so the times may add up to more than the wall
 * time, which is printed beside them. Tracing itself slows a step: read the shares, not the totals.
 */
final class RunProfile {
  /** The system property that turns tracing on. */
  static final String PROPERTY = "seq2seq.tensorflow.profile";

  private static final RunProfile INSTANCE = Boolean.getBoolean(PROPERTY) ? printedAtExit() : null;

  private final Map<String, Step> steps = new ConcurrentHashMap<>();
  private final byte[] traceOptions = RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build().toByteArray();

  /** An empty profile; {@link #active()} is the one runs report to. */
  RunProfile() {}

  private static RunProfile printedAtExit() {
    RunProfile profile = new RunProfile();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> profile.print(System.err), "seq2seq-tensorflow-profile"));
    return profile;
  }

  /** The profile when {@value #PROPERTY} is set, else {@code null} (runs are not traced). */
  static RunProfile active() {
    return INSTANCE;
  }

  /** The {@code RunOptions} buffer asking for a full trace; the caller deletes it. */
  TF_Buffer newOptions() {
    BytePointer bytes = new BytePointer(traceOptions);
    try {
      return TF_NewBufferFromString(bytes, traceOptions.length);
    } finally {
      bytes.deallocate();
    }
  }

  /** An empty buffer for the run metadata; the caller hands it to {@link #record}. */
  TF_Buffer newMetadata() {
    return TF_NewBuffer();
  }

  /** The op times of one compiled step's runs. */
  private static final class Step {
    final Map<String, long[]> byOpType = new ConcurrentHashMap<>(); // {count, micros}
    final AtomicLong runs = new AtomicLong();
    final AtomicLong wallMicros = new AtomicLong();
  }

  /** Adds one run of compiled step {@code stepName}: its metadata (then deletes the buffer) and its wall time. */
  void record(String stepName, TF_Buffer metadata, long wallNanos) {
    Step step = steps.computeIfAbsent(stepName, x -> new Step());
    try {
      byte[] bytes = new byte[Math.toIntExact(metadata.length())];
      if (bytes.length == 0) {
        return;
      }
      new BytePointer(metadata.data()).capacity(bytes.length).get(bytes);
      for (DeviceStepStats device : RunMetadata.parseFrom(bytes).getStepStats().getDevStatsList()) {
        for (NodeExecStats node : device.getNodeStatsList()) {
          long[] s = step.byOpType.computeIfAbsent(opType(node), x -> new long[2]);
          synchronized (s) {
            s[0]++;
            s[1] += node.getOpEndRelMicros() - node.getOpStartRelMicros();
          }
        }
      }
      step.runs.incrementAndGet();
      step.wallMicros.addAndGet(wallNanos / 1000);
    } catch (com.google.protobuf.InvalidProtocolBufferException e) {
      throw new IllegalStateException("tensorflow: cannot read a run's metadata", e);
    } finally {
      TF_DeleteBuffer(metadata);
    }
  }

  /** The op type from the timeline label {@code "name = OpType(inputs)"}, else the node name. */
  private static String opType(NodeExecStats node) {
    String label = node.getTimelineLabel();
    int eq = label.indexOf(" = ");
    int paren = label.indexOf('(', eq + 3);
    return eq >= 0 && paren > eq ? label.substring(eq + 3, paren) : node.getNodeName();
  }

  /** Prints, per compiled step, the op types by total time per run. */
  void print(PrintStream out) {
    steps.forEach((name, step) -> {
      long n = step.runs.get();
      long total = step.byOpType.values().stream().mapToLong(s -> s[1]).sum();
      out.printf(Locale.ROOT, "tensorflow profile of '%s': %d traced runs, %.1f ms wall and %.1f ms in op kernels per run;"
          + " op type, ops per run, ms per run, share of op time%n", name, n, step.wallMicros.get() / 1e3 / n, total / 1e3 / n);
      step.byOpType.entrySet().stream().sorted(Comparator.comparingLong(e -> -e.getValue()[1])).limit(25).forEach(e -> {
        long[] s = e.getValue();
        out.printf(Locale.ROOT, "  %-28s %8.1f %8.2f %6.1f%%%n", e.getKey(), (double) s[0] / n, s[1] / 1e3 / n, 100.0 * s[1] / total);
      });
    });
  }
}
