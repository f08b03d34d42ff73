package dev.seq2seq.backend.ejml.floatmath;

import static dev.seq2seq.backend.ejml.floatmath.FloatFunctions.EXP_MAX;
import static dev.seq2seq.backend.ejml.floatmath.FloatMath.DOT_LANES;
import static dev.seq2seq.backend.ejml.floatmath.FloatFunctions.EXP_MIN;
import static dev.seq2seq.backend.ejml.floatmath.FloatFunctions.EXP_TAYLOR;
import static dev.seq2seq.backend.ejml.floatmath.FloatFunctions.LN2_HI;
import static dev.seq2seq.backend.ejml.floatmath.FloatFunctions.LN2_LO;
import static dev.seq2seq.backend.ejml.floatmath.FloatFunctions.LOG2E;
import static dev.seq2seq.backend.ejml.floatmath.FloatFunctions.ROUND;
import static dev.seq2seq.backend.ejml.floatmath.FloatFunctions.ROUND_BITS;
import static dev.seq2seq.backend.ejml.floatmath.FloatFunctions.EXPM1_TAYLOR;
import static dev.seq2seq.backend.ejml.floatmath.FloatFunctions.TANH_U_MAX;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link FloatMath} on Vector API lanes with exactly the operations of {@link FloatFunctions}, in
 * the same order, so every element gets the bits {@link FloatFunctions} gives it, in every JIT tier
 * and for the scalar tail alike (runs are reproducible). Only loaded (reflectively, by
 * {@link FloatMaths}) when {@code jdk.incubator.vector} is present.
 */
final class VectorFloatMath implements FloatMath {
  private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
  private static final FloatVector ONE = FloatVector.broadcast(S, 1f);
  private static final FloatVector TWO = FloatVector.broadcast(S, 2f);
  private static final int SIGN_BIT = 0x80000000;
  private static final FloatVector MINUS_LN2_HI = FloatVector.broadcast(S, -LN2_HI);
  private static final FloatVector MINUS_LN2_LO = FloatVector.broadcast(S, -LN2_LO);
  private static final FloatVector E0 = FloatVector.broadcast(S, EXP_TAYLOR[0]);
  private static final FloatVector E1 = FloatVector.broadcast(S, EXP_TAYLOR[1]);
  private static final FloatVector E2 = FloatVector.broadcast(S, EXP_TAYLOR[2]);
  private static final FloatVector E3 = FloatVector.broadcast(S, EXP_TAYLOR[3]);
  private static final FloatVector E4 = FloatVector.broadcast(S, EXP_TAYLOR[4]);
  private static final FloatVector E5 = FloatVector.broadcast(S, EXP_TAYLOR[5]);
  private static final FloatVector E6 = FloatVector.broadcast(S, EXP_TAYLOR[6]);
  private static final FloatVector E7 = FloatVector.broadcast(S, EXP_TAYLOR[7]);
  private static final FloatVector M0 = FloatVector.broadcast(S, EXPM1_TAYLOR[0]);
  private static final FloatVector M1 = FloatVector.broadcast(S, EXPM1_TAYLOR[1]);
  private static final FloatVector M2 = FloatVector.broadcast(S, EXPM1_TAYLOR[2]);
  private static final FloatVector M3 = FloatVector.broadcast(S, EXPM1_TAYLOR[3]);
  private static final FloatVector M4 = FloatVector.broadcast(S, EXPM1_TAYLOR[4]);
  private static final FloatVector M5 = FloatVector.broadcast(S, EXPM1_TAYLOR[5]);
  private static final FloatVector M6 = FloatVector.broadcast(S, EXPM1_TAYLOR[6]);

  /**
   * Lane {@code l} to {@code l + half} (mod the lane count), for the halving folds of {@link #dot}
   * (FOLD8 on 512-bit vectors only; lanes past {@code half} only ever add to lanes nobody reads).
   */
  private static final VectorShuffle<Float> FOLD8 = VectorShuffle.iota(S, 8, 1, true);
  private static final VectorShuffle<Float> FOLD4 = VectorShuffle.iota(S, 4, 1, true);
  private static final VectorShuffle<Float> FOLD2 = VectorShuffle.iota(S, 2, 1, true);
  private static final VectorShuffle<Float> FOLD1 = VectorShuffle.iota(S, 1, 1, true);

  VectorFloatMath() {}

