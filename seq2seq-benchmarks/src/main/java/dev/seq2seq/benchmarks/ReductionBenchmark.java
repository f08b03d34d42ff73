package dev.seq2seq.benchmarks;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.api.tensor.Tensors;
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
 * A float32 sum of a {@code [64, 20, 256]} tensor (batch, time, features) over some of its axes, as
 * autodiff computes when a gradient is summed back to a broadcast operand: axes {@code 0,1} (a bias
 * gradient), {@code 1} (a query broadcast over the keys), {@code 2} (the innermost axis, as in a
 * softmax backward). The score is microseconds per sum, allocation of the result included.
 *
 * <pre>java -jar seq2seq-benchmarks/target/benchmarks.jar ReductionBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class ReductionBenchmark {
  /** The backend's name. */
  @Param({"ejml"})
  public String backend;

  /** The summed axes, comma-separated. */
  @Param({"0,1", "1", "2"})
  public String axes;

  private Tensor x;
  private int[] summed;

  @Setup
  public void setUp() {
    Backend b = Backends.get(backend);
    x = Tensors.uniform(b, DType.FLOAT32, Shape.of(64, 20, 256), new Rng(1), -1, 1);
    summed = java.util.Arrays.stream(axes.split(",")).mapToInt(Integer::parseInt).toArray();
  }

  @Benchmark
  public double sum() {
    try (TensorScope scope = TensorScope.open()) {
      return x.sum(summed, true).toDoubleArray()[0];
    }
  }
}
