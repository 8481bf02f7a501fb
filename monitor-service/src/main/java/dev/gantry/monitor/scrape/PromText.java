package dev.gantry.monitor.scrape;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Prometheus text exposition format (version 0.0.4), enough of it to sum counters by name and
 * label: {@code name{label="value",...} value [timestamp]}; comments and blank lines are skipped.
 */
public final class PromText {

  /** One sample line. */
  public record Series(String name, Map<String, String> labels, double value) {}

  /** A page that is not in the text format. */
  public static final class Unparsable extends Exception {
    Unparsable(String message) {
      super(message);
    }
  }

  private PromText() {}

  public static List<Series> parse(byte[] page) throws Unparsable {
    String text = new String(page, StandardCharsets.UTF_8);
    List<Series> out = new ArrayList<>();
    int lineNo = 0;
    for (String raw : text.split("\n")) {
      lineNo++;
      String line = raw.strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      out.add(parseLine(line, lineNo));
    }
    return out;
  }

  private static Series parseLine(String line, int lineNo) throws Unparsable {
    int i = 0;
    while (i < line.length() && isNameChar(line.charAt(i), i == 0)) {
      i++;
    }
    if (i == 0) {
      throw new Unparsable("line " + lineNo + " does not start with a metric name");
    }
    String name = line.substring(0, i);
    Map<String, String> labels = new LinkedHashMap<>();
    if (i < line.length() && line.charAt(i) == '{') {
      i = parseLabels(line, i + 1, labels, lineNo);
    }
    String[] rest = line.substring(i).strip().split("\\s+");
    if (rest.length < 1 || rest.length > 2 || rest[0].isEmpty()) {
      throw new Unparsable("line " + lineNo + " has no value");
    }
    try {
      return new Series(name, labels, parseValue(rest[0]));
    } catch (NumberFormatException e) {
      throw new Unparsable("line " + lineNo + ": " + rest[0] + " is not a number");
    }
  }

  private static int parseLabels(String line, int i, Map<String, String> labels, int lineNo)
      throws Unparsable {
    while (true) {
      while (i < line.length() && (line.charAt(i) == ' ' || line.charAt(i) == ',')) {
        i++;
      }
      if (i < line.length() && line.charAt(i) == '}') {
        return i + 1;
      }
      int start = i;
      while (i < line.length() && isNameChar(line.charAt(i), i == start)) {
        i++;
      }
      if (i == start
          || i + 1 >= line.length()
          || line.charAt(i) != '='
          || line.charAt(i + 1) != '"') {
        throw new Unparsable("line " + lineNo + " has a malformed label");
      }
      String key = line.substring(start, i);
      i += 2;
      StringBuilder value = new StringBuilder();
      while (true) {
        if (i >= line.length()) {
          throw new Unparsable("line " + lineNo + " has an unterminated label value");
        }
        char c = line.charAt(i++);
        if (c == '"') {
          break;
        }
        if (c == '\\' && i < line.length()) {
          char e = line.charAt(i++);
          value.append(e == 'n' ? '\n' : e);
        } else {
          value.append(c);
        }
      }
      labels.put(key, value.toString());
    }
  }

  private static double parseValue(String s) {
    return switch (s) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(s);
    };
  }

  private static boolean isNameChar(char c, boolean first) {
    return Character.isLetter(c) || c == '_' || c == ':' || (!first && Character.isDigit(c));
  }
}
