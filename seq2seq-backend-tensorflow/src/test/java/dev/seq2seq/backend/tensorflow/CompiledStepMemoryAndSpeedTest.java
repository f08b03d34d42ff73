package dev.seq2seq.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.compile.CompiledStep;
import dev.seq2seq.api.compile.Steps;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * Thousands of compiled training steps keep native memory flat, and the time per step compiled vs
 * eager is printed (not asserted).
 */
class CompiledStepMemoryAndSpeedTest {
  private static final int VOCAB = 50;
  private static final int EMBED = 32;
  private static final int HIDDEN = 64;
  private static final int CLASSES = 10;
  private static final int BATCH = 16;

  @Test
  void threeThousandCompiledStepsKeepTheResidentSetFlat() throws IOException {
    TensorFlowBackend backend = TfTestSupport.backend();
    CompiledStepTest.Model model = new CompiledStepTest.Model(backend, 1, VOCAB, EMBED, HIDDEN, CLASSES);
    List<List<Tensor>> batches = batches(backend, 8);
    int steps = 3000;
    try (CompiledStep step = backend.compile("train_step", model.parameters(), model.trainStep(0.05))) {
      for (int i = 0; i < 300; i++) { // warm-up: trace, session, allocator pools, JIT
        runOne(step, batches.get(i % batches.size()));
      }
      System.gc();
      long before = rssKb();
      long liveBefore = Pointer.totalCount();
      double loss = 0;
      for (int i = 0; i < steps; i++) {
        loss = runOne(step, batches.get(i % batches.size()));
      }
      long liveAfter = Pointer.totalCount();
      long after = rssKb();
      System.out.printf("[tensorflow] compiled steps: %d steps, VmRSS %d MB before, %d MB after (%+d KB); "
              + "live native objects %d before, %d after; last loss %.4f%n",
          steps, before / 1024, after / 1024, after - before, liveBefore, liveAfter, loss);
      assertThat(liveAfter).as("native objects left alive by %d compiled steps", steps).isLessThanOrEqualTo(liveBefore + 16);
      assertThat(after - before).as("RSS growth in KB over %d compiled steps", steps).isLessThan(64 * 1024);
    }
  }

  @Test
  void printsMicrosecondsPerStepCompiledAndEager() {
    TensorFlowBackend backend = TfTestSupport.backend();
    List<List<Tensor>> batches = batches(backend, 8);
    CompiledStepTest.Model compiledModel = new CompiledStepTest.Model(backend, 4, VOCAB, EMBED, HIDDEN, CLASSES);
    CompiledStepTest.Model eagerModel = new CompiledStepTest.Model(backend, 4, VOCAB, EMBED, HIDDEN, CLASSES);
    try (CompiledStep compiled = backend.compile("train_step", compiledModel.parameters(), compiledModel.trainStep(0.05))) {
      CompiledStep eager = Steps.eager(eagerModel.trainStep(0.05));
      long traceStart = System.nanoTime();
      runOne(compiled, batches.get(0));
      double firstMs = (System.nanoTime() - traceStart) / 1e6;
      double compiledUs = medianMicros(compiled, batches);
      double eagerUs = medianMicros(eager, batches);
      System.out.printf("[tensorflow] train step (embedding %dx%d, tanh %d, softmax %d, batch %d): first compiled run "
              + "(trace + session) %.1f ms; median per step: compiled %.0f us, eager %.0f us (%.1fx)%n",
          VOCAB, EMBED, HIDDEN, CLASSES, BATCH, firstMs, compiledUs, eagerUs, eagerUs / compiledUs);
    }
  }

  private static double medianMicros(CompiledStep step, List<List<Tensor>> batches) {
    for (int i = 0; i < 100; i++) {
      runOne(step, batches.get(i % batches.size()));
    }
    double[] us = new double[200];
    for (int i = 0; i < us.length; i++) {
      long t0 = System.nanoTime();
      runOne(step, batches.get(i % batches.size()));
      us[i] = (System.nanoTime() - t0) / 1e3;
    }
    Arrays.sort(us);
    return us[us.length / 2];
  }

  private static double runOne(CompiledStep step, List<Tensor> batch) {
    try (TensorScope scope = TensorScope.open()) {
      return step.run(batch).get(0).item();
    }
  }

  private static List<List<Tensor>> batches(TensorFlowBackend backend, int n) {
    Random r = new Random(5);
    List<List<Tensor>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(CompiledStepTest.batch(backend, r, BATCH, VOCAB, CLASSES));
    }
    return out;
  }

  private static long rssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }
}
