package dev.seq2seq.examples.cli;

import dev.seq2seq.models.data.ParallelCorpus;
import dev.seq2seq.models.data.SentencePair;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Reads a tab-separated corpus ({@code source TAB target} a line) for the commands, with user-facing errors. */
final class Corpus {
  private Corpus() {}

  /**
   * The pairs of {@code file}.
   *
   * @throws UsageException if the file does not exist or holds no pair
   * @throws dev.seq2seq.models.data.MalformedDataException naming {@code file:line} for a malformed line
   */
  static List<SentencePair> read(String option, Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new UsageException("%s %s: no such file (expected a tab-separated corpus, source<TAB>target a line)", option, file);
    }
    List<SentencePair> pairs = ParallelCorpus.readTsv(file);
    if (pairs.isEmpty()) {
      throw new UsageException("%s %s: no sentence pairs (expected source<TAB>target a line)", option, file);
    }
    return pairs;
  }
}
