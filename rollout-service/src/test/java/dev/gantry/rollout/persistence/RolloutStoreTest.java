package dev.gantry.rollout.persistence;

import static dev.gantry.rollout.domain.RolloutSpecBuilder.aSpec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;
import static org.awaitility.Awaitility.await;

import dev.gantry.rollout.domain.Action;
import dev.gantry.rollout.domain.Phase;
import dev.gantry.rollout.domain.Reasons;
import dev.gantry.rollout.domain.Request;
import dev.gantry.rollout.domain.RequestResult;
import dev.gantry.rollout.domain.RolloutSpec;
import dev.gantry.rollout.domain.Step;
import dev.gantry.rollout.domain.Verdict;
import dev.gantry.testkit.GantryInfra;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.kubernetes.client.KubernetesServerTestResource;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

@QuarkusTest
@QuarkusTestResource(GantryInfra.class)
// the kubernetes router's API server (fabric8 mock, CRUD mode) as a global resource, as
// monitor-service
// does: @WithKubernetesTestServer would restrict it to one class and restart Quarkus for it
@QuarkusTestResource(KubernetesServerTestResource.class)
class RolloutStoreTest {

  private static final Instant T0 = Instant.parse("2025-06-01T10:00:00Z");
  private static final Duration DEADLINE = Duration.ofMinutes(5);

  @Inject RolloutStore store;
  @Inject DataSource dataSource;

  @Test
  void shouldRecordEveryPhaseChangeAndStepAdvanceWithItsCauseWhenWalkedThroughItsSteps() {
    StoredRollout created = store.create(spec(), T0);
    assertThat(store.load(created.id()).orElseThrow().spec()).isEqualTo(created.spec());
    assertThat(created.phase()).isEqualTo(Phase.PENDING);

    Reconciled started = store.reconcile(created.id(), T0);
    assertThat(started.actions()).contains(new Action.StartCanary(), new Action.SetWeight(5));
    assertStored(created.id(), Phase.PROGRESSING, 0, 5);
    // the deadline runs once the router has applied the step
    assertThat(store.load(created.id()).orElseThrow().wakeAt()).isEmpty();
    applied(created.id(), T0);
    assertThat(store.load(created.id()).orElseThrow().wakeAt()).contains(T0.plus(DEADLINE));

    Instant t1 = T0.plusSeconds(10);
    verdict(created.id(), 0, Verdict.PASS, t1);
    assertThat(store.reconcile(created.id(), t1).actions()).contains(new Action.SetWeight(25));
    assertStored(created.id(), Phase.PROGRESSING, 1, 25);
    applied(created.id(), t1);

    Instant t2 = T0.plusSeconds(20);
    verdict(created.id(), 1, Verdict.INCONCLUSIVE, t2);
    store.reconcile(created.id(), t2);
    assertStored(created.id(), Phase.PAUSED, 1, 25);
    assertThat(store.load(created.id()).orElseThrow().wakeAt()).isEmpty();

    Instant t3 = T0.plusSeconds(30);
    accepted(store.submit(created.id(), new Request.Resume(), t3));
    store.reconcile(created.id(), t3);
    verdict(created.id(), 1, Verdict.PASS, t3);
    store.reconcile(created.id(), t3);
    assertStored(created.id(), Phase.PROGRESSING, 2, 50);
    applied(created.id(), t3);

    Instant t4 = T0.plusSeconds(40);
    verdict(created.id(), 2, Verdict.PASS, t4);
    store.reconcile(created.id(), t4);
    applied(created.id(), t4);
    verdict(created.id(), 3, Verdict.PASS, t4);
    Reconciled promoted = store.reconcile(created.id(), t4);
    assertThat(promoted.actions()).contains(new Action.MakeCanaryStable());
    assertStored(created.id(), Phase.PROMOTED, 3, 100);

    assertThat(store.transitions(created.id()))
        .extracting(
            Transition::from,
            Transition::to,
            Transition::reason,
            Transition::at,
            Transition::step,
            Transition::weight)
        .containsExactly(
            tuple(Phase.PENDING, Phase.PROGRESSING, Reasons.ROLLOUT_STARTED, T0, 0, 5),
            tuple(Phase.PROGRESSING, Phase.PROGRESSING, Reasons.ANALYSIS_PASSED, t1, 1, 25),
            tuple(Phase.PROGRESSING, Phase.PAUSED, Reasons.ANALYSIS_INCONCLUSIVE, t2, null, null),
            tuple(Phase.PAUSED, Phase.PROGRESSING, Reasons.MANUAL_RESUME, t3, null, null),
            tuple(Phase.PROGRESSING, Phase.PROGRESSING, Reasons.ANALYSIS_PASSED, t3, 2, 50),
            tuple(Phase.PROGRESSING, Phase.PROGRESSING, Reasons.ANALYSIS_PASSED, t4, 3, 100),
            tuple(Phase.PROGRESSING, Phase.PROMOTED, Reasons.PROMOTED, t4, null, null));
  }

