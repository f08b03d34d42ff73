package dev.seq2seq.backend.ejml;

import static org.assertj.core.api.Assertions.assertThat;

import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.tensor.Gradients;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.api.tensor.Tensor;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleBinaryOperator;
import org.junit.jupiter.api.Test;

/** The float32 fast paths (typed row kernels, in-place accumulation) against their definitions. */
class Float32KernelsTest {
  private final EjmlBackend backend = new EjmlBackend();

  private static DoubleBinaryOperator definition(Op op) {
    switch (op) {
      case ADD:
        return (a, b) -> a + b;
      case SUB:
        return (a, b) -> a - b;
      case MUL:
        return (a, b) -> a * b;
      case DIV:
        return (a, b) -> a / b;
      case MAXIMUM:
        return Math::max;
      case EQUAL:
        return (a, b) -> a == b ? 1 : 0;
      case GREATER:
        return (a, b) -> a > b ? 1 : 0;
      default:
        return (a, b) -> a < b ? 1 : 0;
    }
  }

  private static float[] values(Random random, int n) {
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) (random.nextGaussian() * 3);
    }
    v[0] = Float.NaN;
    v[n - 1] = -0f;
    v[n / 2] = 0f;
    return v;
  }

  @Test
  void everyBinaryOpOnEveryBroadcastPatternEqualsTheDoubleDefinitionRoundedOnce() {
    Random random = new Random(11);
    Shape[][] patterns = {
      {Shape.of(3, 5), Shape.of(3, 5)}, {Shape.of(3, 5), Shape.scalar()}, {Shape.scalar(), Shape.of(3, 5)},
      {Shape.of(3, 5), Shape.of(5)}, {Shape.of(3, 1), Shape.of(3, 5)}, {Shape.of(1, 5), Shape.of(3, 1)},
      {Shape.of(300, 250), Shape.of(300, 250)}, // equal shapes split over threads: FloatRows.sameIndex per range
    };
    for (Op op : new Op[] {Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.MAXIMUM, Op.EQUAL, Op.GREATER, Op.LESS}) {
      for (Shape[] p : patterns) {
        float[] a = values(random, Math.max(2, p[0].size()));
        float[] b = values(random, Math.max(2, p[1].size()));
        a = java.util.Arrays.copyOf(a, p[0].size());
        b = java.util.Arrays.copyOf(b, p[1].size());
        RawTensor out = backend.binary(op, backend.fromFloats(a, p[0]), backend.fromFloats(b, p[1]));
        Shape shape = Shape.broadcast("test", p[0], p[1]);
        float[] expected = new float[shape.size()];
        int[] sa = StridedLoop.broadcastStrides(p[0], shape);
        int[] sb = StridedLoop.broadcastStrides(p[1], shape);
        for (int i = 0; i < shape.size(); i++) {
          int ia = 0;
          int ib = 0;
          for (int axis = shape.rank() - 1, rest = i; axis >= 0; axis--) {
            int c = rest % shape.dim(axis);
            rest /= shape.dim(axis);
            ia += c * sa[axis];
            ib += c * sb[axis];
          }
          expected[i] = (float) definition(op).applyAsDouble(a[ia], b[ib]);
        }
        assertThat(out.toFloatArray()).as("%s %s %s", op.label(), p[0], p[1]).containsExactly(expected);
      }
    }
  }

  @Test
  void addInPlaceEqualsAddAndModifiesOnlyTheTarget() {
    Random random = new Random(5);
    float[] a = values(random, 12);
    float[] b = values(random, 12);
    RawTensor sum = backend.binary(Op.ADD, backend.fromFloats(a, Shape.of(3, 4)), backend.fromFloats(b, Shape.of(3, 4)));
    RawTensor target = backend.fromFloats(a, Shape.of(3, 4));
    RawTensor addend = backend.fromFloats(b, Shape.of(3, 4));

    backend.addInPlace(target, addend);

    assertThat(target.toFloatArray()).containsExactly(sum.toFloatArray());
    assertThat(addend.toFloatArray()).containsExactly(b);
  }

  @Test
  void aWeightUsedManyTimesGetsTheSumOfItsContributionsAndSharedGradientsStayIntact() {
    // loss = sum(w * x1) + sum(w * x2) + sum(w * x3) + sum(w + v): d/dw = x1 + x2 + x3 + 1, d/dv = 1.
    // The add's backward hands one gradient to both w and v, which must not be modified by w's later sums.
    Tensor w = Tensor.wrap(backend, backend.fromFloats(new float[] {1, 2, 3}, Shape.of(3))).requiringGrad();
    Tensor v = Tensor.wrap(backend, backend.fromFloats(new float[] {0, 0, 0}, Shape.of(3))).requiringGrad();
    float[][] xs = {{1, 2, 3}, {10, 20, 30}, {100, 200, 300}};
    Tensor loss = w.add(v).sum();
    for (float[] x : xs) {
      loss = loss.add(w.mul(Tensor.wrap(backend, backend.fromFloats(x, Shape.of(3)))).sum());
    }

    List<Tensor> grads = Gradients.of(loss, List.of(w, v));

    assertThat(grads.get(0).raw().toFloatArray()).containsExactly(112, 223, 334);
    assertThat(grads.get(1).raw().toFloatArray()).containsExactly(1, 1, 1);
  }

  @Test
  void addToBoxInPlaceAddsOnlyInsideTheBox() {
    RawTensor target = backend.fromFloats(new float[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, Shape.of(3, 4));
    RawTensor addend = backend.fromFloats(new float[] {100, 200, 300, 400}, Shape.of(2, 2));

    backend.addToBoxInPlace(target, addend, new int[] {1, 2});

    assertThat(target.toFloatArray()).containsExactly(1, 2, 3, 4, 5, 6, 107, 208, 9, 10, 311, 412);
    assertThat(addend.toFloatArray()).containsExactly(100, 200, 300, 400);
  }

  @Test
  void theGradientsOfSlicesOfOneTensorAddUpInItsBoxes() {
    // loss = sum(x[:, 0:2] * a) + sum(x[:, 1:3] * b) + sum(x[:, 2:4] * c) + sum(x[0:1, :] * d):
    // d/dx[i][j] = a[i][j] + b[i][j-1] + c[i][j-2] + (i == 0 ? d[j] : 0) where each index is in range.
    float[] xs = {1, 2, 3, 4, 5, 6, 7, 8};
    float[] a = {1, 2, 3, 4};
    float[] b = {10, 20, 30, 40};
    float[] c = {100, 200, 300, 400};
    float[] d = {1000, 2000, 3000, 4000};
    Tensor x = Tensor.wrap(backend, backend.fromFloats(xs, Shape.of(2, 4))).requiringGrad();
    Tensor loss = x.sliceAxis(1, 0, 2).mul(constant(a, 2, 2)).sum()
        .add(x.sliceAxis(1, 1, 2).mul(constant(b, 2, 2)).sum())
        .add(x.sliceAxis(1, 2, 2).mul(constant(c, 2, 2)).sum())
        .add(x.sliceAxis(0, 0, 1).mul(constant(d, 1, 4)).sum());

    float[] grad = Gradients.of(loss, List.of(x)).get(0).raw().toFloatArray();

    assertThat(grad).containsExactly(1001, 2012, 3120, 4200, 3, 34, 340, 400);
  }

  private Tensor constant(float[] values, int rows, int cols) {
    return Tensor.wrap(backend, backend.fromFloats(values, Shape.of(rows, cols)));
  }
}
