package dev.gantry.buildworker.messaging;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * Which offsets of each partition may be committed. Builds finish out of order; a partition's
 * committed offset only moves past a request once it and every request before it have their
 * terminal event published. Used only by the polling thread.
 */
final class OffsetTracker {
  private static final class PartitionState {
    final TreeSet<Long> inFlight = new TreeSet<>();
    long next = -1; // the offset after the highest seen
    long committed = -1;
  }

  private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();

  void started(TopicPartition tp, long offset) {
    PartitionState s = partitions.computeIfAbsent(tp, k -> new PartitionState());
    s.inFlight.add(offset);
    s.next = Math.max(s.next, offset + 1);
  }

  /** An offset whose work is done; ignored for a partition that was revoked meanwhile. */
  void done(TopicPartition tp, long offset) {
    PartitionState s = partitions.get(tp);
    if (s != null) {
      s.inFlight.remove(offset);
    }
  }

  /** The offsets to commit now: per partition, the first one still in flight or the next one. */
  Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
    partitions.forEach(
        (tp, s) -> {
          long upTo = s.inFlight.isEmpty() ? s.next : s.inFlight.first();
          if (upTo > s.committed && upTo >= 0) {
            out.put(tp, new OffsetAndMetadata(upTo));
          }
        });
    return out;
  }

  void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach(
        (tp, o) -> {
          PartitionState s = partitions.get(tp);
          if (s != null) {
            s.committed = Math.max(s.committed, o.offset());
          }
        });
  }

  void revoked(Collection<TopicPartition> tps) {
    tps.forEach(partitions::remove);
  }

  int inFlight() {
    return partitions.values().stream().mapToInt(s -> s.inFlight.size()).sum();
  }
}
