package dev.gantry.monitor.judge;

import dev.gantry.events.id.AppName;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The thresholds an app's steps are judged by: {@code gantry.monitor.apps.<app>.judge.<key>} where
 * set, the service-wide {@code gantry.monitor.judge.<key>} otherwise. A quiet app may need fewer
 * requests before its 5xx ratio counts; a memory-hungry one a larger heap growth before it fails.
 * The keys are the service-wide ones ({@code min-requests}, {@code max-latency-ratio}, …); a key
 * that is not one of them is refused when the service starts, so a typo never silently leaves a
 * default in force, and so are an app that no app could be called ({@code Shop}, {@code shop_v2})
 * and limits that contradict each other (a longest window shorter than the window).
 */
public final class AppThresholds {
  public static final String PREFIX = "gantry.monitor.apps.";
  private static final String JUDGE = ".judge.";
  private static final RecordComponent[] COMPONENTS = Thresholds.class.getRecordComponents();
  private static final Set<String> KEYS =
      Arrays.stream(COMPONENTS)
          .map(c -> kebab(c.getName()))
          .collect(Collectors.toCollection(TreeSet::new));

  private final Thresholds defaults;

  /** app → threshold key → value, as configured. */
  private final Map<String, Map<String, String>> settings;

  private final Map<String, Thresholds> byApp = new ConcurrentHashMap<>();

  /**
   * @param settings per app, its {@code judge.*} keys and values
   * @throws IllegalArgumentException naming every key that is not a threshold or not a number
   */
  public AppThresholds(Thresholds defaults, Map<String, Map<String, String>> settings) {
    this.defaults = defaults;
    this.settings = Map.copyOf(settings);
    List<String> problems = new ArrayList<>();
    settings.keySet().stream()
        .filter(app -> !AppName.isValid(app))
        .sorted()
        .forEach(
            app -> problems.add(PREFIX + app + " names no app: an app name is " + AppName.RULE));
    settings.forEach(
        (app, keys) ->
            keys.forEach(
                (key, value) -> {
                  String name = PREFIX + app + JUDGE + key;
                  if (!KEYS.contains(key)) {
                    problems.add(name + " is not a threshold; known: " + KEYS);
                  } else if (parse(value).isEmpty()) {
                    problems.add(name + " must be a number, was '" + value + "'");
                  }
                }));
    if (problems.isEmpty()) {
      inconsistent("gantry.monitor.judge.", defaults).ifPresent(problems::add);
      settings.keySet().stream()
          .sorted()
          .forEach(app -> inconsistent(PREFIX + app + JUDGE, of(app)).ifPresent(problems::add));
    }
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", problems));
    }
  }

  /** Limits that are numbers but contradict each other. */
  private static Optional<String> inconsistent(String prefix, Thresholds t) {
    if (t.maxWindowSamples() < t.windowSamples()) {
      return Optional.of(
          prefix
              + "max-window-samples ("
              + t.maxWindowSamples()
              + ") must be at least "
              + prefix
              + "window-samples ("
              + t.windowSamples()
              + ")");
    }
    return Optional.empty();
  }

  public Thresholds of(String app) {
    return byApp.computeIfAbsent(app, this::resolve);
  }

  private Thresholds resolve(String app) {
    Object[] values = new Object[COMPONENTS.length];
    Class<?>[] types = new Class<?>[COMPONENTS.length];
    try {
      for (int i = 0; i < COMPONENTS.length; i++) {
        RecordComponent c = COMPONENTS[i];
        types[i] = c.getType();
        String set = settings.getOrDefault(app, Map.of()).get(kebab(c.getName()));
        values[i] =
            set == null
                ? c.getAccessor().invoke(defaults)
                : convert(c.getType()).apply(parse(set).orElseThrow());
      }
      return Thresholds.class.getDeclaredConstructor(types).newInstance(values);
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot build the thresholds of " + app, e);
    }
  }

  private static Optional<Double> parse(String value) {
    try {
      double d = Double.parseDouble(value.strip());
      return Double.isFinite(d) ? Optional.of(d) : Optional.empty();
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Function<Double, Object> convert(Class<?> type) {
    if (type == int.class) {
      return d -> (int) Math.round(d);
    }
    if (type == long.class) {
      return Math::round;
    }
    return d -> d;
  }

  static String kebab(String camel) {
    return camel.replaceAll("([a-z0-9])([A-Z])", "$1-$2").toLowerCase(Locale.ROOT);
  }
}
