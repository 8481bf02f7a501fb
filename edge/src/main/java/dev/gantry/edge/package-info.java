/**
 * The HTTP edge every Gantry service shares, so that the rules a client meets are the same at every
 * port:
 *
 * <ul>
 *   <li>{@link dev.gantry.edge.BearerTokens} and {@link dev.gantry.edge.Role}: the operator and
 *       viewer tokens, compared in constant time, never logged; 401 for no or an unknown token, 403
 *       for the viewer token where the operator's is needed. Each service keeps a thin {@code
 *       AuthFilter} that says which of its paths are open, which need the operator token, and where
 *       its tokens are configured.
 *   <li>{@link dev.gantry.edge.ApiException}: the exception base; each subclass carries its status.
 *   <li>{@link dev.gantry.edge.Problems} and {@link dev.gantry.edge.CatchAllMapper}: every error as
 *       {@code application/problem+json}; an unexpected one as a 500 with an {@code errorId} that
 *       is also in the log. Each service keeps its own mappers for its own exceptions, and may add
 *       rows to the catch-all through a {@link dev.gantry.edge.ProblemTable} bean.
 *   <li>{@link dev.gantry.edge.Transactions}: one JDBC transaction per call.
 * </ul>
 *
 * <p>A plain jar; its {@code META-INF/beans.xml} lets Quarkus index it, so that the services find
 * {@code CatchAllMapper} without configuration.
 */
package dev.gantry.edge;
