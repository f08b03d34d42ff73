package dev.seq2seq.examples.cli;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.nn.Seq2SeqBatch;
import dev.seq2seq.api.tensor.GradMode;
import dev.seq2seq.models.data.Batcher;
import dev.seq2seq.models.data.PairEncoder;
import dev.seq2seq.models.data.SentencePair;
import dev.seq2seq.models.data.Tokenizer;
import dev.seq2seq.models.inject.SavedModel;
import dev.seq2seq.models.metrics.Bleu;
import dev.seq2seq.models.metrics.ExactMatch;
import dev.seq2seq.models.metrics.Smoothing;
import dev.seq2seq.models.training.TeacherForcedValidator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code seq2seq eval}: corpus BLEU, exact match and token accuracy of a trained model on a test corpus. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = {
    "Score a trained model on a tab-separated test corpus: corpus BLEU-4 (NLTK's definition, no smoothing) and"
        + " exact match of the decoded outputs against the references (tokens as the model's tokenizer splits"
        + " them), and teacher-forced token accuracy (argmax next token given the gold prefix)."})
final class EvalCommand implements Callable<Integer> {
  @Mixin
  BackendOption backend = new BackendOption();

  @Mixin
  ModelOption model = new ModelOption();

  @Option(names = "--test", required = true, paramLabel = "FILE", description = "source<TAB>target a line")
  Path test;

  @Mixin
  DecodingFlags decoding = new DecodingFlags();

  @Override
  public Integer call() throws IOException {
    decoding.check();
    Backend b = backend.backend();
    List<SentencePair> pairs = Corpus.read("--test", test);
    SavedModel saved = model.load(b);
    Tokenizer tokenizer = saved.spec().newTokenizer();
    List<List<String>> sources = new ArrayList<>(pairs.size());
    List<List<String>> references = new ArrayList<>(pairs.size());
    for (SentencePair p : pairs) {
      sources.add(tokenizer.tokenize(p.source()));
      references.add(tokenizer.tokenize(p.target()));
    }
    List<List<String>> hypotheses = decoding.translator(saved, b).translate(sources);
    double bleu = Bleu.corpusBleuSingleReference(references, hypotheses, Smoothing.NONE);
    double exact = ExactMatch.of(hypotheses, references);
    double tokenAccuracy = tokenAccuracy(saved, b, pairs);
    System.out.printf(Locale.ROOT, "sentences       %d%nBLEU            %.2f%nexact match     %.2f %%%ntoken accuracy  %.2f %% (teacher-forced)%n",
        pairs.size(), 100 * bleu, 100 * exact, 100 * tokenAccuracy);
    return 0;
  }

  private double tokenAccuracy(SavedModel saved, Backend b, List<SentencePair> pairs) {
    PairEncoder encoder = new PairEncoder(saved.spec().newTokenizer(), saved.source(), saved.spec().newTokenizer(), saved.target());
    List<Seq2SeqBatch> batches = Batcher.inOrder(b, encoder.encodeAll(pairs), decoding.batch);
    try (GradMode.Scope ignored = GradMode.disabled()) {
      return new TeacherForcedValidator(batches).validate(saved.model()).get("token_accuracy");
    }
  }
}
