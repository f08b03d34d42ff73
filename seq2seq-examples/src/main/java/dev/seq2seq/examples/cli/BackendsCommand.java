package dev.seq2seq.examples.cli;

import dev.seq2seq.api.backend.Backend;
import dev.seq2seq.api.backend.BackendProvider;
import dev.seq2seq.api.backend.Backends;
import dev.seq2seq.api.compile.Compiler;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code seq2seq backends}: what is installed, which is the default, what each can do. */
@Command(name = "backends", description = "List the installed backends, the default and their capabilities.")
final class BackendsCommand implements Callable<Integer> {
  @Spec
  CommandSpec spec;

  @Option(names = "--load", description = "Also load each backend and print what it loaded (native build, device).")
  boolean load;

  @Override
  public Integer call() {
    var out = spec.commandLine().getOut();
    String chosen = Backends.defaultName();
    for (BackendProvider p : Backends.providers()) {
      String mark = p.name().equals(chosen) ? "*" : " ";
      out.printf("%s %-12s priority %3d%n", mark, p.name(), p.priority());
      if (load) {
        Backend b = Backends.get(p.name());
        out.printf("    %s%n    compiled steps: %s%n", b.description(), b instanceof Compiler ? "yes" : "no (runs eagerly)");
      }
    }
    out.printf("%n* = default (explicit --backend > -D%s > $%s > highest priority)%n", Backends.PROPERTY, Backends.ENVIRONMENT);
    return 0;
  }
}
