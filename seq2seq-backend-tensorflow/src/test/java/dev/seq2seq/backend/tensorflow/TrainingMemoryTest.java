package dev.seq2seq.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.GradMode;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.api.tensor.Tensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * Thousands of eager training steps (forward, backward, SGD update), one {@link TensorScope} per
 * step, keep native memory flat: every intermediate, gradient and replaced parameter value is
 * released when its step's scope closes, not by the garbage collector.
 *
 * <p>Measured by the process's resident set ({@code VmRSS} in {@code /proc/self/status}; the test
 * JVM's heap is fixed and pre-touched by the surefire configuration, so RSS moves with native memory
 * only) and by JavaCPP's count of live native objects.
 */
class TrainingMemoryTest {
  private static final int STEPS = 3_000;

  private static long rssMegabytes() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmRSS:")) {
        return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  @Test
  void memoryStaysFlatOverThousandsOfTrainingSteps() throws IOException {
    Backend tf = Backends.get("tensorflow");
    Rng rng = new Rng(1);
    List<Parameter> params = List.of(
        new Parameter(Tensors.uniform(tf, DType.FLOAT32, Shape.of(64, 128), rng, -0.1, 0.1)),
        new Parameter(Tensors.zeros(tf, DType.FLOAT32, Shape.of(128))),
        new Parameter(Tensors.uniform(tf, DType.FLOAT32, Shape.of(128, 10), rng, -0.1, 0.1)));
    Tensor x = Tensors.uniform(tf, DType.FLOAT32, Shape.of(32, 64), rng, -1, 1);
    Tensor y = Tensors.of(tf, new int[32], 32);
    long rssWarm = 0;
    long liveWarm = 0;
    double firstLoss = 0;
    double lastLoss = 0;
    for (int step = 0; step < STEPS; step++) {
      if (step == 200) {
        rssWarm = rssMegabytes();
        liveWarm = Pointer.totalCount();
      }
      try (TensorScope scope = TensorScope.open()) {
        List<Tensor> values = new ArrayList<>();
        params.forEach(p -> values.add(p.value()));
        Tensor h = x.matmul(values.get(0)).add(values.get(1)).tanh();
        Tensor loss = h.matmul(values.get(2)).logSoftmax(-1).gather(y, 1).mean().neg();
        List<Tensor> grads = Gradients.of(loss, values);
        try (GradMode.Scope ignored = GradMode.disabled()) {
          for (int i = 0; i < params.size(); i++) {
            params.get(i).set(values.get(i).sub(grads.get(i).mul(0.1)));
          }
        }
        lastLoss = loss.item();
        if (step == 0) {
          firstLoss = lastLoss;
        }
      }
    }
    long rssEnd = rssMegabytes();
    long liveEnd = Pointer.totalCount();
    System.out.printf("training memory: %d eager steps, VmRSS %d MB after 200 steps, %d MB after %d (%+d MB); "
        + "live native objects %d -> %d; loss %.4f -> %.4f%n",
        STEPS, rssWarm, rssEnd, STEPS, rssEnd - rssWarm, liveWarm, liveEnd, firstLoss, lastLoss);
    assertThat(lastLoss).as("the model trains").isLessThan(firstLoss);
    assertThat(liveEnd - liveWarm).as("live native objects after %d steps", STEPS).isLessThanOrEqualTo(16);
    assertThat(rssEnd - rssWarm).as("RSS growth over %d steps (MB)", STEPS - 200).isLessThan(64);
  }
}
