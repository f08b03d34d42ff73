package dev.seq2seq.api.conformance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.seq2seq.api.backend.Backend;
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
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

/** Fixture builders and checks shared by the conformance kit's tests. */
public abstract class ConformanceSupport {
  /** The floating dtypes every floating op is checked in. */
  protected static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};

  /** The backend under test. */
  protected abstract Backend backend();

  /** A tensor of {@code dtype} from values and dimensions. */
  protected Tensor t(DType dtype, double[] values, int... dims) {
    return Tensors.of(backend(), dtype, values, Shape.of(dims));
  }

  /** An int32 tensor. */
  protected Tensor ints(int[] values, int... dims) {
    return Tensors.of(backend(), values, dims);
  }

  /** Values {@code start, start+1, ...} filling {@code dims}. */
  protected static double[] range(double start, int... dims) {
    double[] v = new double[Shape.of(dims).size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = start + i;
    }
    return v;
  }

  /** Seeded values in {@code [low, high)} filling {@code dims}. */
  protected static double[] random(long seed, double low, double high, int... dims) {
    Rng rng = new Rng(seed);
    double[] v = new double[Shape.of(dims).size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = low + (high - low) * rng.nextDouble();
    }
    return v;
  }

  /** Asserts dtype, shape and every value within {@link Tolerances#of(DType)}. */
  protected static void assertValues(Tensor actual, DType dtype, double[] expected, int... dims) {
    assertThat(actual.dtype()).as("dtype of %s", actual).isEqualTo(dtype);
    assertThat(actual.shape()).as("shape").isEqualTo(Shape.of(dims));
    assertClose(actual.toDoubleArray(), expected, Tolerances.of(dtype), actual.backend().name() + " " + dtype.label());
  }

  /** Asserts elementwise closeness with a message naming the first bad index and the tolerance. */
  protected static void assertClose(double[] actual, double[] expected, Tolerance tol, String what) {
    assertThat(actual.length).as("%s: number of values", what).isEqualTo(expected.length);
    for (int i = 0; i < expected.length; i++) {
      if (!tol.accepts(actual[i], expected[i])) {
        fail(String.format("%s: element %d is %s, expected %s (tolerance %s)%nactual   %s%nexpected %s",
            what, i, actual[i], expected[i], tol, Arrays.toString(actual), Arrays.toString(expected)));
      }
    }
  }

  /**
   * Checks autodiff against float64 central differences for {@code f} at {@code inputs}: the
   * scalar checked is {@code sum(f(inputs) * w)} with fixed random weights {@code w}, so every
   * output element's gradient matters.
   */
  protected void checkGradients(String what, Function<List<Tensor>, Tensor> f, Tensor... inputs) {
    List<Tensor> params = new ArrayList<>();
    for (Tensor in : inputs) {
      assertThat(in.dtype()).as("gradient checks run in float64").isEqualTo(DType.FLOAT64);
      params.add(in.requiringGrad());
    }
    Tensor out = f.apply(params);
    Tensor w = Tensors.uniform(backend(), DType.FLOAT64, out.shape(), new Rng(99), 0.5, 1.5);
    Tensor loss = out.mul(w).sum();
    List<Tensor> analytic = Gradients.of(loss, params);
    double h = Tolerances.FINITE_DIFFERENCE_STEP;
    try (GradMode.Scope ignored = GradMode.disabled()) {
      for (int i = 0; i < inputs.length; i++) {
        double[] x = inputs[i].toDoubleArray();
        double[] numeric = new double[x.length];
        for (int j = 0; j < x.length; j++) {
          double saved = x[j];
          x[j] = saved + h;
          double plus = evaluate(f, inputs, i, x, w);
          x[j] = saved - h;
          double minus = evaluate(f, inputs, i, x, w);
          x[j] = saved;
          numeric[j] = (plus - minus) / (2 * h);
        }
        assertThat(analytic.get(i).shape()).as("%s: gradient shape of input %d", what, i).isEqualTo(inputs[i].shape());
        assertClose(analytic.get(i).toDoubleArray(), numeric, Tolerances.GRADIENT_CHECK,
            what + ": d/d input " + i + " (autodiff vs central differences, step " + h + ")");
      }
    }
  }

  /**
   * Checks autodiff against float64 central differences for every parameter of {@code module}: the
   * parameter-side counterpart of {@link #checkGradients}, with the same scalar
   * {@code sum(f() * w)} (fixed random weights {@code w}), step
   * {@link Tolerances#FINITE_DIFFERENCE_STEP} and tolerance {@link Tolerances#GRADIENT_CHECK}.
   *
   * <p>{@code f} must compute from the module's own parameters (typically {@code () ->
   * module.forward(x)}); it is evaluated once with grad enabled and then twice per parameter element
   * with grad disabled. The analytic gradients are taken with respect to each {@link Parameter#value()}
   * leaf, and the numeric ones by perturbing the parameter through {@link Parameter#set}, so the check
   * covers exactly the path a training step's gradients take. ({@link #checkGradients} cannot do
   * this: {@code Parameter.set} wraps its argument as a new leaf, so leaves passed in as inputs never
   * enter the module's graph.) Every parameter is restored to its original value afterwards.
   *
   * @param what names the check in failure messages, which also name the parameter
   * @throws AssertionError if the module has no parameters, one is not float64, or a gradient differs
   */
  protected void checkParameterGradients(String what, Module module, Supplier<Tensor> f) {
    Map<String, Parameter> named = module.namedParameters();
    assertThat(named).as("%s: the module has parameters to check", what).isNotEmpty();
    List<Tensor> leaves = new ArrayList<>();
    named.forEach((name, p) -> {
      assertThat(p.value().dtype()).as("%s: gradient checks run in float64, %s", what, name).isEqualTo(DType.FLOAT64);
      leaves.add(p.value());
    });
    Tensor out = f.get();
    Tensor w = Tensors.uniform(backend(), DType.FLOAT64, out.shape(), new Rng(99), 0.5, 1.5);
    List<Tensor> analytic = Gradients.of(out.mul(w).sum(), leaves);
    double h = Tolerances.FINITE_DIFFERENCE_STEP;
    try (GradMode.Scope ignored = GradMode.disabled()) {
      int i = 0;
      for (Map.Entry<String, Parameter> e : named.entrySet()) {
        Parameter p = e.getValue();
        Tensor original = p.value();
        int[] dims = p.shape().toArray();
        double[] x = original.toDoubleArray();
        double[] numeric = new double[x.length];
        for (int j = 0; j < x.length; j++) {
          double saved = x[j];
          x[j] = saved + h;
          p.set(t(DType.FLOAT64, x, dims));
          double plus = f.get().mul(w).sum().item();
          x[j] = saved - h;
          p.set(t(DType.FLOAT64, x, dims));
          double minus = f.get().mul(w).sum().item();
          x[j] = saved;
          numeric[j] = (plus - minus) / (2 * h);
        }
        p.set(original);
        assertThat(analytic.get(i).shape()).as("%s: gradient shape of %s", what, e.getKey()).isEqualTo(p.shape());
        assertClose(analytic.get(i).toDoubleArray(), numeric, Tolerances.GRADIENT_CHECK,
            what + ": d/d " + e.getKey() + " (autodiff vs central differences, step " + h + ")");
        i++;
      }
    }
  }

  private double evaluate(Function<List<Tensor>, Tensor> f, Tensor[] inputs, int which, double[] x, Tensor w) {
    List<Tensor> args = new ArrayList<>(Arrays.asList(inputs));
    args.set(which, t(DType.FLOAT64, x, inputs[which].shape().toArray()));
    return f.apply(args).mul(w).sum().item();
  }
}
