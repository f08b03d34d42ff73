package dev.seq2seq.benchmarks;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * Two builds of the project trained side by side in one JVM, one step each in turn: the fairest
 * comparison of a change on a host whose speed drifts by tens of percent within minutes (separate
 * processes, even interleaved, then differ more than most changes do). Each build's benchmarks jar
 * is loaded by its own class loader, so each has its own classes, array pool and GEMM threads; the
 * order alternates every step. Prints both medians and the median and quartiles of the per-step
 * ratios B / A (by this method a build against itself gave 1.002, quartiles 0.975-1.031, over 60
 * steps of (b)).
 *
 * <pre>java --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp benchmarks.jar \
 *     dev.seq2seq.benchmarks.InterleavedTrainingMain A.jar B.jar CONFIG [WARMUP] [STEPS] [CYCLE]</pre>
 *
 * <p>{@code CONFIG} is a, b or c; {@code WARMUP} (default 100) and {@code STEPS} (default 60) count
 * the steps of each build; {@code CYCLE} (default 0, fresh batches) repeats that many batches as
 * {@code seq2seq bench} does. Both jars must contain {@link TrainingStepper}.
 */
public final class InterleavedTrainingMain {
  private InterleavedTrainingMain() {}

  public static void main(String[] args) throws Exception {
    if (args.length < 3) {
      System.err.println("usage: InterleavedTrainingMain A.jar B.jar CONFIG [WARMUP] [STEPS] [CYCLE]");
      System.exit(2);
    }
    String config = args[2];
    int warmup = args.length > 3 ? Integer.parseInt(args[3]) : 100;
    int steps = args.length > 4 ? Integer.parseInt(args[4]) : 60;
    int cycle = args.length > 5 ? Integer.parseInt(args[5]) : 0;
    Build[] builds = {new Build(Path.of(args[0]), config, cycle), new Build(Path.of(args[1]), config, cycle)};
    double[][] rates = new double[2][steps];
    double[] ratios = new double[steps];
    for (int i = -warmup; i < steps; i++) {
      for (int turn = 0; turn < 2; turn++) {
        int b = turn ^ (i & 1); // A first on even steps, B first on odd ones
        double rate = TrainingStepper.targetTokensPerStep() / builds[b].stepSeconds();
        if (i >= 0) {
          rates[b][i] = rate;
        }
      }
      if (i >= 0) {
        ratios[i] = rates[1][i] / rates[0][i];
      }
    }
    System.out.printf(Locale.ROOT, "config %s, %d steps of each build after %d warm-up, %s batches:%n", config, steps, warmup,
        cycle == 0 ? "fresh" : cycle + " cycled");
    System.out.printf(Locale.ROOT, "  A %s: median %.0f target tokens/s%n", args[0], quantile(rates[0], 0.5));
    System.out.printf(Locale.ROOT, "  B %s: median %.0f target tokens/s%n", args[1], quantile(rates[1], 0.5));
    System.out.printf(Locale.ROOT, "  B / A per step: median %.3f, quartiles %.3f-%.3f%n", quantile(ratios, 0.5), quantile(ratios, 0.25),
        quantile(ratios, 0.75));
    System.exit(0); // the builds' GEMM threads are daemons, but their pools may still be spinning
  }

  /** The value at fraction {@code q} of the sorted {@code values} (the nearest rank below). */
  static double quantile(double[] values, double q) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[(int) Math.floor(q * (sorted.length - 1))];
  }

  /** One build's {@link TrainingStepper}, from its own class loader. */
  private static final class Build {
    private final Object stepper;
    private final Method step;

    Build(Path jar, String config, int cycle) throws Exception {
      if (!Files.isRegularFile(jar)) {
        throw new IllegalArgumentException("no such jar: " + jar + " (expected a build's benchmarks.jar)");
      }
      ClassLoader loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, ClassLoader.getPlatformClassLoader());
      Class<?> type;
      try {
        type = loader.loadClass(TrainingStepper.class.getName());
      } catch (ClassNotFoundException e) {
        throw new IllegalArgumentException(jar + " has no " + TrainingStepper.class.getName() + " (a build from before it existed?)", e);
      }
      Constructor<?> constructor = type.getConstructor(String.class, int.class);
      this.stepper = constructor.newInstance(config, cycle);
      this.step = type.getMethod("stepSeconds");
    }

    double stepSeconds() throws Exception {
      try {
        return (double) step.invoke(stepper);
      } catch (InvocationTargetException e) {
        throw e.getCause() instanceof Exception ? (Exception) e.getCause() : e;
      }
    }
  }
}
