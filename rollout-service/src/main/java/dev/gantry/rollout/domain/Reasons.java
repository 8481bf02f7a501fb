package dev.gantry.rollout.domain;

/**
 * Reason constants for conditions, transitions and rejected requests. They appear in events, in the
 * REST history and in alerts, so they are never renamed.
 */
public final class Reasons {

  public static final String ROLLOUT_STARTED = "RolloutStarted";
  public static final String STEP_STARTED = "StepStarted";
  public static final String STEP_DEADLINE_EXCEEDED = "StepDeadlineExceeded";
  public static final String ANALYSIS_PASSED = "AnalysisPassed";
  public static final String ANALYSIS_INCONCLUSIVE = "AnalysisInconclusive";
  public static final String ANALYSIS_FAILED = "AnalysisFailed";
  public static final String PAUSE_ELAPSED = "PauseElapsed";
  public static final String AWAITING_MANUAL_PROMOTE = "AwaitingManualPromote";
  public static final String MANUAL_PAUSE = "ManualPause";
  public static final String MANUAL_RESUME = "ManualResume";
  public static final String MANUAL_PROMOTE = "ManualPromote";
  public static final String MANUAL_PROMOTE_FULL = "ManualPromoteFull";
  public static final String MANUAL_ABORT = "ManualAbort";

  /** A newer build of the app arrived and the app's policy is {@code replace}. */
  public static final String SUPERSEDED_BY_NEWER_BUILD = "SupersededByNewerBuild";

  /** An operator's {@code POST /apps/{app}/rollback}. */
  public static final String MANUAL_ROLLBACK = "ManualRollback";

  public static final String ROLLBACK_REQUESTED = "RollbackRequested";
  public static final String PROMOTED = "Promoted";

  /** The canary could not be started, or never answered its health check: rolled back. */
  public static final String CANARY_UNHEALTHY = "CanaryUnhealthy";

  /** The router kept failing to move the canary's traffic, however often it was retried. */
  public static final String ROUTER_FAILED = "RouterFailed";

  /** A request that the rollout's phase does not allow; REST answers 409. */
  public static final String ILLEGAL_TRANSITION = "IllegalTransition";

  /** A PASS or INCONCLUSIVE about a step the rollout has already left. */
  public static final String STALE_VERDICT = "StaleVerdict";

  private Reasons() {}
}
