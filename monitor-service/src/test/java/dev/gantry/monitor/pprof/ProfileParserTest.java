package dev.gantry.monitor.pprof;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.gantry.monitor.pprof.proto.ProfileProto.Function;
import dev.gantry.monitor.pprof.proto.ProfileProto.Line;
import dev.gantry.monitor.pprof.proto.ProfileProto.Location;
import dev.gantry.monitor.pprof.proto.ProfileProto.Profile;
import dev.gantry.monitor.pprof.proto.ProfileProto.Sample;
import dev.gantry.monitor.pprof.proto.ProfileProto.ValueType;
import dev.gantry.monitor.support.RunningSample;
import dev.gantry.testkit.GoFixture;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
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

  @Test
  void shouldRejectAGzipWhoseChecksumDoesNotMatchAndABombWhoseTrailerLies() throws Exception {
    byte[] raw = leaky.get("/debug/pprof/goroutine").body();
    byte[] badCrc = raw.clone();
    badCrc[raw.length - 8] ^= 0x55;
    ByteArrayOutputStream bomb = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(bomb)) {
      gz.write(new byte[2 * 1024 * 1024]);
    }
    byte[] lying = bomb.toByteArray();
    lying[lying.length - 4] = 100; // ISIZE: "100 bytes"
    lying[lying.length - 3] = 0;
    lying[lying.length - 2] = 0;
    lying[lying.length - 1] = 0;

    assertThatThrownBy(() -> PARSER.parse(badCrc))
        .isInstanceOf(BadProfileException.class)
        .hasMessageContaining("gzip");
    assertThatThrownBy(() -> new ProfileParser(1024 * 1024).parse(lying))
        .isInstanceOf(BadProfileException.class)
        .hasMessageContaining("beyond");
  }

  @Test
  void shouldAggregateStacksAndFunctionsAsTheirTextWouldWhenNamesRepeatInlineOrRecurse()
      throws Exception {
    Profile profile = TrickyProfile.build(new java.util.Random(7), 3000);
    byte[] gz = TrickyProfile.gzip(profile);

    ParsedProfile parsed = PARSER.parse(gz);
    ParsedProfile plain = PARSER.parse(profile.toByteArray());
    Reference expected = Reference.of(profile);

    assertThat(parsed.sampleTypes()).isEqualTo(expected.types);
    assertThat(parsed.totals()).isEqualTo(expected.totals);
    assertThat(parsed.timeNanos()).isEqualTo(profile.getTimeNanos());
    assertThat(parsed.stackCount()).isEqualTo(expected.stacks.size()).isLessThan(3000);
    assertThat(parsed.stacks().keySet()).containsExactlyElementsOf(expected.stacks.keySet());
    expected.stacks.forEach((k, v) -> assertThat(parsed.stacks().get(k)).isEqualTo(v));
    for (int i = 0; i < expected.types.size(); i++) {
      assertThat(parsed.stackValues(i)).isEqualTo(expected.stackValues(i));
      assertThat(parsed.lazyStackValues(i))
          .containsExactlyEntriesOf(expected.stackValues(i))
          .hasSameSizeAs(expected.stackValues(i));
      assertThat(parsed.topFunctions(i, 10)).isEqualTo(expected.topFunctions(i, 10));
    }
    assertThat(plain.stacks().keySet()).containsExactlyElementsOf(expected.stacks.keySet());
    assertThat(parsed.stacks().keySet()).anyMatch(k -> k.contains("0x"));
    assertThat(parsed.stacks().keySet()).anyMatch(k -> k.contains("?"));
  }

  /** Profiles with what real ones have: shared names, inlined frames, recursion, bare addresses. */
  static final class TrickyProfile {
    static Profile build(java.util.Random rnd, int samples) {
      Profile.Builder b = Profile.newBuilder().setTimeNanos(1_700_000_000_000_000_000L);
      b.addStringTable("").addStringTable("alloc").addStringTable("count");
      b.addStringTable("inuse").addStringTable("bytes");
      b.addSampleType(ValueType.newBuilder().setType(1).setUnit(2));
      b.addSampleType(ValueType.newBuilder().setType(3).setUnit(4));
      int functions = 40;
      for (int f = 1; f <= functions; f++) {
        // two function ids per name: different ids, one name
        b.addStringTable("pkg.F" + (f % 20));
        b.addFunction(Function.newBuilder().setId(f).setName(b.getStringTableCount() - 1));
      }
      int locations = 120;
      for (int l = 1; l <= locations; l++) {
        Location.Builder loc = Location.newBuilder().setId(l).setAddress(0x1000L + l);
        int lines = l % 10 == 0 ? 0 : 1 + l % 3; // some bare addresses, some inlined frames
        for (int i = 0; i < lines; i++) {
          // function id 99 does not exist: its frame reads "?"
          long fn = l % 17 == 0 && i == 0 ? 99 : 1 + (l * 7L + i) % functions;
          loc.addLine(Line.newBuilder().setFunctionId(fn).setLine(l));
        }
        b.addLocation(loc);
      }
      for (int i = 0; i < samples; i++) {
        Sample.Builder s = Sample.newBuilder();
        int depth = 1 + rnd.nextInt(6);
        for (int d = 0; d < depth; d++) {
          s.addLocationId(1 + rnd.nextInt(locations));
        }
        s.addValue(rnd.nextInt(5)).addValue(rnd.nextInt(1000));
        b.addSample(s);
      }
      return b.build();
    }

    static byte[] gzip(Profile p) throws IOException {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
        p.writeTo(gz);
      }
      return out.toByteArray();
    }
  }

  /** The string-keyed reduction the parser replaced, kept as the specification it must match. */
  static final class Reference {
    final List<String> types = new ArrayList<>();
    long[] totals;
    final Map<String, long[]> stacks = new LinkedHashMap<>();

    static Reference of(Profile p) {
      Reference r = new Reference();
      List<String> strings = p.getStringTableList();
      p.getSampleTypeList()
          .forEach(
              vt ->
                  r.types.add(
                      strings.get((int) vt.getType()) + "/" + strings.get((int) vt.getUnit())));
      Map<Long, String> names = new HashMap<>();
      p.getFunctionList().forEach(f -> names.put(f.getId(), strings.get((int) f.getName())));
      Map<Long, String> locations = new HashMap<>();
      for (Location loc : p.getLocationList()) {
        StringBuilder frames = new StringBuilder();
        for (Line line : loc.getLineList()) {
          if (frames.length() > 0) {
            frames.append('\n');
          }
          frames.append(names.getOrDefault(line.getFunctionId(), "?"));
        }
        if (frames.length() == 0) {
          frames.append(String.format("0x%x", loc.getAddress()));
        }
        locations.put(loc.getId(), frames.toString());
      }
      r.totals = new long[r.types.size()];
      for (Sample s : p.getSampleList()) {
        StringBuilder key = new StringBuilder();
        for (int i = 0; i < s.getLocationIdCount(); i++) {
          if (i > 0) {
            key.append('\n');
          }
          key.append(locations.get(s.getLocationId(i)));
        }
        long[] values = r.stacks.computeIfAbsent(key.toString(), k -> new long[r.types.size()]);
        for (int i = 0; i < r.types.size(); i++) {
          values[i] += s.getValue(i);
          r.totals[i] += s.getValue(i);
        }
      }
      return r;
    }

    Map<String, Long> stackValues(int index) {
      Map<String, Long> out = new LinkedHashMap<>();
      stacks.forEach(
          (frames, values) -> {
            if (values[index] != 0) {
              out.put(frames, values[index]);
            }
          });
      return out;
    }

    List<ParsedProfile.FunctionCost> topFunctions(int index, int n) {
      Map<String, long[]> costs = new LinkedHashMap<>();
      stacks.forEach(
          (frames, values) -> {
            String[] parts = frames.split("\n");
            long v = values[index];
            costs.computeIfAbsent(parts[0], f -> new long[2])[0] += v;
            java.util.Set<String> seen = new java.util.HashSet<>();
            for (String f : parts) {
              if (seen.add(f)) {
                costs.computeIfAbsent(f, k -> new long[2])[1] += v;
              }
            }
          });
      return costs.entrySet().stream()
          .map(e -> new ParsedProfile.FunctionCost(e.getKey(), e.getValue()[0], e.getValue()[1]))
          .sorted(
              Comparator.comparingLong(ParsedProfile.FunctionCost::flat)
                  .thenComparingLong(ParsedProfile.FunctionCost::cumulative)
                  .reversed())
          .limit(n)
          .toList();
    }
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
