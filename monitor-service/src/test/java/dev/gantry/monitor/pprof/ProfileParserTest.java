package dev.gantry.monitor.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.monitor.support.RunningSample;
import dev.gantry.testkit.GoFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileParserTest {
  private static final ProfileParser PARSER = new ProfileParser(16 * 1024 * 1024);
  private static RunningSample leaky;

  @TempDir Path dir;

  @BeforeAll
  static void startLeakySample() {
    leaky = RunningSample.start("v-parse", Map.of("SAMPLE_LEAK_PER_REQUEST", "7"));
    leaky.hit(6);
  }

  @AfterAll
  static void stop() {
    leaky.close();
  }

  @Test
  void shouldCountGoroutinesAsGoToolPprofDoesWhenGivenARealGoroutineProfile() throws Exception {
    byte[] raw = leaky.get("/debug/pprof/goroutine").body();
    Path saved = Files.write(dir.resolve("goroutine.pb.gz"), raw);

    ParsedProfile profile = PARSER.parse(raw);

    assertThat(profile.sampleTypes()).containsExactly("goroutine/count");
    assertThat(profile.total("goroutine")).isEqualTo(goToolPprofTotal(saved)).isGreaterThan(42);
  }

  @Test
  void shouldNameTheLeakingStackWhenGoroutinesLeak() throws Exception {
    ParsedProfile profile = PARSER.parse(leaky.get("/debug/pprof/goroutine").body());

    Map<String, Long> stacks = profile.stackValues(profile.indexOf("goroutine"));
    Map.Entry<String, Long> biggest =
        stacks.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow();
    assertThat(biggest.getValue()).isGreaterThanOrEqualTo(42);
    assertThat(biggest.getKey()).startsWith("runtime.gopark\n").contains("\nmain.main.func1");
    assertThat(profile.topFunctions(0, 3).get(0).function()).isEqualTo("runtime.gopark");
  }

  @Test
  void shouldReadInuseSpaceWhenGivenAHeapProfile() throws Exception {
    byte[] raw = leaky.get("/debug/pprof/heap").body();
    Path saved = Files.write(dir.resolve("heap.pb.gz"), raw);

    ParsedProfile profile = PARSER.parse(raw);

    assertThat(profile.sampleTypes())
        .contains("inuse_space/bytes", "inuse_objects/count", "alloc_space/bytes");
    assertThat(profile.total("inuse_space"))
        .isEqualTo(goToolPprofTotal(saved, "-sample_index=inuse_space"));
  }

  @Test
  void shouldRejectATruncatedProfile() throws Exception {
    byte[] raw = leaky.get("/debug/pprof/goroutine").body();

    assertThatThrownBy(() -> PARSER.parse(Arrays.copyOf(raw, raw.length / 2)))
        .isInstanceOf(BadProfileException.class)
        .hasMessageContaining("gzip");
  }

  @Test
  void shouldRejectAProfileThatDecompressesBeyondTheLimit() throws Exception {
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
      gz.write(new byte[2 * 1024 * 1024]);
    }

    assertThatThrownBy(() -> new ProfileParser(1024 * 1024).parse(bomb.toByteArray()))
        .isInstanceOf(BadProfileException.class)
        .hasMessageContaining("beyond");
  }

  @Test
  void shouldRejectGarbageThatIsNotAProfile() {
    byte[] html = "<html><body>502 Bad Gateway</body></html>".getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> PARSER.parse(html)).isInstanceOf(BadProfileException.class);
    assertThatThrownBy(() -> PARSER.parse(new byte[0])).isInstanceOf(BadProfileException.class);
  }

  private static final Pattern TOTAL = Pattern.compile("of (\\d+)(\\S*) total");

  /** The total {@code go tool pprof -top} prints in its "Showing nodes accounting for" line. */
  static long goToolPprofTotal(Path profile, String... flags)
      throws IOException, InterruptedException {
    java.util.List<String> argv = new java.util.ArrayList<>();
    argv.add(GoFixture.go());
    argv.add("tool");
    argv.add("pprof");
    argv.add("-top");
    argv.add("-unit=B");
    argv.addAll(Arrays.asList(flags));
    argv.add(profile.toString());
    ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
    pb.environment().put("HOME", profile.getParent().toString());
    pb.environment().put("PPROF_TMPDIR", profile.getParent().toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    Matcher m = TOTAL.matcher(out);
    assertThat(m.find()).as("go tool pprof output:\n%s", out).isTrue();
    long value = Long.parseLong(m.group(1));
    return switch (m.group(2)) {
      case "", "B" -> value;
      default -> throw new AssertionError("unexpected unit " + m.group(2) + " in:\n" + out);
    };
  }
}
