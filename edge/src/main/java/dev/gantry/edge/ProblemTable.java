package dev.gantry.edge;

import jakarta.ws.rs.core.Response;
import java.util.Optional;

/**
 * A service's own rows for exceptions that have no mapper of their own and are not an {@link
 * ApiException}, consulted before such an exception becomes an unexpected 500 (build-api: a
 * database that cannot be reached is a 503 with {@code Retry-After}). A service declares it as a
 * bean; a service without such rows declares none.
 */
public interface ProblemTable {

  /** The answer for {@code e}, or empty if this table has no row for it. */
  Optional<Response> answer(Exception e);
}
