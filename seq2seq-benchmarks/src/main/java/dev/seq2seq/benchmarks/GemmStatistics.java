package dev.seq2seq.benchmarks;

import dev.seq2seq.backend.ejml.gemm.FloatGemm;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A {@link FloatGemm} that delegates and records, per shape and transpose flags, the number of
 * products (and packings of right operands kept for reuse) and the wall time spent in them: where a training step's matrix time goes.
 */
final class GemmStatistics implements FloatGemm {
  private final FloatGemm delegate;
  private final Map<Key, long[]> byShape = new ConcurrentHashMap<>();

  GemmStatistics(FloatGemm delegate) {
    this.delegate = delegate;
  }

  @Override
  public String name() {
    return delegate.name();
  }

  @Override
  public String description() {
    return delegate.description() + " (timed)";
  }

  @Override
  public void multiply(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
    long t0 = System.nanoTime();
    delegate.multiply(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
    record(System.nanoTime() - t0, "", transA, transB, m, n, k);
  }

  @Override
  public void multiplyAdd(boolean transA, boolean transB, int m, int n, int k,
      float[] a, int aOff, float[] b, int bOff, float[] c, int cOff) {
    long t0 = System.nanoTime();
    delegate.multiplyAdd(transA, transB, m, n, k, a, aOff, b, bOff, c, cOff);
    record(System.nanoTime() - t0, " +=", transA, transB, m, n, k);
  }

  @Override
  public int packedRightLength(int k, int n) {
    return delegate.packedRightLength(k, n);
  }

  @Override
  public void packRight(boolean transB, int k, int n, float[] b, int bOff, float[] packed, int packedOff) {
    long t0 = System.nanoTime();
    delegate.packRight(transB, k, n, b, bOff, packed, packedOff);
    record(System.nanoTime() - t0, " pack B", false, transB, 0, n, k);
  }

  @Override
  public void multiplyAddTransposedBlocks(int m, int n, int[] ks, float[][] as, int[] aOffs, float[][] bs, int[] bOffs,
      float[] c, int cOff) {
    long t0 = System.nanoTime();
    delegate.multiplyAddTransposedBlocks(m, n, ks, as, aOffs, bs, bOffs, c, cOff);
    record(System.nanoTime() - t0, " += " + ks.length + " blocks", true, false, m, n, Arrays.stream(ks).sum());
  }

  @Override
  public void multiplyPackedRight(boolean transA, int m, int n, int k, float[] a, int aOff, float[] packedB, float[] c, int cOff) {
    long t0 = System.nanoTime();
    delegate.multiplyPackedRight(transA, m, n, k, a, aOff, packedB, c, cOff);
    record(System.nanoTime() - t0, " packed B", transA, false, m, n, k);
  }

  /** Recorded as one {@code count x k x n} product: the batch's one-row products together. */
  @Override
  public void multiplyRowsPackedRight(int n, int k, int count, float[] a, int[] aOffs, float[] packed, int[] packedOffs,
      float[] c, int[] cOffs) {
    long t0 = System.nanoTime();
    delegate.multiplyRowsPackedRight(n, k, count, a, aOffs, packed, packedOffs, c, cOffs);
    record(System.nanoTime() - t0, " rows, each B packed", false, false, count, n, k);
  }

  /** One product shape and kind; formatted only when printed. */
  private record Key(int m, int k, int n, boolean transA, boolean transB, String kind) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%dx%dx%d%s%s%s", m, k, n, transA ? " tA" : "", transB ? " tB" : "", kind);
    }
  }

  private void record(long dt, String kind, boolean transA, boolean transB, int m, int n, int k) {
    long[] s = byShape.computeIfAbsent(new Key(m, k, n, transA, transB, kind), x -> new long[3]);
    synchronized (s) {
      s[0]++;
      s[1] += dt;
      s[2] += 2L * m * n * k;
    }
  }

  /** Prints the shapes by total time, per step of {@code steps}. */
  void print(PrintStream out, int steps) {
    long total = byShape.values().stream().mapToLong(s -> s[1]).sum();
    out.printf(Locale.ROOT, "GEMM: %.1f ms per step in all; M x K x N, calls/step, ms/step, GFLOP/s%n", total / 1e6 / steps);
    byShape.entrySet().stream().sorted(Comparator.comparingLong(e -> -e.getValue()[1])).limit(20).forEach(e -> {
      long[] s = e.getValue();
      out.printf(Locale.ROOT, "  %-22s %6.1f %8.2f %7.1f%n", e.getKey().toString(), (double) s[0] / steps, s[1] / 1e6 / steps, s[2] / (double) s[1]);
    });
  }

  void reset() {
    byShape.clear();
  }
}
