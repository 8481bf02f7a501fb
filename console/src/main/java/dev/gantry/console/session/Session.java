package dev.gantry.console.session;

import dev.gantry.edge.Role;
import java.time.Instant;

/**
 * One browser's login.
 *
 * @param id the cookie's value; never shown, never logged
 * @param csrf what every non-GET must repeat in {@code X-CSRF-Token}: a page of the console can
 *     read it from {@code GET /api/session}, a page of another site cannot
 */
public record Session(String id, Role role, String csrf, Instant expiresAt) {
  @Override
  public String toString() {
    return "Session[" + role + ", expires " + expiresAt + "]";
  }
}
