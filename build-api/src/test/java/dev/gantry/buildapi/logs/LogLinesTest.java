package dev.gantry.buildapi.logs;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogLinesTest {

  @Test
  void shouldKeepAnUnfinishedLineForLaterWhileTheLogCanStillGrow() {
    byte[] b = bytes("go: downloading\ngo build ./...\n# shop/int");

    LogLines.Chunk chunk = LogLines.split(b, b.length, 100, false, false);

    assertThat(chunk.lines()).containsExactly("go: downloading", "go build ./...");
    assertThat(chunk.start()).isEqualTo(100);
    assertThat(chunk.end()).isEqualTo(100 + bytes("go: downloading\ngo build ./...\n").length);
  }

  @Test
  void shouldGiveTheLastLineWithoutNewlineOnceTheLogIsFinal() {
    byte[] b = bytes("one\nexit status 1");

    LogLines.Chunk chunk = LogLines.split(b, b.length, 0, false, true);

    assertThat(chunk.lines()).containsExactly("one", "exit status 1");
    assertThat(chunk.end()).isEqualTo(b.length);
  }

  @Test
  void shouldDropTheCarriageReturnOfCrLfAndKeepEmptyLinesAndLeadingSpaces() {
    byte[] b = bytes("a\r\n\n  indented\n");

    assertThat(LogLines.split(b, b.length, 0, false, false).lines())
        .containsExactly("a", "", "  indented");
  }

  @Test
  void shouldCutALineLongerThanTheBufferWithoutSplittingACharacter() {
    // "x" then the three bytes of '✓' straddling the end of a 4-byte buffer
    byte[] b = bytes("x✓✓");

    LogLines.Chunk chunk = LogLines.split(b, 4, 0, true, false);

    assertThat(chunk.lines()).containsExactly("x✓");
    assertThat(chunk.end()).isEqualTo(4);
    assertThat(chunk.more()).isTrue();

    LogLines.Chunk cut = LogLines.split(b, 5, 0, true, false);
    assertThat(cut.lines()).containsExactly("x✓");
    assertThat(cut.end()).isEqualTo(4);
  }

  @Test
  void shouldNotCutWhenTheFullBufferHasWholeLines() {
    byte[] b = bytes("ab\ncd");

    LogLines.Chunk chunk = LogLines.split(b, b.length, 0, true, false);

    assertThat(chunk.lines()).containsExactly("ab");
    assertThat(chunk.end()).isEqualTo(3);
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
