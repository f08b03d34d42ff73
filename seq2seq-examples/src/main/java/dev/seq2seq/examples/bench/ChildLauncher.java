package dev.seq2seq.examples.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Runs a {@link RunSpec} in a fresh child JVM and collects its {@link RunResult}.
 *
 * <p>The child uses this JVM's {@code java} ({@code java.home}), class path and JVM flags (minus a
 * debugger agent, whose port would clash), plus {@code --add-modules jdk.incubator.vector} if the
 * flags lack it, so that the ejml backend picks its Vector API GEMM in the child as
 * {@code bin/seq2seq} does. {@code TF_CPP_MIN_LOG_LEVEL} defaults to 2. The child's stderr is
 * forwarded line by line to {@code log}; its result is the stdout line starting with
 * {@link BenchChild#RESULT_PREFIX}.
 */
public final class ChildLauncher {
  private static final String VECTOR_MODULE = "jdk.incubator.vector";

  private ChildLauncher() {}

  /** The child's command line for {@code spec}. */
  static List<String> command(RunSpec spec) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(childFlags());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(BenchChild.class.getName());
    command.add(BenchChild.toJson(spec));
    return command;
  }

  /** The JVM flags every child gets: this JVM's, without a debugger agent, with the vector module. */
  public static List<String> childFlags() {
    return childFlags(ManagementFactory.getRuntimeMXBean().getInputArguments());
  }

  /** {@code parentFlags} as the child gets them: without a debugger agent, with the vector module. */
  static List<String> childFlags(List<String> parentFlags) {
    List<String> flags = new ArrayList<>();
    boolean vector = false;
    for (String flag : parentFlags) {
      if (flag.startsWith("-agentlib:jdwp") || flag.startsWith("-Xrunjdwp")) {
        continue;
      }
      vector |= flag.contains(VECTOR_MODULE);
      flags.add(flag);
    }
    if (!vector) {
      flags.add("--add-modules");
      flags.add(VECTOR_MODULE);
    }
    return flags;
  }

  /** Runs {@code spec} in a child JVM; a child that fails or prints no result gives a failed result. */
  public static RunResult run(RunSpec spec, PrintWriter log) {
    ProcessBuilder builder = new ProcessBuilder(command(spec));
    builder.environment().putIfAbsent("TF_CPP_MIN_LOG_LEVEL", "2");
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      return RunResult.failed(spec, "cannot start a child JVM: " + e.getMessage());
    }
    Deque<String> lastErrors = new ArrayDeque<>();
    Thread errors = new Thread(() -> forward(process, log, lastErrors), "bench-child-stderr");
    errors.setDaemon(true);
    errors.start();
    RunResult result = null;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line = out.readLine(); line != null; line = out.readLine()) {
        if (line.startsWith(BenchChild.RESULT_PREFIX)) {
          result = BenchChild.parseResult(line.substring(BenchChild.RESULT_PREFIX.length()));
        } else {
          log.println("  | " + line);
          log.flush();
        }
      }
      int status = process.waitFor();
      errors.join();
      if (result == null) {
        String last;
        synchronized (lastErrors) {
          last = lastErrors.isEmpty() ? "no output" : lastErrors.getLast();
        }
        return RunResult.failed(spec, "the child JVM exited with status " + status + " and no result: " + last);
      }
      return result;
    } catch (IOException e) {
      throw new UncheckedIOException("bench: reading the child JVM's output", e);
    } catch (InterruptedException e) {
      process.destroy();
      Thread.currentThread().interrupt();
      return RunResult.failed(spec, "interrupted");
    }
  }

  private static void forward(Process process, PrintWriter log, Deque<String> lastErrors) {
    try (BufferedReader err = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      for (String line = err.readLine(); line != null; line = err.readLine()) {
        synchronized (lastErrors) {
          lastErrors.addLast(line);
          if (lastErrors.size() > 5) {
            lastErrors.removeFirst();
          }
        }
        synchronized (log) {
          log.println("  | " + line);
          log.flush();
        }
      }
    } catch (IOException e) {
      // the child is gone; what it printed has been forwarded
    }
  }
}
