package dev.seq2seq.examples.cli;

import dev.seq2seq.models.checkpoint.CorruptCheckpointException;
import dev.seq2seq.models.data.MalformedDataException;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code seq2seq} command line: {@code backends}, {@code example NAME}, {@code train},
 * {@code translate}, {@code eval}, {@code bench}. Bad input — a {@link UsageException}, an
 * {@link IllegalArgumentException}, a malformed corpus, a missing or corrupt checkpoint, a bad
 * option — gets one line on stderr and exit code 2, not a stack trace; anything else exits 1.
 */
@Command(name = "seq2seq", mixinStandardHelpOptions = true, version = "seq2seq 0.1.0-SNAPSHOT",
    description = "Sequence-to-sequence models on the JVM.",
    subcommands = {BackendsCommand.class, ExampleCommand.class, TrainCommand.class, TranslateCommand.class,
        EvalCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Seq2SeqCommand {
  /** Runs the command line and exits with its status. */
  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the command line and returns its exit status (0 success, 1 failure, 2 usage error). */
  public static int run(String... args) {
    return new CommandLine(new Seq2SeqCommand())
        .setParameterExceptionHandler((e, a) -> {
          CommandLine cmd = e.getCommandLine();
          cmd.getErr().println("seq2seq " + cmd.getCommandName() + ": " + oneLine(e)
              + " (see 'seq2seq " + cmd.getCommandName() + " --help')");
          return 2;
        })
        .setExecutionExceptionHandler((e, cmd, parsed) -> {
          Throwable cause = e instanceof UncheckedIOException && e.getCause() != null ? e.getCause() : e;
          cmd.getErr().println("seq2seq " + cmd.getCommandName() + ": " + oneLine(cause));
          return isUsageError(cause) ? 2 : 1;
        })
        .execute(args);
  }

  /** Whether {@code e} is the user's input being wrong rather than the program failing. */
  static boolean isUsageError(Throwable e) {
    return e instanceof UsageException || e instanceof IllegalArgumentException || e instanceof MalformedDataException
        || e instanceof CorruptCheckpointException || e instanceof NoSuchFileException;
  }

  /** The message on one line (multi-line messages, e.g. a checkpoint mismatch, are joined with "; "). */
  private static String oneLine(Throwable e) {
    String message = e.getMessage();
    return message == null ? e.getClass().getSimpleName() : message.strip().replaceAll("\\s*\\R\\s*", "; ");
  }
}