  /** Whole vectors, the same operations in the same order as {@link ScoreGradients#addTanh} (which takes the tail). */
  @Override
  public void addTanhScoreGradient(float d, float[] w, float[] t, int ti, float[] a, int ai, float[] b, int bi, int n) {
    int bound = S.loopBound(n);
    FloatVector dv = FloatVector.broadcast(S, d);
    for (int j = 0; j < bound; j += S.length()) {
      FloatVector tj = FloatVector.fromArray(S, t, ti + j);
      FloatVector g = dv.mul(FloatVector.fromArray(S, w, j)).mul(ONE.sub(tj.mul(tj)));
      FloatVector.fromArray(S, a, ai + j).add(g).intoArray(a, ai + j);
      FloatVector.fromArray(S, b, bi + j).add(g).intoArray(b, bi + j);
    }
    ScoreGradients.addTanh(d, w, t, ti, a, ai, b, bi, bound, n);
  }

  /**
   * The 16 partial sums in the lanes of one 512-bit vector, or of two 256-bit ones (sums 0-7 and
   * 8-15), folded by lane shuffles (lane {@code l} plus lane {@code l + half}: the scalar fold's
   * additions); narrower vectors take the scalar default.
   */
  @Override
  public float dot(float[] x, int xi, float[] y, int yi, int n) {
    if (S.length() == DOT_LANES / 2) {
      return dotOnHalves(x, xi, y, yi, n);
    }
    if (S.length() != DOT_LANES) {
      return Dots.dot(x, xi, y, yi, n);
    }
    int whole = n - n % DOT_LANES;
    FloatVector p = FloatVector.zero(S);
    for (int i = 0; i < whole; i += DOT_LANES) {
      p = FloatVector.fromArray(S, x, xi + i).fma(FloatVector.fromArray(S, y, yi + i), p);
    }
    p = p.add(p.rearrange(FOLD8));
    p = p.add(p.rearrange(FOLD4));
    p = p.add(p.rearrange(FOLD2));
    p = p.add(p.rearrange(FOLD1));
    return Dots.tail(p.lane(0), x, xi, y, yi, whole, n);
  }

  /**
   * {@link #dot} on 256-bit vectors: partial sums 0-7 in one vector and 8-15 in the other; the first
   * fold (sum {@code l} plus sum {@code l + 8}) adds the two, the others shuffle within one.
   */
  private static float dotOnHalves(float[] x, int xi, float[] y, int yi, int n) {
    int whole = n - n % DOT_LANES;
    int half = DOT_LANES / 2;
    FloatVector low = FloatVector.zero(S);
    FloatVector high = FloatVector.zero(S);
    for (int i = 0; i < whole; i += DOT_LANES) {
      low = FloatVector.fromArray(S, x, xi + i).fma(FloatVector.fromArray(S, y, yi + i), low);
      high = FloatVector.fromArray(S, x, xi + i + half).fma(FloatVector.fromArray(S, y, yi + i + half), high);
    }
    FloatVector p = low.add(high);
    p = p.add(p.rearrange(FOLD4));
    p = p.add(p.rearrange(FOLD2));
    p = p.add(p.rearrange(FOLD1));
    return Dots.tail(p.lane(0), x, xi, y, yi, whole, n);
  }

  /**
   * Doubles of a vector as wide as {@link #S}: each float vector widens into two of them (parts 0
   * and 1). No float species but {@link #S} is used: a second one (a 256-bit float species for the
   * conversion) made the 512-bit GEMM kernel's Vector API call sites polymorphic, and training (c)
   * lost 13 % (interleaved runs, 12,521 -> 10,878 tok/s).
   */
  private static final VectorSpecies<Double> WIDE = VectorSpecies.of(double.class, VectorShape.forBitSize(S.vectorBitSize()));

  /** Whole vectors, the tail scalar: the same additions. */
  @Override
  public void addTo(float[] src, int si, float[] dst, int di, int n) {
    int bound = S.loopBound(n);
    int j = 0;
    for (; j < bound; j += S.length()) {
      FloatVector.fromArray(S, dst, di + j).add(FloatVector.fromArray(S, src, si + j)).intoArray(dst, di + j);
    }
    for (; j < n; j++) {
      dst[di + j] += src[si + j];
    }
  }

