package dev.seq2seq.backend.tensorflow;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/**
 * The reference side of {@link GraphGradientCheckTest}: builds {@code y = f(x...)} in a TensorFlow
 * {@link Graph} with TF Java's own {@link Ops}, adds the loss {@code L = sum(y * w)} and asks
 * TensorFlow for {@code dL/dx} with {@link Graph#addGradients}, i.e. with TensorFlow's registered
 * (C++) gradient functions. Nothing here goes through the seq2seq backend or autodiff.
 */
final class GraphGradientOracle {
  private GraphGradientOracle() {}

  /** {@code y = f(x...)} written with TF Java ops. */
  @FunctionalInterface
  interface GraphFunction {
    Operand<TFloat64> apply(Ops tf, List<Operand<TFloat64>> x);
  }

  /** Supplies the loss weights once the output shape is known. */
  @FunctionalInterface
  interface Weights {
    double[] of(int size);
  }

  /** TensorFlow's forward output and gradients, copied out of native memory. */
  static final class Answer {
    final int[] outputShape;
    final double[] output;
    final double[] weights;
    final List<int[]> gradientShapes;
    final List<double[]> gradients;

    Answer(int[] outputShape, double[] output, double[] weights, List<int[]> gradientShapes, List<double[]> gradients) {
      this.outputShape = outputShape;
      this.output = output;
      this.weights = weights;
      this.gradientShapes = gradientShapes;
      this.gradients = gradients;
    }
  }

  /**
   * Runs {@code f} on float64 constants holding {@code inputs} (with the given shapes) and returns
   * {@code y} and {@code d sum(y * w) / d inputs[i]} as computed by TensorFlow's graph gradients.
   */
  static Answer gradients(List<double[]> inputs, List<int[]> shapes, GraphFunction f, Weights weights) {
    try (Graph graph = new Graph()) {
      Ops tf = Ops.create(graph);
      List<Operand<TFloat64>> xs = new ArrayList<>();
      for (int i = 0; i < inputs.size(); i++) {
        xs.add(tf.constant(tfShape(shapes.get(i)), DataBuffers.of(inputs.get(i).clone(), true, false)));
      }
      Operand<TFloat64> y = f.apply(tf, xs);
      long[] dims = y.shape().asArray();
      int[] outShape = new int[dims.length];
      int size = 1;
      for (int d = 0; d < dims.length; d++) {
        if (dims[d] < 0) {
          throw new IllegalStateException("TensorFlow could not infer the output shape statically: " + y.shape());
        }
        outShape[d] = (int) dims[d];
        size *= outShape[d];
      }
      double[] w = weights.of(size);
      Operand<TFloat64> wc = tf.constant(tfShape(outShape), DataBuffers.of(w.clone(), true, false));
      int[] all = new int[outShape.length];
      for (int d = 0; d < all.length; d++) {
        all[d] = d;
      }
      Operand<TFloat64> loss = tf.sum(tf.math.mul(y, wc), tf.constant(all));
      Output<?>[] wrt = new Output<?>[xs.size()];
      for (int i = 0; i < wrt.length; i++) {
        wrt[i] = xs.get(i).asOutput();
      }
      Output<?>[] grads = graph.addGradients(loss.asOutput(), wrt);
      try (Session session = new Session(graph)) {
        Session.Runner runner = session.runner().fetch(y);
        for (Output<?> g : grads) {
          runner.fetch(g);
        }
        try (Result result = runner.run()) {
          double[] out = read((TFloat64) result.get(0));
          List<int[]> gradShapes = new ArrayList<>();
          List<double[]> gradValues = new ArrayList<>();
          for (int i = 0; i < grads.length; i++) {
            TFloat64 g = (TFloat64) result.get(i + 1);
            gradShapes.add(Arrays.stream(g.shape().asArray()).mapToInt(Math::toIntExact).toArray());
            gradValues.add(read(g));
          }
          return new Answer(outShape, out, w, gradShapes, gradValues);
        }
      }
    }
  }

  private static Shape tfShape(int[] dims) {
    return Shape.of(Arrays.stream(dims).asLongStream().toArray());
  }

  private static double[] read(TFloat64 t) {
    double[] out = new double[Math.toIntExact(t.shape().size())];
    t.copyTo(DataBuffers.of(out, false, false));
    return out;
  }
}
