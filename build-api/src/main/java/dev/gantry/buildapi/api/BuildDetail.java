package dev.gantry.buildapi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonUnwrapped;

/**
 * One build with its trail into production: the fields of {@link BuildView}, plus {@code
 * deployment}, present as null when the build never reached a rollout. Only {@code GET
 * /builds/{id}} looks the trail up, so listings stay one query per page.
 */
public record BuildDetail(
    @JsonUnwrapped BuildView build,
    @JsonInclude(JsonInclude.Include.ALWAYS) DeploymentView deployment) {}
