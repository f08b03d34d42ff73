package dev.seq2seq.backend.ejml;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import dev.seq2seq.api.backend.ActivationGradients;
import dev.seq2seq.api.backend.AdditiveScoresKernel;
import dev.seq2seq.api.backend.AdamKernel;
import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.GruKernel;
import dev.seq2seq.api.backend.InPlaceAccumulator;
import dev.seq2seq.api.backend.LayerNormKernel;
import dev.seq2seq.api.backend.LstmKernel;
import dev.seq2seq.api.backend.Op;
import dev.seq2seq.api.backend.RawTensor;
import dev.seq2seq.api.backend.UnsupportedOpException;
import dev.seq2seq.api.tensor.DType;
import dev.seq2seq.api.tensor.Shape;
import dev.seq2seq.backend.ejml.floatmath.FloatMath;
import dev.seq2seq.backend.ejml.floatmath.FloatMaths;
import dev.seq2seq.backend.ejml.gemm.FloatGemm;
import dev.seq2seq.backend.ejml.gemm.FloatGemms;
import java.util.ArrayList;
import java.util.List;
import org.ejml.EjmlVersion;

/**
 * The embedded pure-Java {@link Backend}: float32 matrix products on a {@link FloatGemm} (the
 * Vector API kernel of {@code dev.seq2seq.backend.ejml.gemm} when {@code jdk.incubator.vector} is
 * present, EJML's otherwise), float64 ones on EJML, every other kernel in plain Java on heap arrays.
 *
 * <p>All kernels support float32 and float64. Int32 is supported by the data-movement kernels
 * (reshape, permute, concat, slice, pad, gather, scatter-add, where, cast), by binary
 * {@code add, sub, mul, maximum, equal, greater, less} (wrapping on overflow), by {@code sum} and
 * {@code max} reductions, and by argmax and top-k; any other int32 kernel throws
 * {@link UnsupportedOpException}. Float32 sums, means, softmax denominators and scatter-adds
 * accumulate in double. It has the {@link InPlaceAccumulator}, {@link ActivationGradients}, {@link AdamKernel}, {@link LayerNormKernel}, {@link LstmKernel}, {@link GruKernel} and {@link AdditiveScoresKernel} capabilities. The backend holds no mutable state and is safe for concurrent use; every kernel accepts
 * only {@link EjmlTensor}s and returns new ones.
 */
