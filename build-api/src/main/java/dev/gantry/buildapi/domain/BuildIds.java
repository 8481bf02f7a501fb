package dev.gantry.buildapi.domain;

import dev.gantry.buildapi.persistence.BuildRepository;
import java.util.UUID;

/** Build ids as other services report them: anything that is not one of ours is unknown. */
final class BuildIds {
  private BuildIds() {}

  static UUID uuid(String id) {
    if (id == null) {
      return null;
    }
    try {
      return UUID.fromString(id);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  /** The id of a build this service has, or null. */
  static UUID known(BuildRepository builds, String id) {
    UUID uuid = uuid(id);
    return uuid != null && builds.findByIdOptional(uuid).isPresent() ? uuid : null;
  }
}
