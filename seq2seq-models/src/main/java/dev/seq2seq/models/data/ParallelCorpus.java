package dev.seq2seq.models.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads parallel corpora as lists of {@link SentencePair}s, strictly: input must be UTF-8, and any
 * line that cannot be used is reported as {@code file:line: problem} in a
 * {@link MalformedDataException} rather than skipped silently.
 *
 * <p>Two layouts:
 *
 * <ul>
 *   <li>{@link #readTsv tab-separated}, the Tatoeba / manythings.org Anki format: {@code source TAB
 *       target [TAB attribution ...]}. Columns after the second (the CC-BY attribution in Anki
 *       files) are ignored. Empty lines are skipped; a line without a tab or with an empty side is
 *       an error.
 *   <li>{@link #readAligned two aligned files}, line {@code i} of one translating line {@code i} of
 *       the other (Europarl, WMT, IWSLT). The line counts must match, and no line may be empty
 *       (skipping one would misalign the rest).
 * </ul>
 *
 * <p>Both sides are trimmed of surrounding whitespace; a byte-order mark at the start of a file is
 * dropped; {@code \n} and {@code \r\n} end lines.
 */
public final class ParallelCorpus {
  private ParallelCorpus() {}

  /**
   * Reads a tab-separated file: source in the first column, target in the second, further columns
   * ignored. Use {@link SentencePair#swapped()} to translate the other way.
   *
   * @throws MalformedDataException for malformed UTF-8, a non-empty line with no tab, or an empty
   *     side, naming the file and line
   */
  public static List<SentencePair> readTsv(Path file) throws IOException {
    List<SentencePair> pairs = new ArrayList<>();
    try (LineReader in = new LineReader(file)) {
      String line;
      while ((line = in.next()) != null) {
        if (line.isEmpty()) {
          continue;
        }
        int tab = line.indexOf('\t');
        if (tab < 0) {
          throw in.error("no tab: expected 'source<TAB>target', found '" + abbreviate(line) + "'");
        }
        int next = line.indexOf('\t', tab + 1);
        String source = line.substring(0, tab).strip();
        String target = (next < 0 ? line.substring(tab + 1) : line.substring(tab + 1, next)).strip();
        if (source.isEmpty()) {
          throw in.error("empty source (first column)");
        }
        if (target.isEmpty()) {
          throw in.error("empty target (second column)");
        }
        pairs.add(new SentencePair(source, target));
      }
    }
    return pairs;
  }

  /**
   * Reads two aligned files, one sentence a line.
   *
   * @throws MalformedDataException if the line counts differ (naming both files and counts), for
   *     malformed UTF-8 or an empty line (naming the file and line)
   */
  public static List<SentencePair> readAligned(Path sourceFile, Path targetFile) throws IOException {
    List<String> sources = readLines(sourceFile);
    List<String> targets = readLines(targetFile);
    if (sources.size() != targets.size()) {
      throw new MalformedDataException(sourceFile + " and " + targetFile, String.format(
          "aligned files differ in length: %s has %d lines but %s has %d lines",
          sourceFile, sources.size(), targetFile, targets.size()));
    }
    List<SentencePair> pairs = new ArrayList<>(sources.size());
    for (int i = 0; i < sources.size(); i++) {
      pairs.add(new SentencePair(sources.get(i), targets.get(i)));
    }
    return pairs;
  }

  /** The trimmed lines of {@code file}; an empty line is an error. */
  private static List<String> readLines(Path file) throws IOException {
    List<String> lines = new ArrayList<>();
    try (LineReader in = new LineReader(file)) {
      String line;
      while ((line = in.next()) != null) {
        String s = line.strip();
        if (s.isEmpty()) {
          throw in.error("empty line (every line of an aligned file must hold a sentence)");
        }
        lines.add(s);
      }
    }
    return lines;
  }

  private static String abbreviate(String s) {
    return s.length() <= 80 ? s : s.substring(0, 77) + "...";
  }

  /** Strict UTF-8 lines with their numbers; each line is decoded on its own so errors name the right line. */
  private static final class LineReader implements AutoCloseable {
    private final Path file;
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(256);
    private long lineNumber;

    LineReader(Path file) throws IOException {
      this.file = file;
      this.in = new BufferedInputStream(Files.newInputStream(file), 1 << 16);
    }

    /** The next line without its terminator, or null at the end. */
    String next() throws IOException {
      buffer.reset();
      int b;
      boolean any = false;
      while ((b = in.read()) >= 0) {
        any = true;
        if (b == '\n') {
          break;
        }
        buffer.write(b);
      }
      if (!any) {
        return null;
      }
      lineNumber++;
      byte[] bytes = buffer.toByteArray();
      int length = bytes.length;
      if (length > 0 && bytes[length - 1] == '\r') {
        length--;
      }
      String line;
      try {
        line = decoder.reset().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
      } catch (CharacterCodingException e) {
        throw new MalformedDataException(file.toString(), lineNumber, "malformed UTF-8 (" + e + ")", e);
      }
      if (lineNumber == 1 && line.startsWith("\uFEFF")) {
        line = line.substring(1);
      }
      return line;
    }

    MalformedDataException error(String problem) {
      return new MalformedDataException(file.toString(), lineNumber, problem, null);
    }

    @Override
    public void close() throws IOException {
      in.close();
    }
  }
}
