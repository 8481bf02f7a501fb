package dev.gantry.monitor.judge;

import dev.gantry.events.analysis.Evidence;
import dev.gantry.events.analysis.Verdict;
import java.util.List;

/**
 * A step's verdict, each check's evidence, and one sentence for the rollout's history.
 *
 * @param shortOfData an INCONCLUSIVE whose only cause is too little data so far: more rounds of the
 *     same step could still turn it into a PASS or a FAIL. False for every other verdict, and for
 *     an INCONCLUSIVE that more data cannot change (a target that stopped answering, a saturated
 *     host, a target with nothing to judge).
 */
public record Judgement(
    Verdict verdict, List<Evidence> evidence, String reason, boolean shortOfData) {

  static Judgement of(Verdict verdict, List<Evidence> evidence, String reason) {
    return new Judgement(verdict, evidence, reason, false);
  }

  static Judgement wantingData(List<Evidence> evidence, String reason) {
    return new Judgement(Verdict.INCONCLUSIVE, evidence, reason, true);
  }

  public Judgement withEvidence(List<Evidence> more) {
    return new Judgement(verdict, more, reason, shortOfData);
  }
}
