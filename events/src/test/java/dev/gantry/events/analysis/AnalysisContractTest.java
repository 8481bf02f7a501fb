package dev.gantry.events.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.gantry.events.EventCodec;
import dev.gantry.events.EventTypes;
import dev.gantry.events.Golden;
import org.junit.jupiter.api.Test;

/**
 * The fields added to the analysis contracts are optional: an older producer's payload still reads.
 */
class AnalysisContractTest {

  @Test
  void shouldReadAVerdictFromAProducerThatPredatesTheAddedFields() throws Exception {
    ObjectNode old =
        (ObjectNode) EventCodec.mapper().readTree(Golden.json(EventTypes.ANALYSIS_VERDICT_ISSUED));
    old.remove("canaryCommit");
    old.remove("canaryBuildId");
    for (var e : (ArrayNode) old.get("evidence")) {
      ((ObjectNode) e).remove("statistic");
      ((ObjectNode) e).remove("pValue");
      ((ObjectNode) e).remove("samples");
    }

    AnalysisVerdict v =
        EventCodec.decodeData(EventCodec.mapper().writeValueAsBytes(old), AnalysisVerdict.class);

    AnalysisVerdict golden = Golden.data(AnalysisVerdict.class);
    assertThat(v.canaryCommit()).isNull();
    assertThat(v.evidence().get(0).pValue()).isNull();
    assertThat(v)
        .isEqualTo(
            new AnalysisVerdict(
                golden.rolloutId(),
                golden.app(),
                golden.step(),
                golden.canaryVersion(),
                golden.stableVersion(),
                golden.verdict(),
                golden.evidence().stream()
                    .map(
                        e ->
                            new Evidence(
                                e.check(),
                                e.verdict(),
                                e.canary(),
                                e.stable(),
                                e.threshold(),
                                e.unit(),
                                e.summary(),
                                e.stacks()))
                    .toList(),
                golden.windowStart(),
                golden.windowEnd(),
                golden.issuedAt()));
  }

  @Test
  void shouldCarryTheFailedStepAndTheCanarysBuildInARollbackRequest() {
    RollbackRequested r = Golden.data(RollbackRequested.class);

    assertThat(r.step()).isEqualTo(1);
    assertThat(r.canaryCommit()).hasSize(40);
    assertThat(r.canaryBuildId()).isNotBlank();
    assertThat(r.evidence().get(0).statistic()).isEqualTo("mann-kendall");
  }
}
