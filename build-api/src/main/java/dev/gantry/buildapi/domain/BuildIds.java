package dev.gantry.buildapi.domain;

import dev.gantry.buildapi.persistence.BuildRepository;
import dev.gantry.events.id.BuildId;
import java.util.UUID;

/** Build ids as other services report them: anything that is not one of ours is unknown. */
final class BuildIds {
  private BuildIds() {}

  /** The id as a UUID, or null when it is not a {@link BuildId}. */
  static UUID uuid(String id) {
    return BuildId.isValid(id) ? BuildId.parse(id).uuid() : null;
  }

  /** The id of a build this service has, or null. */
  static UUID known(BuildRepository builds, String id) {
    UUID uuid = uuid(id);
    return uuid != null && builds.findByIdOptional(uuid).isPresent() ? uuid : null;
  }
}
