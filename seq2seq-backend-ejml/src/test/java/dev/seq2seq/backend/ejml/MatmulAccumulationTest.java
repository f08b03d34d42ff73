package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.conformance.Tolerance;
import dev.seq2seq.api.conformance.Tolerances;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code addMatmulInPlace} ({@code C += op(A) op(B)}) against {@code C + matmul}, and the weight
 * gradients autodiff accumulates with it ({@code addTransposedProductsInPlace}) against sums of
 * separately computed products.
 */
class MatmulAccumulationTest {
  private final EjmlBackend backend = new EjmlBackend();

  private RawTensor random(DType dtype, Random random, int... dims) {
    double[] v = new double[Shape.of(dims).size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = random.nextDouble() * 2 - 1;
    }
    RawTensor d = backend.fromDoubles(v, Shape.of(dims));
    return dtype == DType.FLOAT64 ? d : backend.cast(d, dtype);
  }

  private RawTensor zeros(DType dtype, int... dims) {
    RawTensor d = backend.fromDoubles(new double[Shape.of(dims).size()], Shape.of(dims));
    return dtype == DType.FLOAT64 ? d : backend.cast(d, dtype);
  }

  private static void assertClose(double[] actual, double[] expected, Tolerance tol, String what) {
    assertThat(actual).as(what).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      if (!tol.accepts(actual[i], expected[i])) {
        fail("%s: element %d is %s, expected %s (%s)", what, i, actual[i], expected[i], tol);
      }
    }
  }

  @Test
  void addMatmulInPlaceAddsTheProductForEveryTransposeInBothDtypes() {
    Random random = new Random(21);
    int m = 19;
    int n = 40;
    for (int k : new int[] {3, 300}) {
      for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
        Tolerance tol = dtype == DType.FLOAT32 ? Tolerances.FLOAT32_MATMUL : Tolerances.FLOAT64;
        for (boolean ta : new boolean[] {false, true}) {
          for (boolean tb : new boolean[] {false, true}) {
            RawTensor a = ta ? random(dtype, random, k, m) : random(dtype, random, m, k);
            RawTensor b = tb ? random(dtype, random, n, k) : random(dtype, random, k, n);
            RawTensor c0 = random(dtype, random, m, n);
            double[] expected = backend.binary(Op.ADD, c0, backend.matmul(a, b, ta, tb)).toDoubleArray();
            RawTensor copy = backend.fromDoubles(c0.toDoubleArray(), Shape.of(m, n)); // a fresh tensor nobody else reads
            RawTensor target = dtype == DType.FLOAT64 ? copy : backend.cast(copy, dtype);

            backend.addMatmulInPlace(target, a, b, ta, tb);

            assertClose(target.toDoubleArray(), expected, tol, String.format("%s k=%d ta=%s tb=%s", dtype.label(), k, ta, tb));
          }
        }
      }
    }
  }

  @Test
  void addTransposedProductsInPlaceAddsTheProductOfTheConcatenationsInBothDtypes() {
    Random random = new Random(23);
    int m = 19;
    int n = 40;
    int[] depths = {64, 3, 300, 1};
    for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
      Tolerance tol = dtype == DType.FLOAT32 ? Tolerances.FLOAT32_MATMUL : Tolerances.FLOAT64;
      List<RawTensor> lefts = new ArrayList<>();
      List<RawTensor> rights = new ArrayList<>();
      RawTensor expected = random(dtype, random, m, n);
      RawTensor target = backend.binary(Op.ADD, expected, zeros(dtype, m, n)); // a fresh tensor nobody else reads
      for (int k : depths) {
        RawTensor l = random(dtype, random, k, m);
        RawTensor r = random(dtype, random, k, n);
        lefts.add(l);
        rights.add(r);
        expected = backend.binary(Op.ADD, expected, backend.matmul(l, r, true, false));
      }

      backend.addTransposedProductsInPlace(target, lefts, rights);

      assertClose(target.toDoubleArray(), expected.toDoubleArray(), tol, dtype.label() + " sum of L_i^T R_i, depths 64, 3, 300, 1");
    }
  }

  @Test
  void transposedProductsOfMismatchedShapesAreRejectedNamingTheBlock() {
    RawTensor target = backend.fromFloats(new float[6], Shape.of(2, 3));
    RawTensor l = backend.fromFloats(new float[8], Shape.of(4, 2));
    RawTensor r = backend.fromFloats(new float[12], Shape.of(4, 3));
    RawTensor badR = backend.fromFloats(new float[15], Shape.of(5, 3));
    assertThatThrownBy(() -> backend.addTransposedProductsInPlace(target, List.of(l, l), List.of(r, badR)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("block 1").hasMessageContaining("[5, 3]");
    assertThatThrownBy(() -> backend.addTransposedProductsInPlace(target, List.of(l, l), List.of(r)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 left and 1 right");
  }

  @Test
  void mismatchedShapesAreRejectedNamingThem() {
    RawTensor target = backend.fromFloats(new float[6], Shape.of(2, 3));
    RawTensor a = backend.fromFloats(new float[8], Shape.of(2, 4));
    RawTensor b = backend.fromFloats(new float[8], Shape.of(4, 2));
    assertThatThrownBy(() -> backend.addMatmulInPlace(target, a, b, false, false))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[2, 3]").hasMessageContaining("[4, 2]");
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(value = DType.class, names = {"FLOAT32", "FLOAT64"})
  void aWeightUsedInManyProductsGetsTheSumOfTheirGradients(DType dtype) {
    // loss = sum_t sum((x_t W^T) * c_t) + sum((X W^T) * C) + sum((W u) * e) + sum(W * d):
    // dW = sum_t c_t^T x_t + C2^T X2 + e u^T + d, where X [2, 3, 4] and C [2, 3, 5] fold into X2 [6, 4] and C2 [6, 5].
    Random random = new Random(22);
    Tensor w = Tensor.wrap(backend, random(dtype, random, 5, 4)).requiringGrad();
    Tensor loss = null;
    RawTensor expected = zeros(dtype, 5, 4);
    for (int t = 0; t < 4; t++) {
      RawTensor x = random(dtype, random, 3, 4);
      RawTensor c = random(dtype, random, 3, 5);
      Tensor term = Tensor.wrap(backend, x).matmul(w, false, true).mul(Tensor.wrap(backend, c)).sum();
      loss = loss == null ? term : loss.add(term);
      expected = backend.binary(Op.ADD, expected, backend.matmul(c, x, true, false));
    }
    RawTensor x3 = random(dtype, random, 2, 3, 4);
    RawTensor c3 = random(dtype, random, 2, 3, 5);
    loss = loss.add(Tensor.wrap(backend, x3).matmul(w, false, true).mul(Tensor.wrap(backend, c3)).sum());
    expected = backend.binary(Op.ADD, expected,
        backend.matmul(backend.reshape(c3, Shape.of(6, 5)), backend.reshape(x3, Shape.of(6, 4)), true, false));
    RawTensor u = random(dtype, random, 4, 2);
    RawTensor e = random(dtype, random, 5, 2);
    loss = loss.add(w.matmul(Tensor.wrap(backend, u), false, false).mul(Tensor.wrap(backend, e)).sum());
    expected = backend.binary(Op.ADD, expected, backend.matmul(e, u, false, true));
    RawTensor d = random(dtype, random, 5, 4);
    loss = loss.add(w.mul(Tensor.wrap(backend, d)).sum());
    expected = backend.binary(Op.ADD, expected, d);

    double[] grad = Gradients.of(loss, List.of(w)).get(0).raw().toDoubleArray();

    Tolerance tol = dtype == DType.FLOAT32 ? Tolerances.FLOAT32_MATMUL : Tolerances.FLOAT64;
    assertClose(grad, expected.toDoubleArray(), tol, dtype.label() + " d loss / d W (" + tol + ")");
  }
}
