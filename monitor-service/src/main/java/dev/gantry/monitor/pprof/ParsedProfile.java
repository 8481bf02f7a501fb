package dev.gantry.monitor.pprof;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pprof profile reduced to what the judge and an on-call engineer need: the sample types, their
 * totals, every distinct stack with its values, and the functions that account for most of a value.
 *
 * <p>Stacks are held as sequences of function-name numbers; a stack's text (leaf first, one frame
 * per line, as in the analysis contract's {@code GrownStack.frames}) is only built for the stacks
 * someone asks for, since most profiles are parsed for their totals alone.
 */
public final class ParsedProfile {

  /** A function and how much of one value it holds itself (flat) and below it (cumulative). */
  public record FunctionCost(String function, long flat, long cumulative) {}

  private final List<String> sampleTypes;
  private final long[] totals;
  private final long timeNanos;
  private final String[] names;
  private final StackTable stacks;
  private volatile Map<String, long[]> rendered;

  ParsedProfile(
      List<String> sampleTypes, long[] totals, long timeNanos, String[] names, StackTable stacks) {
    this.sampleTypes = sampleTypes;
    this.totals = totals;
    this.timeNanos = timeNanos;
    this.names = names;
    this.stacks = stacks;
  }

  /** {@code type/unit} per value index, e.g. {@code goroutine/count}, {@code inuse_space/bytes}. */
  public List<String> sampleTypes() {
    return sampleTypes;
  }

  /** The sum of each value over all samples, as {@code go tool pprof} reports it. */
  public long[] totals() {
    return totals.clone();
  }

  /** When the profile was taken, nanoseconds since the epoch (0 when unset). */
  public long timeNanos() {
    return timeNanos;
  }

  /** The value index of {@code type} (e.g. {@code inuse_space}), or -1. */
  public int indexOf(String type) {
    for (int i = 0; i < sampleTypes.size(); i++) {
      if (sampleTypes.get(i).startsWith(type + "/")) {
        return i;
      }
    }
    return -1;
  }

  /** The total of {@code type}, or -1 when the profile has no such value. */
  public long total(String type) {
    int i = indexOf(type);
    return i < 0 ? -1 : totals[i];
  }

  /** How many distinct stacks the profile has. */
  public int stackCount() {
    return stacks.count();
  }

  /** Every distinct stack's text to its summed values, in the order first seen. */
  public Map<String, long[]> stacks() {
    Map<String, long[]> r = rendered;
    if (r == null) {
      Map<String, long[]> out = new LinkedHashMap<>();
      StringBuilder text = new StringBuilder(1024);
      for (int s = 0; s < stacks.count(); s++) {
        out.put(render(s, text), stacks.valuesOf(s));
      }
      r = java.util.Collections.unmodifiableMap(out);
      rendered = r;
    }
    return r;
  }

  /** Each stack's value at {@code index}, leaving out stacks where it is zero. */
  public Map<String, Long> stackValues(int index) {
    Map<String, Long> out = new LinkedHashMap<>();
    StringBuilder text = new StringBuilder(1024);
    for (int s = 0; s < stacks.count(); s++) {
      long v = stacks.value(s, index);
      if (v != 0) {
        out.put(render(s, text), v);
      }
    }
    return out;
  }

  /**
   * {@link #stackValues(int)} as a map that renders the stacks' text only when it is first read.
   */
  public Map<String, Long> lazyStackValues(int index) {
    return new LazyStacks(this, index);
  }

  /**
   * The {@code n} functions with the highest flat value at {@code index}, then the highest
   * cumulative; ties in the order the functions first appear. Counted on name numbers: only the
   * names of the functions returned are looked up.
   */
  public List<FunctionCost> topFunctions(int index, int n) {
    long[] flat = new long[names.length];
    long[] cumulative = new long[names.length];
    int[] firstSeen = new int[names.length];
    Arrays.fill(firstSeen, -1);
    int[] lastStack = new int[names.length];
    Arrays.fill(lastStack, -1);
    int seen = 0;
    for (int s = 0; s < stacks.count(); s++) {
      int from = stacks.from(s);
      int to = stacks.to(s);
      if (from == to) {
        continue;
      }
      long v = stacks.value(s, index);
      flat[stacks.frame(from)] += v;
      for (int i = from; i < to; i++) {
        int f = stacks.frame(i);
        if (firstSeen[f] < 0) {
          firstSeen[f] = seen++;
        }
        // a recursive function counts once per stack in its cumulative value, as pprof does
        if (lastStack[f] != s) {
          lastStack[f] = s;
          cumulative[f] += v;
        }
      }
    }
    List<Integer> functions = new ArrayList<>(seen);
    for (int f = 0; f < names.length; f++) {
      if (firstSeen[f] >= 0) {
        functions.add(f);
      }
    }
    return functions.stream()
        .sorted(
            Comparator.comparingLong((Integer f) -> flat[f])
                .thenComparingLong(f -> cumulative[f])
                .reversed()
                .thenComparingInt(f -> firstSeen[f]))
        .limit(n)
        .map(f -> new FunctionCost(names[f], flat[f], cumulative[f]))
        .toList();
  }

  private String render(int stack, StringBuilder text) {
    text.setLength(0);
    for (int i = stacks.from(stack); i < stacks.to(stack); i++) {
      if (i > stacks.from(stack)) {
        text.append('\n');
      }
      text.append(names[stacks.frame(i)]);
    }
    return text.toString();
  }
}