  /** Whole float vectors widened with two lane conversions, the tail scalar: the same additions. */
  @Override
  public void addWidened(float[] src, int si, double[] acc, int ai, int n) {
    int half = WIDE.length();
    int bound = S.loopBound(n);
    int j = 0;
    for (; j < bound; j += S.length()) {
      FloatVector x = FloatVector.fromArray(S, src, si + j);
      DoubleVector low = (DoubleVector) x.convertShape(VectorOperators.F2D, WIDE, 0);
      DoubleVector high = (DoubleVector) x.convertShape(VectorOperators.F2D, WIDE, 1);
      DoubleVector.fromArray(WIDE, acc, ai + j).add(low).intoArray(acc, ai + j);
      DoubleVector.fromArray(WIDE, acc, ai + j + half).add(high).intoArray(acc, ai + j + half);
    }
    for (; j < n; j++) {
      acc[ai + j] += src[si + j];
    }
  }

  /**
   * The 16 partial sums in two double vectors of 8 lanes, or four of 4 (sums 0-3, 4-7, 8-11, 12-15),
   * folded as {@link DoubleSums#fold} folds them (no array: a scratch per call made a training step
   * of (c) allocate 5 MB more) and finished by {@link DoubleSums}; other widths take the scalar
   * default.
   */
  @Override
  public double sumDoubles(double[] v, int n) {
    return WIDE.length() == 8 || WIDE.length() == 4 ? DoubleSums.sumTail(foldedPartialSums(v, v, n, false), v, n - n % DOT_LANES, n)
        : FloatMath.super.sumDoubles(v, n);
  }

  /** The partial sums of {@link #sumDoubles}, of the rounded products (multiply, then add: no fused multiply-add). */
  @Override
  public double dotDoubles(double[] a, double[] b, int n) {
    return WIDE.length() == 8 || WIDE.length() == 4 ? DoubleSums.dotTail(foldedPartialSums(a, b, n, true), a, b, n - n % DOT_LANES, n)
        : FloatMath.super.dotDoubles(a, b, n);
  }

  /**
   * The 16 partial sums of {@code a[i]} (or of {@code a[i] * b[i]} with {@code products}) over the
   * whole 16s of {@code n}, folded: in two 8-lane vectors or four 4-lane ones.
   */
  private static double foldedPartialSums(double[] a, double[] b, int n, boolean products) {
    int whole = n - n % DOT_LANES;
    int w = WIDE.length();
    DoubleVector a0 = DoubleVector.zero(WIDE);
    DoubleVector a1 = DoubleVector.zero(WIDE);
    DoubleVector a2 = DoubleVector.zero(WIDE);
    DoubleVector a3 = DoubleVector.zero(WIDE);
    for (int i = 0; i < whole; i += DOT_LANES) {
      a0 = a0.add(term(a, b, i, products));
      a1 = a1.add(term(a, b, i + w, products));
      if (w == 4) {
        a2 = a2.add(term(a, b, i + 8, products));
        a3 = a3.add(term(a, b, i + 12, products));
      }
    }
    return w == 8 ? fold(a0.add(a1)) : fold(a0.add(a2), a1.add(a3));
  }

  /** {@code a[i..]}, or {@code a[i..] * b[i..]} with {@code products}, one vector of {@link #WIDE}. */
  private static DoubleVector term(double[] a, double[] b, int i, boolean products) {
    DoubleVector x = DoubleVector.fromArray(WIDE, a, i);
    return products ? x.mul(DoubleVector.fromArray(WIDE, b, i)) : x;
  }

  /** {@code q[0..8)} (the partial sums after the first halving) folded 4, 2 and 1 apart, as {@link DoubleSums#fold}. */
  private static double fold(DoubleVector q) {
    double r0 = q.lane(0) + q.lane(4);
    double r1 = q.lane(1) + q.lane(5);
    double r2 = q.lane(2) + q.lane(6);
    double r3 = q.lane(3) + q.lane(7);
    return (r0 + r2) + (r1 + r3);
  }

  /** {@link #fold(DoubleVector)} of {@code q[0..4)} in {@code low} and {@code q[4..8)} in {@code high}. */
  private static double fold(DoubleVector low, DoubleVector high) {
    double r0 = low.lane(0) + high.lane(0);
    double r1 = low.lane(1) + high.lane(1);
    double r2 = low.lane(2) + high.lane(2);
    double r3 = low.lane(3) + high.lane(3);
    return (r0 + r2) + (r1 + r3);
  }

