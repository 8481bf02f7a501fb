package dev.gantry.buildapi.logs;

import dev.gantry.buildapi.domain.BuildStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * One client following one build's log: where it has got to, and whether the build is over. Each
 * {@link #next()} is one short look (blocking file and database reads, no waiting); the caller
 * decides when to look again.
 *
 * <p>The build's status is read only when the log has nothing new, and the log is read once more
 * after the status turns terminal: a worker writes its last lines before it reports the result, so
 * that last read sees them all.
 */
public final class LogFollower {

  /** What one look found. */
  public sealed interface Step permits Lines, Idle, End {}

  /** New whole lines. */
  public record Lines(LogLines.Chunk chunk) implements Step {}

  /** Nothing new; {@code heartbeat} when the client has heard nothing for a while. */
  public record Idle(boolean heartbeat) implements Step {}

  /** Everything was sent and the build is over; {@code status} is null when the build is gone. */
  public record End(BuildStatus status, long offset) implements Step {}

  private final UUID build;
  private final BuildLogs logs;
  private final Supplier<Optional<BuildStatus>> status;
  private final long heartbeatNanos;
  private final LongSupplier clock;

  private long offset;
  private BuildStatus terminal;
  private boolean gone;
  private boolean caughtUp;
  private long lastSent;

  public LogFollower(
      UUID build,
      long offset,
      BuildLogs logs,
      Supplier<Optional<BuildStatus>> status,
      Duration heartbeat,
      LongSupplier clock) {
    this.build = build;
    this.offset = offset;
    this.logs = logs;
    this.status = status;
    this.heartbeatNanos = heartbeat.toNanos();
    this.clock = clock;
    this.lastSent = clock.getAsLong();
  }

  /** True when the last look reached the end of what is there: wait before the next one. */
  public synchronized boolean caughtUp() {
    return caughtUp && terminal == null && !gone;
  }

  public synchronized Step next() {
    if (terminal == null && !gone) {
      LogLines.Chunk chunk = logs.read(build, offset, false);
      if (!chunk.isEmpty()) {
        return sent(chunk);
      }
      Optional<BuildStatus> now = status.get();
      if (now.isPresent() && !now.get().isTerminal()) {
        caughtUp = true;
        if (clock.getAsLong() - lastSent >= heartbeatNanos) {
          lastSent = clock.getAsLong();
          return new Idle(true);
        }
        return new Idle(false);
      }
      terminal = now.orElse(null);
      gone = now.isEmpty();
    }
    LogLines.Chunk rest = logs.read(build, offset, true);
    if (!rest.isEmpty()) {
      return sent(rest);
    }
    return new End(terminal, offset);
  }

  private Step sent(LogLines.Chunk chunk) {
    offset = chunk.end();
    caughtUp = !chunk.more();
    lastSent = clock.getAsLong();
    return new Lines(chunk);
  }
}
