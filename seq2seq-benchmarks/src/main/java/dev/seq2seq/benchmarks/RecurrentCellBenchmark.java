package dev.seq2seq.benchmarks;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.nn.Cell;
import dev.seq2seq.api.nn.CellState;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.TensorScope;
import dev.seq2seq.api.tensor.Tensors;
import dev.seq2seq.models.rnn.GruCell;
import dev.seq2seq.models.rnn.LstmCell;
import java.util.ArrayList;
import java.util.List;
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
import org.openjdk.jmh.infra.Blackhole;

/**
 * One time step of an LSTM or GRU cell at batch 64, input 128, hidden 256 (float32), through the
 * public cell API on each backend: forward only, and forward plus the backward pass.
 *
 * <p>Forward: {@code state' = cell.step(x, state)}. Backward: the vector-Jacobian product of the new
 * state (its parts concatenated, {@code [h'; c']} for the LSTM) with a fixed random upstream gradient,
 * by {@link Gradients#of(Tensor, Tensor, java.util.Collection)}, with respect to the four
 * parameters, the input and every state part — what one step of backpropagation through time
 * computes. Each invocation runs in a {@link TensorScope}, so its tensors are released inside the
 * measured time. The score is microseconds per step.
 *
 * <pre>java -jar seq2seq-benchmarks/target/benchmarks.jar RecurrentCellBenchmark</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class RecurrentCellBenchmark {
  /** The backend's name. */
  @Param({"ejml", "tensorflow"})
  public String backend;

  /** {@code lstm} or {@code gru}. */
  @Param({"lstm", "gru"})
  public String cell;

  /** Rows of the batch. */
  @Param("64")
  public int batch;

  /** Input features. */
  @Param("128")
  public int input;

  /** Hidden units. */
  @Param("256")
  public int hidden;

  private Cell impl;
  private Tensor x;
  private CellState state;
  private Tensor upstream;
  private List<Tensor> wrt;

  @Setup
  public void setUp() {
    Backend b = Backends.get(backend);
    Rng rng = new Rng(42);
    impl = switch (cell) {
      case "lstm" -> new LstmCell(b, DType.FLOAT32, input, hidden, rng);
      case "gru" -> new GruCell(b, DType.FLOAT32, input, hidden, rng);
      default -> throw new IllegalArgumentException("unknown cell '" + cell + "': expected lstm or gru");
    };
    x = Tensors.uniform(b, DType.FLOAT32, Shape.of(batch, input), rng, -1, 1).requiringGrad();
    int parts = impl.initialState(batch).size();
    List<Tensor> stateParts = new ArrayList<>(parts);
    for (int i = 0; i < parts; i++) {
      stateParts.add(Tensors.uniform(b, DType.FLOAT32, Shape.of(batch, hidden), rng, -1, 1).requiringGrad());
    }
    state = CellState.of(stateParts);
    upstream = Tensors.uniform(b, DType.FLOAT32, Shape.of(batch, parts * hidden), rng, -1, 1);
    wrt = new ArrayList<>();
    for (Parameter p : ((Module) impl).parameters()) {
      wrt.add(p.value());
    }
    wrt.add(x);
    wrt.addAll(stateParts);
  }

  /** The new state of one step. */
  private Tensor stepOutput() {
    CellState next = impl.step(x, state);
    return next.size() == 1 ? next.hidden() : Tensor.concat(next.parts(), 1);
  }

  /** One step forward. */
  @Benchmark
  public void forward(Blackhole bh) {
    try (TensorScope scope = TensorScope.open()) {
      bh.consume(stepOutput());
    }
  }

  /** One step forward and backward (gradients of the parameters, the input and the state). */
  @Benchmark
  public void forwardBackward(Blackhole bh) {
    try (TensorScope scope = TensorScope.open()) {
      bh.consume(Gradients.of(stepOutput(), upstream, wrt));
    }
  }
}