  /**
   * {@link #S}'s lanes of columns at a time, each float widened into the two halves of {@link #WIDE}:
   * per lane the operations of {@link LayerNormSums} in its order (no fused multiply-add), which
   * takes the columns past the last whole vector.
   */
  @Override
  public void layerNormColumnSums(float[] g, float[] x, double[] mean, double[] rstd, int rows, int n, int j0, int j1,
      double[] dw, double[] db) {
    int half = WIDE.length();
    int j = j0;
    for (; j + S.length() <= j1; j += S.length()) {
      DoubleVector wLow = DoubleVector.zero(WIDE);
      DoubleVector wHigh = DoubleVector.zero(WIDE);
      DoubleVector bLow = DoubleVector.zero(WIDE);
      DoubleVector bHigh = DoubleVector.zero(WIDE);
      for (int r = 0, o = j; r < rows; r++, o += n) {
        DoubleVector m = DoubleVector.broadcast(WIDE, mean[r]);
        DoubleVector s = DoubleVector.broadcast(WIDE, rstd[r]);
        FloatVector gs = FloatVector.fromArray(S, g, o);
        FloatVector xs = FloatVector.fromArray(S, x, o);
        DoubleVector gLow = (DoubleVector) gs.convertShape(VectorOperators.F2D, WIDE, 0);
        DoubleVector gHigh = (DoubleVector) gs.convertShape(VectorOperators.F2D, WIDE, 1);
        DoubleVector xLow = (DoubleVector) xs.convertShape(VectorOperators.F2D, WIDE, 0);
        DoubleVector xHigh = (DoubleVector) xs.convertShape(VectorOperators.F2D, WIDE, 1);
        wLow = wLow.add(gLow.mul(xLow.sub(m).mul(s)));
        wHigh = wHigh.add(gHigh.mul(xHigh.sub(m).mul(s)));
        bLow = bLow.add(gLow);
        bHigh = bHigh.add(gHigh);
      }
      wLow.intoArray(dw, j);
      wHigh.intoArray(dw, j + half);
      bLow.intoArray(db, j);
      bHigh.intoArray(db, j + half);
    }
    LayerNormSums.columns(g, x, mean, rstd, rows, n, j, j1, dw, db);
  }

  @Override
  public String name() {
    return FloatMaths.VECTOR;
  }

  @Override
  public void multiply(float[] x, float[] y, float[] z, int from, int to) {
    productOrQuotient(false, x, y, z, from, to);
  }

  @Override
  public void divide(float[] x, float[] y, float[] z, int from, int to) {
    productOrQuotient(true, x, y, z, from, to);
  }

  /**
   * {@code x * y} or {@code x / y} on whole vectors, each lane flushed to zero with its sign where
   * subnormal ({@link FloatMath#flushSubnormal}, which takes the tail); no vector crosses a call.
   */
  private static void productOrQuotient(boolean divide, float[] x, float[] y, float[] z, int from, int to) {
    int bound = from + S.loopBound(to - from);
    int i = from;
    for (; i < bound; i += S.length()) {
      FloatVector a = FloatVector.fromArray(S, x, i);
      FloatVector b = FloatVector.fromArray(S, y, i);
      FloatVector v = divide ? a.div(b) : a.mul(b);
      FloatVector signedZero = v.reinterpretAsInts().and(Integer.MIN_VALUE).reinterpretAsFloats();
      v.blend(signedZero, v.abs().lt(Float.MIN_NORMAL)).intoArray(z, i);
    }
    for (; i < to; i++) {
      z[i] = FloatMath.flushSubnormal(divide ? x[i] / y[i] : x[i] * y[i]);
    }
  }

  @Override
  public void exp(float[] in, float[] out, int from, int to) {
    int tail = apply(EXP, in, out, from, to);
    for (int i = tail; i < to; i++) {
      out[i] = FloatFunctions.exp(in[i]);
    }
  }

