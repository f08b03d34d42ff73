package dev.seq2seq.examples.bench;

import com.google.gson.Gson;
import java.io.PrintStream;

/**
 * The entry point of a benchmark child JVM: runs one {@link RunSpec} (given as JSON, the only
 * argument) with {@link BenchRunner}, adds this JVM's memory peaks, and prints the {@link RunResult}
 * as one JSON line prefixed by {@link #RESULT_PREFIX} on stdout. Progress goes to stderr. Exit
 * status 0 on success; on failure the line carries the error and the status is 1.
 */
public final class BenchChild {
  /** Marks the result line among anything else a library may print on stdout. */
  public static final String RESULT_PREFIX = "seq2seq-bench-result ";

  private static final Gson GSON = new Gson();

  private BenchChild() {}

  /** Runs the spec in {@code args[0]} (JSON). */
  public static void main(String[] args) {
    PrintStream out = System.out;
    if (args.length != 1) {
      System.err.println("bench child: expected one argument, a run spec as JSON");
      System.exit(2);
    }
    PeakMemory.track();
    RunSpec spec = GSON.fromJson(args[0], RunSpec.class);
    RunResult result;
    try {
      result = BenchRunner.run(spec, System.err);
    } catch (RuntimeException | Error e) {
      e.printStackTrace(); // stderr is the child's log, forwarded by the parent; the result line carries the message
      result = RunResult.failed(spec, e.getMessage() == null ? e.getClass().getName() : e.getMessage());
    }
    result = result.withMemory(PeakMemory.peakRssMiB(), PeakMemory.peakHeapMiB(), PeakMemory.peakHeapAfterGcMiB());
    out.println(RESULT_PREFIX + GSON.toJson(result));
    out.flush();
    System.exit(result.succeeded() ? 0 : 1);
  }

  /** The JSON of a spec, as the child expects it. */
  static String toJson(RunSpec spec) {
    return GSON.toJson(spec);
  }

  /** Parses a result line's JSON (after the prefix). */
  static RunResult parseResult(String json) {
    return GSON.fromJson(json, RunResult.class);
  }
}
