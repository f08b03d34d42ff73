package dev.seq2seq.models.data;

import java.io.IOException;

/**
 * A data file (corpus, vocabulary) that cannot be used as it is; the message names the file, the
 * line when there is one ({@code file:line: problem}) and the problem.
 */
public class MalformedDataException extends IOException {
  private static final long serialVersionUID = 1L;

  private final String source;
  private final long line;

  /** A problem with the whole file {@code source}. */
  public MalformedDataException(String source, String problem) {
    this(source, -1, problem, null);
  }

  /** A problem on line {@code line} (1-based; -1 when not tied to a line) of {@code source}. */
  public MalformedDataException(String source, long line, String problem, Throwable cause) {
    super((line > 0 ? source + ":" + line : source) + ": " + problem, cause);
    this.source = source;
    this.line = line;
  }

  /** The file (or other named source) the problem is in. */
  public String source() {
    return source;
  }

  /** The 1-based line of the problem, or -1 when it concerns the whole file. */
  public long line() {
    return line;
  }
}