public final class EjmlBackend
    implements Backend, InPlaceAccumulator, ActivationGradients, AdamKernel, LayerNormKernel, LstmKernel, GruKernel, AdditiveScoresKernel {
  /** The backend's name, the key of the selection switch. */
  public static final String NAME = "ejml";

  private final FloatGemm floatGemm;
  private final FloatMath floatMath;

  /**
   * The backend with the float32 GEMM chosen at run time: the Vector API kernel when the JVM has
   * {@code jdk.incubator.vector}, EJML's otherwise, or the one the system property
   * {@value FloatGemms#PROPERTY} forces ({@link FloatGemms#select()}).
   */
  public EjmlBackend() {
    this(FloatGemms.select());
  }

  /**
   * The backend with the given float32 GEMM (float64 always uses EJML) and the float32 exp, tanh and
   * sigmoid chosen at run time ({@link FloatMaths#select()}, the same rule as the GEMM's).
   */
  public EjmlBackend(FloatGemm floatGemm) {
    this(floatGemm, FloatMaths.select());
  }

  /** The backend with the given float32 GEMM and float32 exp, tanh and sigmoid. */
  public EjmlBackend(FloatGemm floatGemm, FloatMath floatMath) {
    this.floatGemm = checkNotNull(floatGemm, "floatGemm");
    this.floatMath = checkNotNull(floatMath, "floatMath");
  }

  /** The float32 GEMM this backend uses. */
  public FloatGemm floatGemm() {
    return floatGemm;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return NAME + ": EJML " + EjmlVersion.VERSION + ", pure Java, CPU (float32, float64, int32); " + floatGemm.description()
        + "; float32 exp/tanh/sigmoid: " + floatMath.name();
  }

  @Override
  public RawTensor fromFloats(float[] data, Shape shape) {
    return new EjmlTensor(shape, checkNotNull(data, "data").clone());
  }

  @Override
  public RawTensor fromDoubles(double[] data, Shape shape) {
    return new EjmlTensor(shape, checkNotNull(data, "data").clone());
  }

  @Override
  public RawTensor fromInts(int[] data, Shape shape) {
    return new EjmlTensor(shape, checkNotNull(data, "data").clone());
  }

  @Override
  public RawTensor unary(Op op, RawTensor x) {
    return Elementwise.unary(op, own(x), floatMath);
  }

  @Override
  public RawTensor binary(Op op, RawTensor a, RawTensor b) {
    return Elementwise.binary(op, own(a), own(b), floatMath);
  }

  @Override
  public void addInPlace(RawTensor target, RawTensor addend) {
    Elementwise.addInPlace(written(target), own(addend));
  }

  @Override
  public void addMatmulInPlace(RawTensor target, RawTensor a, RawTensor b, boolean transposeA, boolean transposeB) {
    MatMul.matmulAdd(written(target), own(a), own(b), transposeA, transposeB, floatGemm);
  }

  @Override
  public void addTransposedProductsInPlace(RawTensor target, List<RawTensor> lefts, List<RawTensor> rights) {
    List<EjmlTensor> l = new ArrayList<>(lefts.size());
    List<EjmlTensor> r = new ArrayList<>(rights.size());
    lefts.forEach(t -> l.add(own(t)));
    rights.forEach(t -> r.add(own(t)));
    MatMul.matmulAddTransposedBlocks(written(target), l, r, floatGemm);
  }

  @Override
  public void scatterAddInPlace(RawTensor target, RawTensor indices, RawTensor updates, int axis) {
    Indexing.scatterAddInPlace(written(target), own(indices), own(updates), axis, floatMath);
  }

  @Override
  public void addToBoxInPlace(RawTensor target, RawTensor addend, int[] begin) {
    Layout.addToBox(written(target), own(addend), begin, floatMath);
  }

  @Override
  public RawTensor[] adamStep(RawTensor w, RawTensor g, RawTensor m, RawTensor v,
      double b1, double c1, double b2, double c2, double eps, double sqrtCorrection2, double stepSize) {
    return AdamStep.step(own(w), own(g), own(m), own(v), b1, c1, b2, c2, eps, sqrtCorrection2, stepSize, floatMath);
  }

  @Override
  public RawTensor sigmoidGradient(RawTensor g, RawTensor y) {
    return Elementwise.activationGradient(own(g), own(y), Op.SIGMOID);
  }

  @Override
  public RawTensor tanhGradient(RawTensor g, RawTensor y) {
    return Elementwise.activationGradient(own(g), own(y), Op.TANH);
  }

  @Override
  public RawTensor reluGradient(RawTensor g, RawTensor x) {
    return Elementwise.activationGradient(own(g), own(x), Op.RELU);
  }

  @Override
  public RawTensor[] additiveScores(RawTensor query, RawTensor keys, RawTensor w) {
    return AdditiveScores.forward(own(query), own(keys), own(w), floatMath);
  }

  @Override
  public RawTensor[] additiveScoresBackward(RawTensor scoresGradient, RawTensor saved, RawTensor w) {
    return AdditiveScores.backward(own(scoresGradient), own(saved), own(w), floatMath, floatGemm);
  }

  @Override
  public RawTensor[] gruCell(RawTensor inputProjection, RawTensor hiddenProjection, RawTensor hidden) {
    return GruGates.forward(own(inputProjection), own(hiddenProjection), own(hidden), floatMath);
  }

  @Override
  public RawTensor[] gruCell(RawTensor xProduct, RawTensor inputBias, RawTensor hProduct, RawTensor hiddenBias, RawTensor hidden) {
    return GruGates.forward(own(xProduct), own(inputBias), own(hProduct), own(hiddenBias), own(hidden), floatMath);
  }

  @Override
  public RawTensor[] gruCellBackward(RawTensor outputGradient, RawTensor saved, RawTensor hidden) {
    return GruGates.backward(own(outputGradient), own(saved), own(hidden), floatMath);
  }

  @Override
  public RawTensor[] lstmCell(RawTensor gates, RawTensor cell) {
    return LstmGates.forward(own(gates), own(cell), floatMath);
  }

  @Override
  public RawTensor[] lstmCell(RawTensor xProjection, RawTensor hProjection, RawTensor bias, RawTensor cell) {
    return LstmGates.forward(own(xProjection), own(hProjection), own(bias), own(cell), floatMath);
  }

  @Override
  public RawTensor[] lstmCellBackward(RawTensor outputGradient, RawTensor saved, RawTensor cell) {
    return LstmGates.backward(own(outputGradient), own(saved), own(cell), floatMath);
  }

  @Override
  public RawTensor[] layerNorm(RawTensor x, RawTensor weight, RawTensor bias, double eps) {
    return Normalization.layerNorm(own(x), own(weight), own(bias), eps, floatMath);
  }

  @Override
  public RawTensor[] layerNormBackward(RawTensor g, RawTensor x, RawTensor weight, RawTensor mean, RawTensor rstd) {
    return Normalization.layerNormBackward(own(g), own(x), own(weight), own(mean), own(rstd), floatMath);
  }

  @Override
  public RawTensor reduce(Op op, RawTensor x, int[] axes, boolean keepDims) {
    return Reductions.reduce(op, own(x), axes, keepDims, floatMath);
  }

  @Override
  public RawTensor matmul(RawTensor a, RawTensor b, boolean transposeA, boolean transposeB) {
    return MatMul.matmul(own(a), own(b), transposeA, transposeB, floatGemm);
  }

  @Override
  public RawTensor softmax(RawTensor x, int axis) {
    return Reductions.softmax(own(x), axis, false, floatMath);
  }

  @Override
  public RawTensor logSoftmax(RawTensor x, int axis) {
    return Reductions.softmax(own(x), axis, true, floatMath);
  }

  @Override
  public RawTensor reshape(RawTensor x, Shape shape) {
    return Layout.reshape(own(x), shape);
  }

  @Override
  public RawTensor permute(RawTensor x, int[] permutation) {
    return Layout.permute(own(x), permutation);
  }

  @Override
  public RawTensor concat(List<RawTensor> parts, int axis) {
    List<EjmlTensor> own = new ArrayList<>(parts.size());
    for (RawTensor p : parts) {
      own.add(own(p));
    }
    return Layout.concat(own, axis);
  }

  @Override
  public RawTensor slice(RawTensor x, int[] begin, int[] size) {
    return Layout.slice(own(x), begin, size);
  }

  @Override
  public RawTensor pad(RawTensor x, int[] before, int[] after) {
    return Layout.pad(own(x), before, after);
  }

  @Override
  public RawTensor gather(RawTensor table, RawTensor indices, int axis) {
    return Indexing.gather(own(table), own(indices), axis);
  }

  @Override
  public RawTensor scatterAdd(RawTensor indices, RawTensor updates, int axis, Shape outShape) {
    return Indexing.scatterAdd(own(indices), own(updates), axis, outShape);
  }

  @Override
  public RawTensor where(RawTensor cond, RawTensor a, RawTensor b) {
    return Elementwise.where(own(cond), own(a), own(b));
  }

  @Override
  public RawTensor cast(RawTensor x, DType dtype) {
    return Elementwise.cast(own(x), checkNotNull(dtype, "dtype"));
  }

  @Override
  public RawTensor argmax(RawTensor x, int axis) {
    return Indexing.argmax(own(x), axis);
  }

  @Override
  public RawTensor[] topK(RawTensor x, int k) {
    return Indexing.topK(own(x), k);
  }

  @Override
  public String toString() {
    return description();
  }

  // ---------------------------------------------------------------- shared checks

  private static EjmlTensor own(RawTensor t) {
    checkNotNull(t, "tensor");
    checkArgument(t instanceof EjmlTensor, "ejml: cannot use a tensor of another backend (%s)", t.getClass().getName());
    return (EjmlTensor) t;
  }

  /** {@link #own} for the target of an in-place write, which drops the packed forms it may keep. */
  private static EjmlTensor written(RawTensor t) {
    EjmlTensor target = own(t);
    target.forgetPacked();
    return target;
  }

  /** The exception for a kernel this backend lacks for {@code dtype}. */
  static UnsupportedOpException unsupported(Op op, DType dtype) {
    return new UnsupportedOpException(op, NAME, "dtype " + dtype.label());
  }

  /** Throws {@link UnsupportedOpException} unless {@code x} is float32 or float64. */
  static void requireFloating(Op op, EjmlTensor x) {
    if (!x.dtype().isFloating()) {
      throw unsupported(op, x.dtype());
    }
  }

  /** Throws {@link IllegalArgumentException} unless both tensors have one dtype. */
  static void requireSameDtype(Op op, EjmlTensor a, EjmlTensor b) {
    checkArgument(a.dtype() == b.dtype(), "%s: dtypes differ (%s and %s)", op.label(), a.dtype().label(), b.dtype().label());
  }
}
