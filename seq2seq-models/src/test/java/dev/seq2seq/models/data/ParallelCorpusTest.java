package dev.seq2seq.models.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ParallelCorpusTest {
  @TempDir Path dir;

  private static Path fixture(String name) throws URISyntaxException {
    return Path.of(ParallelCorpusTest.class.getResource("/fixtures/data/" + name).toURI());
  }

  private Path write(String name, String text) throws IOException {
    Path f = dir.resolve(name);
    Files.writeString(f, text, StandardCharsets.UTF_8);
    return f;
  }

  @Test
  void readsTatoebaTsvIgnoringAttributionBlankLinesAndCrlf() throws Exception {
    List<SentencePair> pairs = ParallelCorpus.readTsv(fixture("fra-eng.tsv"));
    assertThat(pairs).containsExactly(
        new SentencePair("Go.", "Va !"),
        new SentencePair("Hi.", "Salut !"),
        new SentencePair("Run!", "Cours\u202F!"),
        new SentencePair("一万零二百零三", "10203"));
    assertThat(pairs.get(0).swapped()).isEqualTo(new SentencePair("Va !", "Go."));
  }

  @Test
  void dropsAByteOrderMark() throws IOException {
    Path f = write("bom.tsv", "\uFEFFa\tb\n");
    assertThat(ParallelCorpus.readTsv(f)).containsExactly(new SentencePair("a", "b"));
  }

  @Test
  void malformedLinesAreReportedWithFileAndLine() throws IOException {
    Path noTab = write("notab.tsv", "a\tb\nc\td\nno tab here\ne\tf\n");
    assertThatThrownBy(() -> ParallelCorpus.readTsv(noTab)).isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith(noTab + ":3: no tab")
        .satisfies(e -> assertThat(((MalformedDataException) e).line()).isEqualTo(3));
    Path emptySource = write("emptysrc.tsv", "a\tb\n \tb\n");
    assertThatThrownBy(() -> ParallelCorpus.readTsv(emptySource)).hasMessageStartingWith(emptySource + ":2: empty source");
    Path emptyTarget = write("emptytgt.tsv", "a\t\tattribution\n");
    assertThatThrownBy(() -> ParallelCorpus.readTsv(emptyTarget)).hasMessageStartingWith(emptyTarget + ":1: empty target");
  }

  @Test
  void malformedUtf8IsReportedWithFileAndLine() throws IOException {
    Path f = dir.resolve("bad.tsv");
    byte[] good = "a\tb\nc\td\n".getBytes(StandardCharsets.UTF_8);
    byte[] bad = {'x', '\t', (byte) 0xC3, (byte) 0x28, '\n', 'e', '\t', 'f', '\n'};
    byte[] all = new byte[good.length + bad.length];
    System.arraycopy(good, 0, all, 0, good.length);
    System.arraycopy(bad, 0, all, good.length, bad.length);
    Files.write(f, all);
    assertThatThrownBy(() -> ParallelCorpus.readTsv(f)).isInstanceOf(MalformedDataException.class)
        .hasMessageStartingWith(f + ":3: malformed UTF-8");
    Path latin1 = dir.resolve("latin1.fr");
    Files.write(latin1, "un\ncaf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1));
    Path en = write("two.en", "one\ncoffee\n");
    assertThatThrownBy(() -> ParallelCorpus.readAligned(en, latin1)).hasMessageStartingWith(latin1 + ":2: malformed UTF-8");
  }

  @Test
  void readsAlignedFiles() throws Exception {
    List<SentencePair> pairs = ParallelCorpus.readAligned(fixture("aligned.en"), fixture("aligned.fr"));
    assertThat(pairs).hasSize(3);
    assertThat(pairs.get(1)).isEqualTo(new SentencePair("I like tea 😀", "J’aime le thé 😀"));
  }

  @Test
  void mismatchedAlignedFilesNameBothFilesAndCounts() throws Exception {
    Path en = fixture("aligned.en");
    Path fr = fixture("aligned-short.fr");
    assertThatThrownBy(() -> ParallelCorpus.readAligned(en, fr)).isInstanceOf(MalformedDataException.class)
        .hasMessageContaining(en + " has 3 lines").hasMessageContaining(fr + " has 2 lines");
  }

  @Test
  void emptyLineInAlignedFileIsAnError() throws IOException {
    Path en = write("a.en", "one\n\nthree\n");
    Path fr = write("a.fr", "un\ndeux\ntrois\n");
    assertThatThrownBy(() -> ParallelCorpus.readAligned(en, fr)).hasMessageStartingWith(en + ":2: empty line");
  }
}