  @Test
  void shouldHoldAPassUntilTheRouterAppliedTheStepAndRecordTheApplyOnce() {
    UUID id = store.create(spec(), T0).id();
    store.reconcile(id, T0);
    Instant t1 = T0.plusSeconds(10);
    verdict(id, 0, Verdict.PASS, t1);

    assertThat(store.reconcile(id, t1).actions()).isEmpty();
    assertStored(id, Phase.PROGRESSING, 0, 5);

    Instant t2 = T0.plusSeconds(20);
    assertThat(store.markApplied(id, 0, 5, t2)).isTrue();
    assertThat(store.markApplied(id, 0, 5, t2.plusSeconds(1))).as("recorded once").isFalse();
    assertThat(store.load(id).orElseThrow().status().appliedAt()).isEqualTo(t2);
    assertThat(store.reconcile(id, t2).actions()).contains(new Action.SetWeight(25));
    // the route of step 0 was read before the rollout moved on: it does not count for step 1
    assertThat(store.markApplied(id, 0, 5, t2)).isFalse();
    assertThat(store.load(id).orElseThrow().status().stepApplied()).isFalse();
  }

  @Test
  void shouldReadARowStoredBeforeAppliedStepsWereRecordedAsNotApplied() throws SQLException {
    UUID id = store.create(spec(), T0).id();
    store.reconcile(id, T0);
    try (Connection c = dataSource.getConnection();
        PreparedStatement strip =
            c.prepareStatement(
                "update rollouts set status = status - 'appliedStep' - 'appliedAt' where id = ?")) {
      strip.setObject(1, id);
      strip.executeUpdate();
    }

    StoredRollout old = store.load(id).orElseThrow();

    assertThat(old.status().appliedStep()).isNull();
    assertThat(old.status().stepApplied()).isFalse();
    assertThat(store.markApplied(id, 0, 5, T0.plusSeconds(1))).isTrue();
  }

  @Test
  void shouldWriteNothingWhenReconciledAgainAtTheSameInstant() {
    UUID id = store.create(spec(), T0).id();
    store.reconcile(id, T0);
    StoredRollout before = store.load(id).orElseThrow();
    int transitions = store.transitions(id).size();

    Reconciled again = store.reconcile(id, T0);

    assertThat(again.actions()).isEmpty();
    StoredRollout after = store.load(id).orElseThrow();
    assertThat(after.lockVersion()).isEqualTo(before.lockVersion());
    assertThat(after.updatedAt()).isEqualTo(before.updatedAt());
    assertThat(after.status()).isEqualTo(before.status());
    assertThat(store.transitions(id)).hasSize(transitions);
  }

  @Test
  void shouldKeepBothRequestsWhenTwoSubmitsRace() throws Exception {
    UUID id = store.create(spec(), T0).id();
    store.reconcile(id, T0);
    long version = store.load(id).orElseThrow().lockVersion();
    Instant t1 = T0.plusSeconds(1);

    CompletableFuture<RequestResult> pause;
    CompletableFuture<RequestResult> abort;
    // Holding the row makes both submits read the same version before either can write, so one of
    // them is bound to lose the first round and must retry on the other's status.
    try (Connection holder = dataSource.getConnection()) {
      holder.setAutoCommit(false);
      try (PreparedStatement lock =
          holder.prepareStatement("select 1 from rollouts where id = ? for update")) {
        lock.setObject(1, id);
        lock.executeQuery().close();
      }
      pause = CompletableFuture.supplyAsync(() -> store.submit(id, new Request.Pause(), t1));
      abort = CompletableFuture.supplyAsync(() -> store.submit(id, new Request.Abort(), t1));
      awaitUpdatesBlocked(2);
      holder.commit();
    }

    accepted(pause.get(10, TimeUnit.SECONDS));
    accepted(abort.get(10, TimeUnit.SECONDS));
    StoredRollout stored = store.load(id).orElseThrow();
    assertThat(stored.status().requests().pause()).isTrue();
    assertThat(stored.status().requests().abort()).isTrue();
    assertThat(stored.lockVersion()).isEqualTo(version + 2);

    store.reconcile(id, t1);
    assertThat(store.load(id).orElseThrow().phase()).isEqualTo(Phase.ABORTED);
  }

