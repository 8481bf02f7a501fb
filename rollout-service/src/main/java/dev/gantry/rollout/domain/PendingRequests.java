package dev.gantry.rollout.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Requests accepted but not yet acted on. They are stored with the status, so a request accepted
 * just before a crash is still acted on after the restart.
 *
 * @param promote null when no promote was requested
 * @param rollbackReason null unless {@code rollback}
 * @param rollbackCause the {@link Reasons} constant of a rollback; null for {@link
 *     Reasons#ROLLBACK_REQUESTED}
 * @param abortReason for humans; null for an operator's abort
 * @param abortCause the {@link Reasons} constant of an abort; null for {@link Reasons#MANUAL_ABORT}
 * @param rollbackCauseId the id of the event that asked for the rollback, if any
 * @param rollbackRequestedAt when the (first) rollback request arrived
 */
public record PendingRequests(
    Promotion promote,
    boolean pause,
    boolean resume,
    boolean abort,
    boolean rollback,
    String rollbackReason,
    String rollbackCause,
    String abortReason,
    String abortCause,
    String rollbackCauseId,
    Instant rollbackRequestedAt) {

  public static final PendingRequests NONE =
      new PendingRequests(null, false, false, false, false, null, null, null, null, null, null);

  /** How far a promote goes. */
  public enum Promotion {
    NEXT_STEP,
    FULL
  }

  public boolean isEmpty() {
    return equals(NONE);
  }

  public PendingRequests withPromote(boolean full) {
    Promotion next = full || promote == Promotion.FULL ? Promotion.FULL : Promotion.NEXT_STEP;
    return new PendingRequests(
        next,
        pause,
        resume,
        abort,
        rollback,
        rollbackReason,
        rollbackCause,
        abortReason,
        abortCause,
        rollbackCauseId,
        rollbackRequestedAt);
  }

  /** Pause and resume cancel each other: the later one wins. */
  public PendingRequests withPause() {
    return new PendingRequests(
        promote,
        true,
        false,
        abort,
        rollback,
        rollbackReason,
        rollbackCause,
        abortReason,
        abortCause,
        rollbackCauseId,
        rollbackRequestedAt);
  }

  public PendingRequests withResume() {
    return new PendingRequests(
        promote,
        false,
        true,
        abort,
        rollback,
        rollbackReason,
        rollbackCause,
        abortReason,
        abortCause,
        rollbackCauseId,
        rollbackRequestedAt);
  }

  public PendingRequests withAbort() {
    return withAbort(null, null);
  }

  /** The first abort's reason stands: it is the one that ends the rollout. */
  public PendingRequests withAbort(String reason, String cause) {
    return new PendingRequests(
        promote,
        pause,
        resume,
        true,
        rollback,
        rollbackReason,
        rollbackCause,
        abort ? abortReason : reason,
        abort ? abortCause : cause,
        rollbackCauseId,
        rollbackRequestedAt);
  }

  public PendingRequests withRollback(String reason) {
    return withRollback(reason, null);
  }

  public PendingRequests withRollback(String reason, String cause) {
    return withRollback(reason, cause, null, null);
  }

  /**
   * The latest reason is kept; the time and event of the first request stand, so that the time to
   * roll back is counted from the first ask.
   */
  public PendingRequests withRollback(
      String reason, String cause, String causeId, Instant requestedAt) {
    return new PendingRequests(
        promote,
        pause,
        resume,
        abort,
        true,
        reason,
        cause,
        abortReason,
        abortCause,
        rollback ? rollbackCauseId : causeId,
        rollback ? rollbackRequestedAt : requestedAt);
  }

  /** The pending requests as requests again, to report the ones that were not acted on. */
  public List<Request> asRequests() {
    List<Request> requests = new ArrayList<>();
    if (promote != null) {
      requests.add(new Request.Promote(promote == Promotion.FULL));
    }
    if (pause) {
      requests.add(new Request.Pause());
    }
    if (resume) {
      requests.add(new Request.Resume());
    }
    if (abort) {
      requests.add(new Request.Abort(abortReason, abortCause));
    }
    if (rollback) {
      requests.add(new Request.Rollback(rollbackReason, rollbackCause, rollbackCauseId));
    }
    return requests;
  }
}
