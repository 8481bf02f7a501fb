package dev.gantry.buildapi.api;

/**
 * A manual build: of a branch or tag's current head ({@code ref}), or of a given commit on it
 * ({@code ref} and {@code commit}).
 *
 * @param repo the repository's id or its key ({@code host/owner/name})
 */
public record BuildRequest(String repo, String ref, String commit) {}
