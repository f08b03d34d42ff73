package dev.seq2seq.examples.cli;

/** Bad input from the user (a file, an option value, an input line): one line on stderr and exit code 2. */
final class UsageException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** A problem described by {@code String.format(template, args)}. */
  UsageException(String template, Object... args) {
    super(String.format(java.util.Locale.ROOT, template, args));
  }
}
