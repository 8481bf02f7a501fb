package dev.gantry.buildapi.domain;

import dev.gantry.edge.ApiException;
import java.util.Locale;

/** What a new push to a branch does to that branch's older queued or running builds. */
public enum SupersedePolicy {
  /** Ask the workers to cancel them: only the newest commit of a branch matters. */
  CANCEL_OLDER,
  /** Let every pushed commit build. */
  NONE;

  public String id() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  public static SupersedePolicy parse(String value) {
    if (value == null || value.isBlank()) {
      return CANCEL_OLDER;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "cancel-older" -> CANCEL_OLDER;
      case "none" -> NONE;
      default ->
          throw new ApiException.BadRequest(
              "unknown supersede policy '" + value + "': expected cancel-older or none");
    };
  }
}
