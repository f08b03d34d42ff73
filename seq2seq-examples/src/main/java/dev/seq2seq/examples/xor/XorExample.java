package dev.seq2seq.examples.xor;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.module.Module;
import dev.seq2seq.api.module.Parameter;
import dev.seq2seq.api.random.Rng;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.GradMode;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import dev.seq2seq.api.tensor.Tensors;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ObjIntConsumer;

/**
 * The smallest end-to-end training run: a 2-layer tanh MLP learns XOR with plain SGD.
 *
 * <p>{@code y = sigmoid(W2 tanh(W1 x + b1) + b2)}, trained on the four XOR points with the mean
 * binary cross-entropy {@code -mean(t log y + (1 - t) log(1 - y))}, written only against the
 * public tensor API, so it runs on whichever backend the switch selects.
 */
public final class XorExample {
  /** The network: {@code fc1.weight} [hidden, 2], {@code fc1.bias}, {@code fc2.weight} [1, hidden], {@code fc2.bias}. */
  static final class Mlp extends Module {
    final Parameter w1;
    final Parameter b1;
    final Parameter w2;
    final Parameter b2;

    Mlp(Backend backend, int hidden, Rng rng) {
      double bound1 = 1 / Math.sqrt(2);
      double bound2 = 1 / Math.sqrt(hidden);
      w1 = registerParameter("fc1_weight", new Parameter(Tensors.uniform(backend, DType.FLOAT32, Shape.of(hidden, 2), rng, -bound1, bound1)));
      b1 = registerParameter("fc1_bias", new Parameter(Tensors.uniform(backend, DType.FLOAT32, Shape.of(hidden), rng, -bound1, bound1)));
      w2 = registerParameter("fc2_weight", new Parameter(Tensors.uniform(backend, DType.FLOAT32, Shape.of(1, hidden), rng, -bound2, bound2)));
      b2 = registerParameter("fc2_bias", new Parameter(Tensors.uniform(backend, DType.FLOAT32, Shape.of(1), rng, -bound2, bound2)));
    }

    /** Probabilities of class 1, shape [batch, 1]. */
    Tensor forward(Tensor x) {
      Tensor h = x.matmul(w1.value(), false, true).add(b1.value()).tanh();
      return h.matmul(w2.value(), false, true).add(b2.value()).sigmoid();
    }
  }

  private XorExample() {}

  /** Trains for {@code steps} steps, reporting {@code (loss, step)} after each, and returns the losses. */
  public static List<Double> train(Backend backend, long seed, int steps, double learningRate, ObjIntConsumer<Double> onStep) {
    Mlp mlp = new Mlp(backend, 8, new Rng(seed));
    Tensor x = Tensors.of(backend, new float[] {0, 0, 0, 1, 1, 0, 1, 1}, 4, 2);
    Tensor t = Tensors.of(backend, new float[] {0, 1, 1, 0}, 4, 1);
    Tensor oneMinusT = t.neg().add(1.0);
    List<Parameter> params = mlp.parameters();
    List<Double> losses = new ArrayList<>();
    for (int step = 0; step < steps; step++) {
      Tensor y = mlp.forward(x);
      Tensor loss = t.mul(y.log()).add(oneMinusT.mul(y.neg().add(1.0).log())).mean().neg();
      List<Tensor> values = new ArrayList<>();
      params.forEach(p -> values.add(p.value()));
      List<Tensor> grads = Gradients.of(loss, values);
      try (GradMode.Scope ignored = GradMode.disabled()) {
        for (int i = 0; i < params.size(); i++) {
          params.get(i).set(values.get(i).sub(grads.get(i).mul(learningRate)));
        }
      }
      double value = loss.item();
      losses.add(value);
      onStep.accept(value, step);
    }
    return losses;
  }

  /** Runs the example on the selected backend (first argument, else the switch) and prints the falling loss. */
  public static void main(String[] args) {
    run(Backends.get(args.length > 0 ? args[0] : null));
  }

  /** Trains on {@code backend} and prints the loss every 200 steps. */
  public static void run(Backend backend) {
    System.out.println("XOR with a 2-8-1 tanh MLP, SGD lr 1.0, on " + backend.description());
    int steps = 2000;
    train(backend, 1, steps, 1.0, (loss, step) -> {
      if (step % 200 == 0 || step == steps - 1) {
        System.out.printf("step %4d  loss %.5f%n", step, loss);
      }
    });
  }
}
