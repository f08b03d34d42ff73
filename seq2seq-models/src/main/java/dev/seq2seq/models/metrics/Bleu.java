package dev.seq2seq.models.metrics;

import static com.google.common.base.Preconditions.checkArgument;
import static com.google.common.base.Preconditions.checkNotNull;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Corpus-level BLEU (Papineni, Roukos, Ward and Zhu, "BLEU: a Method for Automatic Evaluation of
 * Machine Translation", ACL 2002), computed as NLTK's {@code nltk.translate.bleu_score.corpus_bleu}
 * computes it, so the two agree to the last few bits:
 *
 * <pre>
 *   BLEU = BP * exp( sum_{n=1..N} w_n log p_n ),   w_n = 1/N,   p_n = m_n / d_n
 *   m_n  = sum over sentences of sum over hypothesis n-grams g of min(count_hyp(g), max_ref count_ref(g))
 *   d_n  = sum over sentences of max(1, number of hypothesis n-grams)
 *   BP   = 1 if c > r;  0 if c = 0;  exp(1 - r/c) otherwise
 * </pre>
 *
 * where {@code c} is the total hypothesis length and {@code r} the sum, per sentence, of the length
 * of the reference closest to the hypothesis length (the shorter one on a tie, NLTK's rule; the
 * original paper and mteval use the same "closest" rule). Counts are clipped by the maximum count
 * over the references of each hypothesis (the "modified precision").
 *
 * <p>NLTK's edge cases are kept: no unigram match at all (or an empty corpus) gives exactly 0;
 * zero counts at higher orders are handled by the {@link Smoothing}; an order whose smoothed
 * precision is still 0 (possible only with {@link Smoothing#METHOD4} on a one-token corpus) is left
 * out of the sum; the log terms are added with an exactly rounded sum (Python's {@code math.fsum},
 * Shewchuk's algorithm). Tokens are compared with {@code equals}: words, characters, or ids.
 */
public final class Bleu {
  /** The usual maximum n-gram order. */
  public static final int DEFAULT_MAX_ORDER = 4;
  /** Numerator given to zero-match orders by {@link Smoothing#METHOD1}. */
  public static final double EPSILON = 0.1;
  /** The constant k of {@link Smoothing#METHOD4}. */
  public static final int METHOD4_K = 5;

  private Bleu() {}

  /** BLEU-4 without smoothing. */
  public static <T> double corpusBleu(List<? extends List<? extends List<T>>> references, List<? extends List<T>> hypotheses) {
    return corpus(references, hypotheses, DEFAULT_MAX_ORDER, Smoothing.NONE).score();
  }

  /** BLEU-4 with {@code smoothing}. */
  public static <T> double corpusBleu(List<? extends List<? extends List<T>>> references, List<? extends List<T>> hypotheses,
      Smoothing smoothing) {
    return corpus(references, hypotheses, DEFAULT_MAX_ORDER, smoothing).score();
  }

  /** BLEU-4 with {@code smoothing} and one reference per hypothesis. */
  public static <T> double corpusBleuSingleReference(List<? extends List<T>> references, List<? extends List<T>> hypotheses,
      Smoothing smoothing) {
    List<List<? extends List<T>>> wrapped = new ArrayList<>(references.size());
    for (List<T> r : references) {
      wrapped.add(List.of(r));
    }
    return corpus(wrapped, hypotheses, DEFAULT_MAX_ORDER, smoothing).score();
  }

  /**
   * Corpus BLEU with uniform weights {@code 1/maxOrder}, and its parts.
   *
   * @param references for each hypothesis, one or more reference token lists
   * @param hypotheses the system outputs as token lists
   * @throws IllegalArgumentException if the lists differ in length, a hypothesis has no reference,
   *     or {@code maxOrder < 1}
   */
  public static <T> BleuScore corpus(List<? extends List<? extends List<T>>> references, List<? extends List<T>> hypotheses,
      int maxOrder, Smoothing smoothing) {
    checkNotNull(smoothing, "bleu: smoothing is null");
    checkArgument(maxOrder >= 1, "bleu: max n-gram order must be >= 1, got %s", maxOrder);
    checkArgument(references.size() == hypotheses.size(),
        "bleu: %s hypotheses but %s reference sets", hypotheses.size(), references.size());
    long[] matches = new long[maxOrder];
    long[] totals = new long[maxOrder];
    long hypLength = 0;
    long refLength = 0;
    for (int s = 0; s < hypotheses.size(); s++) {
      List<T> hyp = hypotheses.get(s);
      List<? extends List<T>> refs = references.get(s);
      checkArgument(hyp != null && refs != null, "bleu: sentence %s is null", s);
      checkArgument(!refs.isEmpty(), "bleu: hypothesis %s has no reference", s);
      for (int n = 1; n <= maxOrder; n++) {
        Map<List<T>, Integer> counts = ngrams(hyp, n);
        Map<List<T>, Integer> maxRef = new HashMap<>();
        for (List<T> ref : refs) {
          Map<List<T>, Integer> refCounts = ngrams(ref, n);
          for (List<T> g : counts.keySet()) {
            maxRef.merge(g, refCounts.getOrDefault(g, 0), Math::max);
          }
        }
        long clipped = 0;
        long total = 0;
        for (Map.Entry<List<T>, Integer> e : counts.entrySet()) {
          clipped += Math.min(e.getValue(), maxRef.get(e.getKey()));
          total += e.getValue();
        }
        matches[n - 1] += clipped;
        totals[n - 1] += Math.max(1, total);
      }
      int c = hyp.size();
      hypLength += c;
      refLength += closestReferenceLength(refs, c);
    }
    double bp = brevityPenalty(refLength, hypLength);
    double[] p = new double[maxOrder];
    if (matches[0] == 0) {
      Arrays.fill(p, Double.NaN);
      return new BleuScore(0.0, matches, totals, p, bp, hypLength, refLength);
    }
    int k = 1;
    for (int i = 0; i < maxOrder; i++) {
      long m = matches[i];
      long d = totals[i];
      switch (smoothing) {
        case NONE:
          p[i] = m != 0 ? (double) m / d : Double.MIN_NORMAL; // sys.float_info.min
          break;
        case METHOD1:
          p[i] = m != 0 ? (double) m / d : (m + EPSILON) / d;
          break;
        case METHOD2:
          p[i] = i == 0 ? (double) m / d : (double) (m + 1) / (d + 1);
          break;
        case METHOD3:
          if (m == 0) {
            p[i] = 1.0 / (double) ((1L << k) * d);
            k++;
          } else {
            p[i] = (double) m / d;
          }
          break;
        case METHOD4:
          if (m == 0 && hypLength > 1) {
            double numerator = 1.0 / ((double) ((1L << k) * METHOD4_K) / Math.log(hypLength));
            p[i] = numerator / d;
            k++;
          } else {
            p[i] = (double) m / d;
          }
          break;
        default:
          throw new AssertionError(smoothing);
      }
    }
    double w = 1.0 / maxOrder;
    double[] terms = new double[maxOrder];
    int t = 0;
    for (double pi : p) {
      if (pi > 0) {
        terms[t++] = w * Math.log(pi);
      }
    }
    double score = bp * Math.exp(fsum(terms, t));
    return new BleuScore(score, matches, totals, p, bp, hypLength, refLength);
  }

  /** The length of the reference closest to {@code hypLength}, the shorter on a tie. */
  static int closestReferenceLength(List<? extends List<?>> references, int hypLength) {
    int best = -1;
    for (List<?> r : references) {
      int len = r.size();
      if (best < 0) {
        best = len;
        continue;
      }
      int d = Math.abs(len - hypLength);
      int bd = Math.abs(best - hypLength);
      if (d < bd || (d == bd && len < best)) {
        best = len;
      }
    }
    return best;
  }

  /** {@code 1} if {@code c > r}, {@code 0} if {@code c = 0}, else {@code exp(1 - r/c)}. */
  static double brevityPenalty(long referenceLength, long hypothesisLength) {
    if (hypothesisLength > referenceLength) {
      return 1.0;
    }
    if (hypothesisLength == 0) {
      return 0.0;
    }
    return Math.exp(1 - (double) referenceLength / hypothesisLength);
  }

  private static <T> Map<List<T>, Integer> ngrams(List<T> tokens, int n) {
    Map<List<T>, Integer> counts = new HashMap<>();
    for (int i = 0; i + n <= tokens.size(); i++) {
      counts.merge(tokens.subList(i, i + n), 1, Integer::sum);
    }
    return counts;
  }

  /**
   * The correctly rounded sum of {@code x[0..n)}: Shewchuk's algorithm with the final
   * half-way correction, as CPython's {@code math.fsum} (finite inputs).
   */
  static double fsum(double[] x, int n) {
    double[] partials = new double[Math.max(4, n + 1)];
    int count = 0;
    for (int k = 0; k < n; k++) {
      double v = x[k];
      int i = 0;
      for (int j = 0; j < count; j++) {
        double y = partials[j];
        if (Math.abs(v) < Math.abs(y)) {
          double tmp = v;
          v = y;
          y = tmp;
        }
        double hi = v + y;
        double lo = y - (hi - v);
        if (lo != 0.0) {
          partials[i++] = lo;
        }
        v = hi;
      }
      if (i >= partials.length) {
        partials = Arrays.copyOf(partials, partials.length * 2);
      }
      partials[i++] = v;
      count = i;
    }
    double hi = 0.0;
    if (count > 0) {
      hi = partials[--count];
      double lo = 0.0;
      while (count > 0) {
        double v = hi;
        double y = partials[--count];
        hi = v + y;
        double yr = hi - v;
        lo = y - yr;
        if (lo != 0.0) {
          break;
        }
      }
      if (count > 0 && ((lo < 0.0 && partials[count - 1] < 0.0) || (lo > 0.0 && partials[count - 1] > 0.0))) {
        double y = lo * 2.0;
        double v = hi + y;
        double yr = v - hi;
        if (y == yr) {
          hi = v;
        }
      }
    }
    return hi;
  }
}
