package dev.seq2seq.models.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** BLEU against NLTK 3.8 {@code corpus_bleu} (fixtures from src/test/python/make_bleu_fixtures.py). */
class BleuTest {
  static final class Fixture {
    String nltk_version;
    List<Case> cases;
  }

  static final class Case {
    String name;
    List<List<List<String>>> references;
    List<List<String>> hypotheses;
    Map<String, Map<String, Double>> bleu;
  }

  static Fixture fixture() throws IOException {
    try (InputStream in = BleuTest.class.getResourceAsStream("/fixtures/bleu/nltk_corpus_bleu.json");
        Reader r = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      return new Gson().fromJson(r, new TypeToken<Fixture>() {}.getType());
    }
  }

  private static Smoothing smoothing(String nltkName) {
    switch (nltkName) {
      case "method0": return Smoothing.NONE;
      case "method1": return Smoothing.METHOD1;
      case "method2": return Smoothing.METHOD2;
      case "method3": return Smoothing.METHOD3;
      case "method4": return Smoothing.METHOD4;
      default: throw new AssertionError(nltkName);
    }
  }

  @Test
  void matchesNltkCorpusBleuForEverySmoothingAndOrder() throws IOException {
    Fixture f = fixture();
    assertThat(f.cases).hasSizeGreaterThanOrEqualTo(10);
    Map<String, Double> maxAbs = new java.util.TreeMap<>();
    Map<String, Double> maxRel = new java.util.TreeMap<>();
    int checked = 0;
    for (Case c : f.cases) {
      for (Map.Entry<String, Map<String, Double>> order : c.bleu.entrySet()) {
        int n = Integer.parseInt(order.getKey());
        for (Map.Entry<String, Double> m : order.getValue().entrySet()) {
          double expected = m.getValue();
          double actual = Bleu.corpus(c.references, c.hypotheses, n, smoothing(m.getKey())).score();
          assertThat(actual).as("%s, order %s, %s", c.name, n, m.getKey()).isCloseTo(expected, within(1e-12));
          // the tiny method0 values (~1e-77..1e-231) must agree relatively too
          if (expected != 0) {
            assertThat(Math.abs(actual - expected) / expected).as("%s, order %s, %s relative", c.name, n, m.getKey())
                .isLessThan(1e-12);
          } else {
            assertThat(actual).isZero();
          }
          maxAbs.merge(m.getKey(), Math.abs(actual - expected), Math::max);
          maxRel.merge(m.getKey(), expected == 0 ? 0 : Math.abs(actual - expected) / expected, Math::max);
          checked++;
        }
      }
    }
    assertThat(checked).isEqualTo(f.cases.size() * 3 * 5);
    System.out.println("BLEU vs NLTK " + f.nltk_version + ": max |diff| per method " + maxAbs + ", max relative " + maxRel);
  }

  @Test
  void perfectTranslationScoresOneAndPartsAreExposed() {
    List<String> s = List.of("a", "b", "c", "d", "e");
    BleuScore score = Bleu.corpus(List.of(List.of(s)), List.of(s), 4, Smoothing.NONE);
    assertThat(score.score()).isEqualTo(1.0);
    assertThat(score.matches()).containsExactly(5, 4, 3, 2);
    assertThat(score.totals()).containsExactly(5, 4, 3, 2);
    assertThat(score.brevityPenalty()).isEqualTo(1.0);
  }

  @Test
  void handCheckedClippingAndBrevityPenalty() {
    // hypothesis "the the the" vs "the cat": unigram clipped 1/3; closest ref length 2 < 3 so BP 1
    BleuScore s = Bleu.corpus(List.of(List.of(List.of("the", "cat"))), List.of(List.of("the", "the", "the")), 1, Smoothing.NONE);
    assertThat(s.score()).isCloseTo(1 / 3.0, within(1e-15));
    // hypothesis of 2 against closest reference of 4 -> BP exp(1 - 4/2)
    BleuScore bp = Bleu.corpus(List.of(List.of(List.of("a", "b", "c", "d"), List.of("a", "b", "c", "d", "e", "f"))),
        List.of(List.of("a", "b")), 1, Smoothing.NONE);
    assertThat(bp.brevityPenalty()).isCloseTo(Math.exp(-1), within(1e-15));
    assertThat(bp.score()).isCloseTo(Math.exp(-1), within(1e-15));
  }

  @Test
  void closestReferenceLengthPrefersTheShorterOnTies() {
    assertThat(Bleu.closestReferenceLength(List.of(List.of(1, 2, 3, 4), List.of(1, 2)), 3)).isEqualTo(2);
    assertThat(Bleu.closestReferenceLength(List.of(List.of(1, 2, 3, 4), List.of(1)), 3)).isEqualTo(4);
  }

  @Test
  void worksOnIdsAndSingleReferences() {
    List<List<Integer>> hyp = List.of(List.of(4, 5, 6, 7, 8));
    assertThat(Bleu.corpusBleuSingleReference(hyp, hyp, Smoothing.METHOD1)).isEqualTo(1.0);
  }

  @Test
  void fsumIsExactlyRounded() {
    assertThat(Bleu.fsum(new double[] {1e100, 1.0, -1e100, 1e-100}, 4)).isEqualTo(1.0);
    assertThat(Bleu.fsum(new double[] {0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1, 0.1}, 10)).isEqualTo(1.0);
    assertThat(Bleu.fsum(new double[] {1.0, 1e-16, 1e-16}, 3)).isEqualTo(1.0000000000000002);
  }

  @Test
  void rejectsMismatchedInput() {
    assertThatThrownBy(() -> Bleu.corpusBleu(List.of(), List.of(List.of("a"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 hypotheses but 0 reference sets");
    assertThatThrownBy(() -> Bleu.corpusBleu(List.of(new ArrayList<List<String>>()), List.of(List.of("a"))))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hypothesis 0 has no reference");
    assertThat(Bleu.corpusBleu(List.<List<List<String>>>of(), List.<List<String>>of())).isZero();
  }
}
