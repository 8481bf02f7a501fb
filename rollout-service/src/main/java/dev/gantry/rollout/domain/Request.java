package dev.gantry.rollout.domain;

/** Something asked of a rollout from outside: an operator, or monitor-service. */
public sealed interface Request
    permits Request.Promote,
        Request.Pause,
        Request.Resume,
        Request.Abort,
        Request.Rollback,
        Request.ReportVerdict {

  /** Skip the current step's gate; with {@code full}, skip every remaining step. */
  record Promote(boolean full) implements Request {}

  record Pause() implements Request {}

  record Resume() implements Request {}

  record Abort() implements Request {}

  record Rollback(String reason) implements Request {}

  record ReportVerdict(int step, Verdict verdict, String message) implements Request {}
}
