package dev.seq2seq.examples.cli;

import dev.seq2seq.examples.customcell.CustomCellExample;
import dev.seq2seq.examples.dates.DatesExample;
import dev.seq2seq.examples.numerals.NumeralsExample;
import dev.seq2seq.examples.reverse.ReverseExample;
import dev.seq2seq.examples.xor.XorExample;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code seq2seq example NAME}: runs a packaged example end to end. */
@Command(name = "example", description = "Run a packaged example end to end: ${COMPLETION-CANDIDATES}.")
final class ExampleCommand implements Callable<Integer> {
  private static final Map<String, Consumer<dev.seq2seq.api.backend.Backend>> EXAMPLES = new TreeMap<>(Map.of(
      "custom-cell", CustomCellExample::run,
      "dates", DatesExample::run,
      "numerals", NumeralsExample::run,
      "reverse", ReverseExample::run,
      "xor", XorExample::run));

  @Spec
  CommandSpec spec;

  @Mixin
  BackendOption backend = new BackendOption();

  @Parameters(paramLabel = "NAME", description = "the example to run")
  String name;

  @Override
  public Integer call() {
    Consumer<dev.seq2seq.api.backend.Backend> example = EXAMPLES.get(name);
    if (example == null) {
      throw new IllegalArgumentException(String.format("unknown example '%s': available examples are %s", name, EXAMPLES.keySet()));
    }
    example.accept(backend.backend());
    return 0;
  }
}
