package dev.seq2seq.examples.cli;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.models.data.Tokenizer;
import dev.seq2seq.models.inject.SavedModel;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code seq2seq translate}: one translation a line, in input order, from a file or stdin. */
@Command(name = "translate", mixinStandardHelpOptions = true, description = {
    "Translate FILE (or stdin) one line at a time with a trained model; writes one line per input line,"
        + " in order, to stdout. Greedy decoding by default, beam search with --beam K."})
final class TranslateCommand implements Callable<Integer> {
  @Mixin
  BackendOption backend = new BackendOption();

  @Mixin
  ModelOption model = new ModelOption();

  @Option(names = "--beam", paramLabel = "K", defaultValue = "1", description = "beam size (1 = greedy; default ${DEFAULT-VALUE})")
  int beam;

  @Option(names = "--batch", paramLabel = "N", defaultValue = "32", description = "sentences decoded together (default ${DEFAULT-VALUE})")
  int batch;

  @Option(names = "--max-length", paramLabel = "N", defaultValue = "0",
      description = "longest output in tokens (default: 2 x the longest source of the batch + 10)")
  int maxLength;

  @Parameters(arity = "0..1", paramLabel = "FILE", description = "input, one sentence a line (default: stdin)")
  Path file;

  @Override
  public Integer call() throws IOException {
    checkRanges(beam, batch, maxLength);
    Backend b = backend.backend();
    SavedModel saved = model.load(b);
    Translator translator = new Translator(saved, b, beam, batch, maxLength);
    Tokenizer tokenizer = saved.spec().newTokenizer();
    String name = file == null ? "stdin" : file.toString();
    if (file != null && !Files.isRegularFile(file)) {
      throw new UsageException("%s: no such file (expected one sentence a line)", file);
    }
    PrintStream out = System.out;
    try (BufferedReader in = file == null
        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
        : Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      List<List<String>> chunk = new ArrayList<>(batch);
      long lineNumber = 0;
      String line;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        List<String> tokens = tokenizer.tokenize(line.strip());
        if (tokens.isEmpty()) {
          throw new UsageException("%s:%d: empty line (expected a sentence to translate; every input line gets one output line)", name, lineNumber);
        }
        chunk.add(tokens);
        if (chunk.size() == batch) {
          write(out, tokenizer, translator.translate(chunk));
          chunk.clear();
        }
      }
      write(out, tokenizer, translator.translate(chunk));
    }
    return 0;
  }

  /** Checks the decoding options shared with {@code eval}. */
  static void checkRanges(int beam, int batch, int maxLength) {
    if (beam < 1) {
      throw new UsageException("--beam %d: expected a beam size >= 1 (1 = greedy)", beam);
    }
    if (batch < 1) {
      throw new UsageException("--batch %d: expected a batch size >= 1", batch);
    }
    if (maxLength < 0) {
      throw new UsageException("--max-length %d: expected a length >= 1 (or 0 for the default)", maxLength);
    }
  }

  private static void write(PrintStream out, Tokenizer tokenizer, List<List<String>> translations) {
    for (List<String> t : translations) {
      out.println(tokenizer.detokenize(t));
    }
    out.flush();
  }
}
