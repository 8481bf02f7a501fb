package dev.gantry.events.analysis;

import dev.gantry.events.EventData;
import java.time.Instant;

/**
 * monitor-service stored one sample of one track of a rollout's step. A notification for live views
 * (the console), not a record to rebuild state from: the sample itself is read from {@code GET
 * /analyses/{rolloutId}}. Published after the sample is committed, at most once; a lost one only
 * delays a live view until the next.
 *
 * @param track {@code canary} or {@code stable}
 * @param seq the sample's number within its step and track, from 1
 * @param missing true when the scrape failed and the sample holds only its reason
 */
public record SampleRecorded(
    String rolloutId, String app, int step, String track, int seq, Instant at, boolean missing)
    implements EventData {
  @Override
  public String subject() {
    return app;
  }
}