  /**
   * The steps of {@link FloatFunctions#tanh} on lanes, in their own loop (one exp-like evaluation
   * and a division: ~0.48 ns an element on one core here, against ~1.0 for the earlier
   * series-or-exp form that evaluated both branches on every lane).
   */
  @Override
  public void tanh(float[] in, float[] out, int from, int to) {
    int bound = from + S.loopBound(to - from);
    for (int i = from; i < bound; i += S.length()) {
      FloatVector x = FloatVector.fromArray(S, in, i);
      FloatVector u = x.abs().mul(TWO).min(TANH_U_MAX);
      FloatVector y = u.mul(LOG2E).add(ROUND);
      FloatVector k = y.sub(ROUND);
      FloatVector r = k.fma(MINUS_LN2_LO, k.fma(MINUS_LN2_HI, u));
      FloatVector q = M0.fma(r, M1).fma(r, M2).fma(r, M3).fma(r, M4).fma(r, M5).fma(r, M6);
      FloatVector m = r.mul(r).fma(q, r);
      FloatVector scale = y.reinterpretAsInts().sub(ROUND_BITS - 127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      FloatVector e = scale.fma(m, scale.sub(ONE));
      FloatVector t = e.div(e.add(TWO)); // >= 0 or NaN: the sign of x is or-ed in, as copySign does
      t.reinterpretAsInts().or(x.reinterpretAsInts().and(SIGN_BIT)).reinterpretAsFloats().intoArray(out, i);
    }
    for (int i = bound; i < to; i++) {
      out[i] = FloatFunctions.tanh(in[i]);
    }
  }

  @Override
  public void sigmoid(float[] in, float[] out, int from, int to) {
    int tail = apply(SIGMOID, in, out, from, to);
    for (int i = tail; i < to; i++) {
      out[i] = FloatFunctions.sigmoid(in[i]);
    }
  }

  private static final int EXP = 0;
  private static final int SIGMOID = 1;

  /**
   * The whole vectors of {@code in[from, to)} (returns where the scalar tail starts): {@code exp} of
   * the argument the function needs ({@code x}, or {@code -|x|} for sigmoid), then the function's last steps. One method with
   * no vector passed to or returned from a call: a helper returning a vector was "too big" for C2 to
   * inline (PrintInlining), so its vectors were boxed and ran through the API's Java fallback
   * (Float512Vector objects and arrays allocated, ~10x slower).
   */
  private static int apply(int function, float[] in, float[] out, int from, int to) {
    int bound = from + S.loopBound(to - from);
    for (int i = from; i < bound; i += S.length()) {
      FloatVector x = FloatVector.fromArray(S, in, i);
      FloatVector u = function == EXP ? x : x.abs().neg();
      // exp(u): the steps of FloatFunctions.exp, Horner unrolled
      FloatVector c = u.max(EXP_MIN).min(EXP_MAX);
      FloatVector y = c.mul(LOG2E).add(ROUND);
      FloatVector k = y.sub(ROUND);
      FloatVector r = k.fma(MINUS_LN2_LO, k.fma(MINUS_LN2_HI, c));
      FloatVector p = E0.fma(r, E1).fma(r, E2).fma(r, E3).fma(r, E4).fma(r, E5).fma(r, E6).fma(r, E7);
      // k as an int from the bits of y (a float-to-int conversion is not compiled to a vector instruction on JDK 17)
      IntVector ki = y.reinterpretAsInts().sub(ROUND_BITS);
      IntVector k1 = ki.lanewise(VectorOperators.ASHR, 1);
      FloatVector scale1 = k1.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      FloatVector scale2 = ki.sub(k1).add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
      FloatVector e = p.mul(scale1).mul(scale2);
      FloatVector result;
      if (function == EXP) {
        result = e;
      } else {
        FloatVector q = ONE.div(e.add(ONE));
        result = q.blend(e.mul(q), x.compare(VectorOperators.LT, 0f));
      }
      result.blend(0f, result.lt(Float.MIN_NORMAL)).intoArray(out, i); // exp and sigmoid are >= 0: flush subnormals to +0
    }
    return bound;
  }

  /** Whole vectors, the same operations in the same order as {@link AdamUpdates#update} (which takes the tail). */
  @Override
  public void adamUpdate(float[] w, float[] g, float[] m, float[] v, float[] w2, float[] m2, float[] v2, int from, int to,
      float b1, float c1, float b2, float c2, float eps, float sqrtCorrection2, float stepSize) {
    int bound = from + S.loopBound(to - from);
    for (int i = from; i < bound; i += S.length()) {
      FloatVector gi = FloatVector.fromArray(S, g, i);
      FloatVector mi = FloatVector.fromArray(S, m, i).mul(b1).add(gi.mul(c1));
      FloatVector vi = FloatVector.fromArray(S, v, i).mul(b2).add(gi.mul(gi).mul(c2));
      FloatVector den = vi.sqrt().div(sqrtCorrection2).add(eps);
      mi.intoArray(m2, i);
      vi.intoArray(v2, i);
      FloatVector.fromArray(S, w, i).sub(mi.div(den).mul(stepSize)).intoArray(w2, i);
    }
    AdamUpdates.update(w, g, m, v, w2, m2, v2, bound, to, b1, c1, b2, c2, eps, sqrtCorrection2, stepSize);
  }

  /**
   * Whole vectors of each row, the same operations in the same order as {@link CellForwards#lstm}
   * (whose loops take the tails); ~2x faster than those loops alone at [64, 1024] (they stayed scalar).
   */
  @Override
  public void lstmCellForward(float[] x, float[] hp, float[] bias, float[] c, float[] out, float[] s, int h, int fromRow, int toRow) {
    int sums = S.loopBound(4 * h);
    int bound = S.loopBound(h);
    for (int b = fromRow; b < toRow; b++) {
      int si = b * 5 * h;
      int xi = b * 4 * h;
      int oi = b * 2 * h;
      int ci = b * h;
      if (hp == null) {
        System.arraycopy(x, xi, s, si, 4 * h);
      } else {
        for (int j = 0; j < sums; j += S.length()) {
          FloatVector.fromArray(S, x, xi + j).add(FloatVector.fromArray(S, hp, xi + j)).add(FloatVector.fromArray(S, bias, j))
              .intoArray(s, si + j);
        }
        CellForwards.lstmSums(x, hp, bias, s, h, b, sums, 4 * h);
      }
      sigmoid(s, s, si, si + 2 * h); // i, f
      tanh(s, s, si + 2 * h, si + 3 * h); // g
      sigmoid(s, s, si + 3 * h, si + 4 * h); // o
      for (int j = 0; j < bound; j += S.length()) {
        FloatVector f = FloatVector.fromArray(S, s, si + h + j);
        FloatVector i = FloatVector.fromArray(S, s, si + j);
        FloatVector g = FloatVector.fromArray(S, s, si + 2 * h + j);
        FloatVector cNew = f.mul(FloatVector.fromArray(S, c, ci + j)).add(i.mul(g));
        cNew.intoArray(out, oi + h + j);
        cNew.intoArray(s, si + 4 * h + j);
      }
      CellForwards.lstmState(s, c, out, h, b, bound, h);
      tanh(s, s, si + 4 * h, si + 5 * h);
      for (int j = 0; j < bound; j += S.length()) {
        FloatVector.fromArray(S, s, si + 3 * h + j).mul(FloatVector.fromArray(S, s, si + 4 * h + j)).intoArray(out, oi + j);
      }
      CellForwards.lstmOutput(s, out, h, b, bound, h);
    }
  }

  /** Whole vectors of each row, the same operations in the same order as {@link CellForwards#gru} (whose loops take the tails). */
  @Override
  public void gruCellForward(float[] x, float[] bx, float[] y, float[] by, float[] hs, float[] out, float[] s, int h,
      int fromRow, int toRow) {
    int sums = S.loopBound(2 * h);
    int bound = S.loopBound(h);
    boolean biased = bx != null;
    for (int b = fromRow; b < toRow; b++) {
      int si = b * 4 * h;
      int gi = b * 3 * h;
      int hi = b * h;
      for (int j = 0; j < sums; j += S.length()) {
        FloatVector xj = FloatVector.fromArray(S, x, gi + j);
        FloatVector yj = FloatVector.fromArray(S, y, gi + j);
        if (biased) {
          xj = xj.add(FloatVector.fromArray(S, bx, j));
          yj = yj.add(FloatVector.fromArray(S, by, j));
        }
        xj.add(yj).intoArray(s, si + j);
      }
      CellForwards.gruSums(x, bx, y, by, s, h, b, sums, 2 * h);
      sigmoid(s, s, si, si + 2 * h); // r, z
      for (int j = 0; j < bound; j += S.length()) {
        FloatVector xn = FloatVector.fromArray(S, x, gi + 2 * h + j);
        FloatVector yn = FloatVector.fromArray(S, y, gi + 2 * h + j);
        if (biased) {
          xn = xn.add(FloatVector.fromArray(S, bx, 2 * h + j));
          yn = yn.add(FloatVector.fromArray(S, by, 2 * h + j));
        }
        xn.add(FloatVector.fromArray(S, s, si + j).mul(yn)).intoArray(s, si + 2 * h + j);
        yn.intoArray(s, si + 3 * h + j);
      }
      CellForwards.gruCandidate(x, bx, y, by, s, h, b, bound, h);
      tanh(s, s, si + 2 * h, si + 3 * h); // n
      for (int j = 0; j < bound; j += S.length()) {
        FloatVector n = FloatVector.fromArray(S, s, si + 2 * h + j);
        n.add(FloatVector.fromArray(S, s, si + h + j).mul(FloatVector.fromArray(S, hs, hi + j).sub(n))).intoArray(out, hi + j);
      }
      CellForwards.gruOutput(s, hs, out, h, b, bound, h);
    }
  }

  /** Whole vectors of each row, the same operations in the same order as {@link CellGradients#lstm} (which takes the tail). */
  @Override
  public void lstmCellGradient(float[] d, float[] s, float[] c, float[] dGates, float[] dCell, int h, int fromRow, int toRow) {
    int bound = S.loopBound(h);
    for (int b = fromRow; b < toRow; b++) {
      int si = b * 5 * h;
      int dhRow = b * 2 * h;
      int gRow = b * 4 * h;
      int cRow = b * h;
      for (int j = 0; j < bound; j += S.length()) {
        FloatVector i = FloatVector.fromArray(S, s, si + j);
        FloatVector f = FloatVector.fromArray(S, s, si + h + j);
        FloatVector g = FloatVector.fromArray(S, s, si + 2 * h + j);
        FloatVector o = FloatVector.fromArray(S, s, si + 3 * h + j);
        FloatVector t = FloatVector.fromArray(S, s, si + 4 * h + j);
        FloatVector dh = FloatVector.fromArray(S, d, dhRow + j);
        FloatVector dc = FloatVector.fromArray(S, d, dhRow + h + j).add(dh.mul(o).mul(ONE.sub(t.mul(t))));
        dc.mul(g).mul(i.mul(ONE.sub(i))).intoArray(dGates, gRow + j);
        dc.mul(FloatVector.fromArray(S, c, cRow + j)).mul(f.mul(ONE.sub(f))).intoArray(dGates, gRow + h + j);
        dc.mul(i).mul(ONE.sub(g.mul(g))).intoArray(dGates, gRow + 2 * h + j);
        dh.mul(t).mul(o.mul(ONE.sub(o))).intoArray(dGates, gRow + 3 * h + j);
        dc.mul(f).intoArray(dCell, cRow + j);
      }
      CellGradients.lstm(d, s, c, dGates, dCell, h, b, bound, h);
    }
  }

  /** Whole vectors of each row, the same operations in the same order as {@link CellGradients#gru} (which takes the tail). */
  @Override
  public void gruCellGradient(float[] d, float[] s, float[] hs, float[] dgi, float[] dgh, float[] dh, int h, int fromRow, int toRow) {
    int bound = S.loopBound(h);
    for (int b = fromRow; b < toRow; b++) {
      int si = b * 4 * h;
      int gRow = b * 3 * h;
      int hRow = b * h;
      for (int j = 0; j < bound; j += S.length()) {
        FloatVector r = FloatVector.fromArray(S, s, si + j);
        FloatVector z = FloatVector.fromArray(S, s, si + h + j);
        FloatVector n = FloatVector.fromArray(S, s, si + 2 * h + j);
        FloatVector ghn = FloatVector.fromArray(S, s, si + 3 * h + j);
        FloatVector g = FloatVector.fromArray(S, d, hRow + j);
        FloatVector dn = g.mul(ONE.sub(z)).mul(ONE.sub(n.mul(n)));
        FloatVector dr = dn.mul(ghn).mul(r.mul(ONE.sub(r)));
        FloatVector dz = g.mul(FloatVector.fromArray(S, hs, hRow + j).sub(n)).mul(z.mul(ONE.sub(z)));
        dr.intoArray(dgi, gRow + j);
        dz.intoArray(dgi, gRow + h + j);
        dn.intoArray(dgi, gRow + 2 * h + j);
        dr.intoArray(dgh, gRow + j);
        dz.intoArray(dgh, gRow + h + j);
        dn.mul(r).intoArray(dgh, gRow + 2 * h + j);
        g.mul(z).intoArray(dh, hRow + j);
      }
      CellGradients.gru(d, s, hs, dgi, dgh, dh, h, b, bound, h);
    }
  }
}
