package dev.gantry.monitor.pprof;

import java.util.Arrays;

/**
 * Distinct stacks, each a sequence of function-name numbers (leaf first), with their summed values,
 * in the order they were first seen. An open-addressing hash table over the sequences: no string is
 * built and no object is allocated per sample.
 */
final class StackTable {
  private final int types;
  private int count;
  private int[] frames;
  private int frameCount;
  private int[] start;
  private int[] hashes;
  private long[] values;
  private int[] slots;
  private int lastValueOffset;

  StackTable(int types, int expectedStacks, int expectedFrames) {
    this.types = types;
    int capacity = Math.max(16, expectedStacks);
    frames = new int[Math.max(64, expectedFrames)];
    start = new int[capacity + 1];
    hashes = new int[capacity];
    values = new long[capacity * types];
    slots = new int[Integer.highestOneBit(Math.max(16, capacity * 2) - 1) << 1];
  }

  /**
   * The values array and, at {@link #lastValueOffset()}, the slots of the stack {@code
   * key[..length)}.
   */
  long[] valuesOf(int[] key, int length) {
    int h = hash(key, length);
    int mask = slots.length - 1;
    int slot = h & mask;
    while (true) {
      int s = slots[slot];
      if (s == 0) {
        break;
      }
      int stack = s - 1;
      if (hashes[stack] == h && equal(stack, key, length)) {
        lastValueOffset = stack * types;
        return values;
      }
      slot = (slot + 1) & mask;
    }
    int stack = add(key, length, h);
    if ((count << 1) > slots.length) {
      rehash();
    } else {
      slots[slot] = stack + 1;
    }
    lastValueOffset = stack * types;
    return values;
  }

  int lastValueOffset() {
    return lastValueOffset;
  }

  int count() {
    return count;
  }

  int types() {
    return types;
  }

  long value(int stack, int index) {
    return values[stack * types + index];
  }

  long[] valuesOf(int stack) {
    return Arrays.copyOfRange(values, stack * types, (stack + 1) * types);
  }

  int from(int stack) {
    return start[stack];
  }

  int to(int stack) {
    return start[stack + 1];
  }

  int frame(int at) {
    return frames[at];
  }

  private int add(int[] key, int length, int h) {
    if (count == hashes.length) {
      int capacity = hashes.length * 2;
      hashes = Arrays.copyOf(hashes, capacity);
      start = Arrays.copyOf(start, capacity + 1);
      values = Arrays.copyOf(values, capacity * types);
    }
    if (frameCount + length > frames.length) {
      frames = Arrays.copyOf(frames, Math.max(frames.length * 2, frameCount + length));
    }
    System.arraycopy(key, 0, frames, frameCount, length);
    start[count] = frameCount;
    frameCount += length;
    start[count + 1] = frameCount;
    hashes[count] = h;
    return count++;
  }

  private void rehash() {
    slots = new int[slots.length * 2];
    int mask = slots.length - 1;
    for (int stack = 0; stack < count; stack++) {
      int slot = hashes[stack] & mask;
      while (slots[slot] != 0) {
        slot = (slot + 1) & mask;
      }
      slots[slot] = stack + 1;
    }
  }

  private boolean equal(int stack, int[] key, int length) {
    int from = start[stack];
    return start[stack + 1] - from == length
        && Arrays.equals(frames, from, from + length, key, 0, length);
  }

  private static int hash(int[] key, int length) {
    int h = length;
    for (int i = 0; i < length; i++) {
      h = h * 0x9E3779B1 + key[i];
    }
    // spread the high bits down: slots are picked by the low ones
    h ^= h >>> 16;
    h *= 0x85EBCA6B;
    h ^= h >>> 13;
    return h;
  }
}
