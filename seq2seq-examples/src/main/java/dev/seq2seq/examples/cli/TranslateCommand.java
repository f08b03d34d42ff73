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

  @Mixin
  DecodingFlags decoding = new DecodingFlags();

  @Parameters(arity = "0..1", paramLabel = "FILE", description = "input, one sentence a line (default: stdin)")
  Path file;

  @Override
  public Integer call() throws IOException {
    decoding.check();
    Backend b = backend.backend();
    SavedModel saved = model.load(b);
    Translator translator = decoding.translator(saved, b);
    Tokenizer tokenizer = saved.spec().newTokenizer();
    String name = file == null ? "stdin" : file.toString();
    if (file != null && !Files.isRegularFile(file)) {
      throw new UsageException("%s: no such file (expected one sentence a line)", file);
    }
    PrintStream out = System.out;
    try (BufferedReader in = file == null
        ? new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))
        : Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      List<List<String>> chunk = new ArrayList<>(decoding.batch);
      long lineNumber = 0;
      String line;
      while ((line = in.readLine()) != null) {
        lineNumber++;
        List<String> tokens = tokenizer.tokenize(line.strip());
        if (tokens.isEmpty()) {
          throw new UsageException("%s:%d: empty line (expected a sentence to translate; every input line gets one output line)", name, lineNumber);
        }
        chunk.add(tokens);
        if (chunk.size() == decoding.batch) {
          write(out, tokenizer, translator.translate(chunk));
          chunk.clear();
        }
      }
      write(out, tokenizer, translator.translate(chunk));
    }
    return 0;
  }

  private static void write(PrintStream out, Tokenizer tokenizer, List<List<String>> translations) {
    for (List<String> t : translations) {
      out.println(tokenizer.detokenize(t));
    }
    out.flush();
  }
}
