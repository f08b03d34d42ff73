package dev.seq2seq.examples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code seq2seq} command line: {@code backends}, {@code example NAME}, {@code bench}, and (as
 * they land) {@code train}, {@code translate}, {@code eval}. Bad input gets one clear line on stderr
 * and exit code 2, not a stack trace.
 */
@Command(name = "seq2seq", mixinStandardHelpOptions = true, version = "seq2seq 0.1.0-SNAPSHOT",
    description = "Sequence-to-sequence models on the JVM.",
    subcommands = {BackendsCommand.class, ExampleCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Seq2SeqCommand {
  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit status (0 success, 1 failure, 2 usage error). */
  public static int run(String... args) {
    return new CommandLine(new Seq2SeqCommand())
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          cmd.getErr().println("seq2seq " + cmd.getCommandName() + ": " + oneLine(e));
          return e instanceof IllegalArgumentException ? 2 : 1;
        })
        .execute(args);
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message;
  }
}
