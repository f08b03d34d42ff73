package dev.seq2seq.benchmarks;

import dev.seq2seq.backend.ejml.gemm.FloatGemm;
import dev.seq2seq.backend.ejml.gemm.FloatGemms;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Float32 GEMM {@code C = A B} (row-major, {@code M x K} times {@code K x N}) through the ejml
 * backend's {@link FloatGemm}s: the Vector API kernel on 1 and 2 threads and EJML's. The score is
 * products per second; {@link GemmBenchmarkMain} turns it into GFLOP/s ({@code 2 M N K} per product).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
  /** {@code M x K x N}. */
  @Param({"64x256x1024", "64x512x2048", "512x512x512", "1024x1024x1024"})
  public String shape;

  /** {@code vector-T} (Vector API kernel on at most T threads) or {@code ejml}. */
  @Param({"vector-1", "vector-2", "ejml"})
  public String gemm;

  private FloatGemm impl;
  private int m;
  private int k;
  private int n;
  private float[] a;
  private float[] b;
  private float[] c;

  @Setup
  public void setUp() {
    int[] mkn = parseShape(shape);
    m = mkn[0];
    k = mkn[1];
    n = mkn[2];
    impl = gemm.startsWith("vector-") ? FloatGemms.vector(Integer.parseInt(gemm.substring(7))) : FloatGemms.named(gemm);
    Random rnd = new Random(42);
    a = new float[m * k];
    b = new float[k * n];
    c = new float[m * n];
    for (int i = 0; i < a.length; i++) {
      a[i] = rnd.nextFloat() * 2 - 1;
    }
    for (int i = 0; i < b.length; i++) {
      b[i] = rnd.nextFloat() * 2 - 1;
    }
  }

  @Benchmark
  public float[] multiply() {
    impl.multiply(false, false, m, n, k, a, 0, b, 0, c, 0);
    return c;
  }

  /** {@code "MxKxN"} as {@code {M, K, N}}. */
  static int[] parseShape(String shape) {
    String[] parts = shape.split("x");
    return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
  }
}