  @Test
  void shouldResumeAtTheSameStepWhenANewStoreReadsTheRow() {
    UUID id = store.create(spec(), T0).id();
    store.reconcile(id, T0);
    applied(id, T0);
    Instant t1 = T0.plusSeconds(10);
    verdict(id, 0, Verdict.PASS, t1);
    store.reconcile(id, t1);
    applied(id, t1);
    StoredRollout beforeRestart = store.load(id).orElseThrow();

    RolloutStore restarted = new RolloutStore(dataSource);

    StoredRollout afterRestart = restarted.load(id).orElseThrow();
    assertThat(afterRestart).isEqualTo(beforeRestart);
    assertThat(afterRestart.status().stepIndex()).isEqualTo(1);
    assertThat(afterRestart.status().canaryWeight()).isEqualTo(25);
    assertThat(afterRestart.wakeAt()).contains(t1.plus(DEADLINE));
    // the restarted service's first reconcile repeats no weight change and no step
    assertThat(restarted.reconcile(id, t1.plusSeconds(1)).actions()).isEmpty();
    // and the stored deadline still fires
    Reconciled late = restarted.reconcile(id, t1.plus(DEADLINE));
    assertThat(late.rollout().phase()).isEqualTo(Phase.PAUSED);
    assertThat(store.transitions(id))
        .extracting(Transition::reason)
        .containsExactly(
            Reasons.ROLLOUT_STARTED, Reasons.ANALYSIS_PASSED, Reasons.STEP_DEADLINE_EXCEEDED);
  }

  @Test
  void shouldRefuseASecondActiveRolloutForTheSameApp() throws SQLException {
    RolloutSpec first = spec();
    UUID id = store.create(first, T0).id();
    RolloutSpec second = aSpec().withApp(first.app()).withCanaryVersion("v1.2.0").build();

    assertThatThrownBy(() -> store.create(second, T0))
        .isInstanceOf(ActiveRolloutExistsException.class)
        .cause()
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("rollouts_one_active_per_app");
    assertThat(countRollouts(first.app())).isEqualTo(1);

    accepted(store.submit(id, new Request.Abort(), T0));
    store.reconcile(id, T0);
    assertThat(store.create(second, T0.plusSeconds(1)).phase()).isEqualTo(Phase.PENDING);
    assertThat(countRollouts(first.app())).isEqualTo(2);
  }

  @Test
  void shouldRecordButNotWriteARejectedRequest() {
    UUID id = store.create(spec(), T0).id();
    long version = store.load(id).orElseThrow().lockVersion();

    RequestResult result = store.submit(id, new Request.Resume(), T0);

    assertThat(result).isInstanceOf(RequestResult.Rejected.class);
    assertThat(store.load(id).orElseThrow().lockVersion()).isEqualTo(version);
  }

  private RolloutSpec spec() {
    return aSpec()
        .withApp("app-" + UUID.randomUUID())
        .withSteps(Step.analysis(5), Step.analysis(25), Step.analysis(50), Step.analysis(100))
        .withStepDeadline(DEADLINE)
        .build();
  }

  /** The router applied the rollout's current step at {@code at}, as the engine records it. */
  private void applied(UUID id, Instant at) {
    StoredRollout rollout = store.load(id).orElseThrow();
    assertThat(
            store.markApplied(
                id, rollout.status().stepIndex(), rollout.status().canaryWeight(), at))
        .isTrue();
    store.reconcile(id, at);
  }

  private void verdict(UUID id, int step, Verdict verdict, Instant at) {
    accepted(store.submit(id, new Request.ReportVerdict(step, verdict, "from the test"), at));
  }

  private static void accepted(RequestResult result) {
    assertThat(result).isInstanceOf(RequestResult.Accepted.class);
  }

  private void assertStored(UUID id, Phase phase, int step, int weight) {
    StoredRollout stored = store.load(id).orElseThrow();
    assertThat(stored.phase()).isEqualTo(phase);
    assertThat(stored.status().stepIndex()).isEqualTo(step);
    assertThat(stored.status().canaryWeight()).isEqualTo(weight);
  }

  private long countRollouts(String app) throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement count =
            c.prepareStatement("select count(*) from rollouts where app = ?")) {
      count.setString(1, app);
      try (ResultSet rs = count.executeQuery()) {
        rs.next();
        return rs.getLong(1);
      }
    }
  }

  private void awaitUpdatesBlocked(int expected) {
    await("both submits waiting to write")
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(20))
        .until(() -> updatesWaitingOnALock() >= expected);
  }

  private long updatesWaitingOnALock() throws SQLException {
    try (Connection c = dataSource.getConnection();
        PreparedStatement waiting =
            c.prepareStatement(
                "select count(*) from pg_stat_activity where wait_event_type = 'Lock'"
                    + " and query like 'update rollouts%'");
        ResultSet rs = waiting.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }
}
