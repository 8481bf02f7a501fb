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

  /**
   * @param reason for humans; null for an operator's abort
   * @param cause a {@link Reasons} constant; null for {@link Reasons#MANUAL_ABORT}
   */
  record Abort(String reason, String cause) implements Request {
    public Abort() {
      this(null, null);
    }
  }

  /**
   * @param reason for humans
   * @param cause a {@link Reasons} constant for the rollout's condition; null for {@link
   *     Reasons#ROLLBACK_REQUESTED}
   * @param causeId the id of the event that asked for it (a RollbackRequested), if any
   */
  record Rollback(String reason, String cause, String causeId) implements Request {
    public Rollback(String reason) {
      this(reason, null, null);
    }

    public Rollback(String reason, String cause) {
      this(reason, cause, null);
    }
  }

  /**
   * @param eventId the AnalysisVerdict's event id, if known
   */
  record ReportVerdict(int step, Verdict verdict, String message, String eventId)
      implements Request {
    public ReportVerdict(int step, Verdict verdict, String message) {
      this(step, verdict, message, null);
    }
  }
}
