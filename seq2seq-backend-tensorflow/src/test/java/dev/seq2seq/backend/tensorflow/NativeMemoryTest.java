package dev.seq2seq.backend.tensorflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.Shape;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * Native memory is released when tensors are closed, not when the GC runs.
 *
 * <p>Two measures: JavaCPP's count of live native objects with a deallocator (every tensor handle,
 * op and host tensor the backend creates has one) must return exactly to its starting value, and
 * the resident set must stay flat over 20,000 kernel calls on 256x256 float32 tensors (256 KB per
 * result, 5 GB in total). Read-backs are rare so that Java heap growth does not blur the RSS.
 */
class NativeMemoryTest {
  private static final int CALLS = 20_000;

  @Test
  void twentyThousandKernelCallsKeepTheResidentSetFlat() throws IOException {
    TensorFlowBackend backend = TfTestSupport.backend();
    float[] data = new float[256 * 256];
    for (int i = 0; i < data.length; i++) {
      data[i] = i * 1e-3f;
    }
    Shape shape = Shape.of(256, 256);
    try (RawTensor a = backend.fromFloats(data, shape); RawTensor b = backend.fromFloats(data, shape)) {
      for (int i = 0; i < 1000; i++) { // warm-up: kernels, allocator pools, thread-local buffers, JIT
        runOne(backend, a, b, i);
      }
      long before = rssKb();
      long liveBefore = Pointer.totalCount();
      long start = System.nanoTime();
      for (int i = 0; i < CALLS; i++) {
        runOne(backend, a, b, i);
      }
      double micros = (System.nanoTime() - start) / 1e3 / CALLS;
      long liveAfter = Pointer.totalCount();
      long after = rssKb();
      Runtime rt = Runtime.getRuntime();
      System.out.printf("[tensorflow] native memory over %d kernel calls (256x256 float32, %.1f us per call): "
              + "VmRSS %d MB before, %d MB after (%+d MB); live native objects %d before, %d after; "
              + "Java heap committed %d MB%n",
          CALLS, micros, before / 1024, after / 1024, (after - before) / 1024, liveBefore, liveAfter,
          rt.totalMemory() >> 20);
      // A leak would add at least one object per call; the count can only drop if the GC meanwhile
      // reclaims tensors that other tests never closed (the conformance kit does not close tensors).
      assertThat(liveAfter).as("native objects left alive by %d kernel calls", CALLS).isLessThanOrEqualTo(liveBefore);
      assertThat(after - before).as("RSS growth in KB over %d kernel calls", CALLS).isLessThan(200 * 1024);
    }
  }

  @Test
  void everyKernelFreesItsIntermediatesOnSuccessAndFailure() {
    TensorFlowBackend backend = TfTestSupport.backend();
    try (RawTensor x = backend.fromDoubles(new double[] {1, 2, 3, 4, 5, 6}, Shape.of(2, 3));
        RawTensor ids = backend.fromInts(new int[] {1, 0, 1}, Shape.of(3))) {
      Runnable[] kernels = {
        () -> backend.softmax(x, 0).close(),
        () -> backend.logSoftmax(x, 1).close(),
        () -> backend.binary(Op.EQUAL, x, x).close(),
        () -> backend.where(ids, x, x).close(),
        () -> backend.scatterAdd(ids, x, 1, Shape.of(2, 2)).close(),
        () -> backend.gather(x, ids, 1).close(),
        () -> backend.pad(x, new int[] {1, 1}, new int[] {0, 2}).close(),
        () -> {
          for (RawTensor t : backend.topK(x, 2)) {
            t.close();
          }
        },
      };
      for (Runnable k : kernels) {
        k.run(); // first call allocates this thread's reusable buffers
      }
      try (RawTensor bad = backend.fromInts(new int[] {9}, Shape.of(1))) {
        long live = Pointer.totalCount();
        for (int round = 0; round < 50; round++) {
          for (Runnable k : kernels) {
            k.run();
          }
          assertThatThrownBy(() -> backend.gather(x, bad, 0)).isInstanceOf(IllegalArgumentException.class);
          assertThatThrownBy(() -> backend.concat(List.of(x, bad), 0)).isInstanceOf(RuntimeException.class);
        }
        assertThat(Pointer.totalCount()).as("live native objects after 500 kernel calls, 100 of them failed")
            .isLessThanOrEqualTo(live);
      }
    }
  }

  /** One kernel call (mostly add, some composite kernels), its result closed at once. */
  private static void runOne(TensorFlowBackend backend, RawTensor a, RawTensor b, int i) {
    RawTensor r;
    switch (i % 8) {
      case 0:
        r = backend.softmax(a, 0); // two transposes and a softmax inside one kernel
        break;
      case 1:
        r = backend.matmul(a, b, false, true);
        break;
      default:
        r = backend.binary(Op.ADD, a, b);
    }
    try (r) {
      if (i % 256 == 0) {
        r.toFloatArray();
      }
    }
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
