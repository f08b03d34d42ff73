package dev.seq2seq.models.metrics;

/**
 * How {@link Bleu} treats n-gram orders without matches; the methods of Chen and Cherry, "A
 * Systematic Comparison of Smoothing Techniques for Sentence-Level BLEU" (WMT 2014), numbered and
 * parameterised as NLTK's {@code SmoothingFunction} (epsilon 0.1, k 5).
 *
 * <p>Write {@code m_n / d_n} for the corpus-level clipped matches over hypothesis n-grams.
 */
public enum Smoothing {
  /**
   * NLTK {@code method0}, no smoothing. A zero {@code m_n} is replaced by the smallest normal
   * double (NLTK's {@code sys.float_info.min}, where NLTK also warns), so BLEU comes out as a
   * number of the order of {@code 1e-77} rather than exactly 0, as in NLTK.
   */
  NONE,
  /** NLTK {@code method1}: a zero {@code m_n} becomes epsilon = 0.1, so {@code p_n = 0.1 / d_n}. */
  METHOD1,
  /**
   * NLTK {@code method2} (Lin and Och 2004): for every {@code n > 1}, {@code p_n = (m_n + 1) / (d_n + 1)},
   * zero or not; unigrams are left alone.
   */
  METHOD2,
  /**
   * NLTK {@code method3}, the NIST geometric sequence: the k-th order with zero matches (k = 1, 2, ...)
   * gets {@code p_n = 1 / (2^k d_n)}.
   */
  METHOD3,
  /**
   * NLTK {@code method4}: like {@link #METHOD3} but scaled by the corpus hypothesis length
   * {@code L}: {@code p_n = 1 / (2^k * 5 / ln L) / d_n} for the k-th zero order, only when
   * {@code L > 1}.
   */
  METHOD4
}
