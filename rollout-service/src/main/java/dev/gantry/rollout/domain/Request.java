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

  /**
   * @param reason for humans
   * @param cause a {@link Reasons} constant for the rollout's condition; null for {@link
   *     Reasons#ROLLBACK_REQUESTED}
   */
  record Rollback(String reason, String cause) implements Request {
    public Rollback(String reason) {
      this(reason, null);
    }
  }

  record ReportVerdict(int step, Verdict verdict, String message) implements Request {}
}
