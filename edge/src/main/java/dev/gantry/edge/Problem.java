package dev.gantry.edge;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error answer, RFC 9457 {@code application/problem+json}. Fields that do not
 * apply are left out.
 *
 * @param reason for a 409, a constant the client can switch on
 * @param errorId for an unexpected error, the id under which the server log has the details
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(
    String type, String title, int status, String detail, String reason, String errorId) {}
