package dev.seq2seq.backend.ejml.gemm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The spinning GEMM workers: a failure does not stop a worker, busy workers refuse work, the spin knob. */
class GemmPoolTest {

  @Test
  void workThatThrowsGoesToTheUncaughtHandlerAndTheWorkerCarriesOn() throws Exception {
    if (GemmPool.SIZE == 1) { // a one-processor machine has no worker
      assertThat(GemmPool.offer(() -> { })).isFalse();
      return;
    }
    assertThat(offerWhenIdle(() -> {
      throw new IllegalArgumentException("boom (thrown on purpose by GemmPoolTest)");
    })).isTrue();
    CountDownLatch ranAfter = new CountDownLatch(1);
    assertThat(offerWhenIdle(ranAfter::countDown)).as("the worker takes work again after a failure").isTrue();
    assertThat(ranAfter.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void aBusyWorkerRefusesMoreWork() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Runnable blocked = waitingFor(release);
    try {
      for (int i = 0; i < GemmPool.SIZE - 1; i++) {
        assertThat(offerWhenIdle(blocked)).as("worker %s is idle", i).isTrue();
      }
      assertThat(GemmPool.offer(() -> { })).as("every worker is busy: the caller must run the work").isFalse();
    } finally {
      release.countDown();
    }
  }

  /** Work that blocks its worker until {@code release} opens. */
  static Runnable waitingFor(CountDownLatch release) {
    return () -> {
      try {
        release.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    };
  }

  /** Offers {@code work} until a worker takes it (one may still be finishing earlier work), for up to a second. */
  static boolean offerWhenIdle(Runnable work) {
    for (long deadline = System.nanoTime() + 1_000_000_000L; System.nanoTime() < deadline; ) {
      if (GemmPool.offer(work)) {
        return true;
      }
    }
    return false;
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
    assertThat(GemmPool.spinNanos(Parallel.SPIN_PROPERTY, null, 200_000)).isEqualTo(200_000);
    assertThatThrownBy(() -> GemmPool.spinNanos(Parallel.SPIN_PROPERTY, "-5", 200_000))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(Parallel.SPIN_PROPERTY + "=-5");
  }
}
