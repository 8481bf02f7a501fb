package dev.gantry.buildapi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.gantry.buildapi.webhook.WebhookResult;
import java.util.Locale;

/** What a forge's delivery log shows for each delivery. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WebhookResponse(String outcome, String reason, BuildView build) {
  public static WebhookResponse of(WebhookResult r) {
    return new WebhookResponse(
        r.outcome().name().toLowerCase(Locale.ROOT),
        r.reason(),
        r.build() == null ? null : BuildView.of(r.build()));
  }
}
