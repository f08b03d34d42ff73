package dev.seq2seq.backend.ejml.gemm;

import java.util.function.IntFunction;

/**
 * Work split over the {@link GemmPool} threads: the GEMM's shares, and the backend's large
 * elementwise and row-wise kernels ({@link #forRange}), which otherwise leave the second core idle
 * for about a third of a training step.
 *
 * <p>A split loop computes every index exactly as the whole loop would (each index, or each row,
 * belongs to one range and sees the same operations), so results do not depend on the split; the
 * ranges are fixed by the sizes alone, not by which thread is free.
 */
public final class Parallel {
  /**
   * Fewest indices per range: 32k elements of a float32 kernel take ~10-40 us, against the ~1 us of
   * handing a range to a spinning worker (and tens when it has parked; see {@link GemmPool}).
   */
  public static final int GRAIN = 1 << 15;

  private Parallel() {}

  /** A loop body over indices {@code [from, to)}. */
  @FunctionalInterface
  public interface Range {
    void run(int from, int to);
  }

  /**
   * Runs {@code body} over {@code [0, count)} in contiguous ranges, one per thread, when
   * {@code count * cost} reaches twice {@link #GRAIN} (each range then holds at least {@code GRAIN}
   * of cost), else in one call here. {@code cost} is the work of one index in elements (a row's
   * length for a loop over rows).
   */
  public static void forRange(int count, int cost, Range body) {
    long work = (long) count * Math.max(1, cost);
    int t = (int) Math.min(Math.min(GemmPool.SIZE, count), work / GRAIN);
    if (t <= 1) {
      body.run(0, count);
      return;
    }
    inShares(t, s -> {
      int from = (int) ((long) count * s / t);
      int to = (int) ((long) count * (s + 1) / t);
      return () -> body.run(from, to);
    });
  }

  /**
   * Runs {@code t} shares, {@code share.apply(s)} for {@code s < t}: shares 1 and up handed to idle
   * workers (or run here when every worker is busy with another thread's work), share 0 here; then
   * waits for the handed-out ones whatever fails, since they write into shared arrays.
   */
  static void inShares(int t, IntFunction<Runnable> share) {
    if (t <= 1) {
      share.apply(0).run();
      return;
    }
    GemmPool.Share[] handedOut = new GemmPool.Share[t - 1];
    try {
      for (int s = 1; s < t; s++) {
        Runnable work = share.apply(s);
        handedOut[s - 1] = GemmPool.offer(work);
        if (handedOut[s - 1] == null) {
          work.run();
        }
      }
      share.apply(0).run();
    } finally {
      await(handedOut);
    }
  }

  /** Waits for every share that went to a worker, then rethrows the first failure. */
  private static void await(GemmPool.Share[] shares) {
    Throwable failure = null;
    for (GemmPool.Share s : shares) {
      if (s == null) {
        continue;
      }
      try {
        s.await();
      } catch (RuntimeException | Error e) {
        failure = failure == null ? e : failure;
      }
    }
    if (failure instanceof Error) {
      throw (Error) failure;
    }
    if (failure != null) {
      throw (RuntimeException) failure;
    }
  }
}
