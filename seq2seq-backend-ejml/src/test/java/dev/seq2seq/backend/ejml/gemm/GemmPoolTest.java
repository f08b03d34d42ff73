package dev.seq2seq.backend.ejml.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The spinning GEMM workers: failures reach the caller, busy workers refuse shares, the spin knob. */
class GemmPoolTest {

  @Test
  void aShareThatThrowsRethrowsInTheCaller() {
    GemmPool.Share share = GemmPool.offer(() -> {
      throw new IllegalArgumentException("boom");
    });
    if (share == null) { // a one-processor machine has no worker
      assertThat(GemmPool.SIZE).isEqualTo(1);
      return;
    }
    assertThatThrownBy(share::await).isInstanceOf(IllegalArgumentException.class).hasMessage("boom");
  }

  @Test
  void aBusyWorkerRefusesASecondShare() throws Exception {
    Object gate = new Object();
    boolean[] open = {false};
    List<GemmPool.Share> taken = new ArrayList<>();
    Runnable blocked = () -> {
      synchronized (gate) {
        while (!open[0]) {
          try {
            gate.wait();
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
          }
        }
      }
    };
    for (int i = 0; i < GemmPool.SIZE - 1; i++) {
      GemmPool.Share s = GemmPool.offer(blocked);
      assertThat(s).as("worker %s is idle", i).isNotNull();
      taken.add(s);
    }
    assertThat(GemmPool.offer(() -> { })).as("every worker is busy: the caller must run the share").isNull();
    synchronized (gate) {
      open[0] = true;
      gate.notifyAll();
    }
    taken.forEach(GemmPool.Share::await);
  }

  @Test
  void productsFromTwoThreadsAtOnceAreRight() throws Exception {
    FloatGemm two = FloatGemms.vector(2);
    int m = 96;
    int n = 160;
    int k = 200;
    Random rnd = new Random(3);
    float[] a = VectorGemmTest.random(rnd, m * k);
    float[] b = VectorGemmTest.random(rnd, k * n);
    float[] expected = new float[m * n];
    FloatGemms.vector(1).multiply(false, false, m, n, k, a, 0, b, 0, expected, 0);
    ExecutorService callers = Executors.newFixedThreadPool(2);
    try {
      List<Future<float[]>> results = new ArrayList<>();
      for (int t = 0; t < 2; t++) {
        results.add(callers.submit(() -> {
          float[] c = new float[m * n];
          for (int r = 0; r < 200; r++) {
            two.multiply(false, false, m, n, k, a, 0, b, 0, c, 0);
          }
          return c;
        }));
      }
      for (Future<float[]> f : results) {
        assertThat(f.get()).containsExactly(expected);
      }
    } finally {
      callers.shutdownNow();
    }
  }

  @Test
  void theSpinTimeComesFromThePropertyInMicroseconds() {
    assertThat(GemmPool.spinNanos(null)).isEqualTo(1_000_000);
    assertThat(GemmPool.spinNanos("250")).isEqualTo(250_000);
    assertThat(GemmPool.spinNanos("0")).isZero();
    assertThatThrownBy(() -> GemmPool.spinNanos("soon"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(GemmPool.SPIN_PROPERTY + "=soon");
  }
}
