package dev.gantry.monitor.pprof;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pprof profile reduced to what the judge and an on-call engineer need: the sample types, their
 * totals, every distinct stack with its values, and the functions that account for most of a value.
 *
 * @param sampleTypes {@code type/unit} per value index, e.g. {@code goroutine/count}, {@code
 *     inuse_space/bytes}
 * @param totals the sum of each value over all samples, as {@code go tool pprof} reports it
 * @param stacks stacks (leaf first, one frame per line, as in the analysis contract's {@code
 *     GrownStack.frames}) to their summed values
 * @param timeNanos when the profile was taken, nanoseconds since the epoch (0 when unset)
 */
public record ParsedProfile(
    List<String> sampleTypes, long[] totals, Map<String, long[]> stacks, long timeNanos) {

  /** A function and how much of one value it holds itself (flat) and below it (cumulative). */
  public record FunctionCost(String function, long flat, long cumulative) {}

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

  /** Each stack's value at {@code index}, leaving out stacks where it is zero. */
  public Map<String, Long> stackValues(int index) {
    Map<String, Long> out = new LinkedHashMap<>();
    stacks.forEach(
        (frames, values) -> {
          if (values[index] != 0) {
            out.put(frames, values[index]);
          }
        });
    return out;
  }

  /** The {@code n} functions with the highest flat value at {@code index}. */
  public List<FunctionCost> topFunctions(int index, int n) {
    Map<String, long[]> costs = new LinkedHashMap<>();
    stacks.forEach(
        (frames, values) -> {
          String[] parts = frames.split("\n");
          long v = values[index];
          costs.computeIfAbsent(parts[0], f -> new long[2])[0] += v;
          // a recursive function counts once per stack in its cumulative value, as pprof does
          java.util.Set<String> seen = new java.util.HashSet<>();
          for (String f : parts) {
            if (seen.add(f)) {
              costs.computeIfAbsent(f, k -> new long[2])[1] += v;
            }
          }
        });
    return costs.entrySet().stream()
        .map(e -> new FunctionCost(e.getKey(), e.getValue()[0], e.getValue()[1]))
        .sorted(
            Comparator.comparingLong(FunctionCost::flat)
                .thenComparingLong(FunctionCost::cumulative)
                .reversed())
        .limit(n)
        .toList();
  }
}
