package dev.gantry.rollout.persistence;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.gantry.rollout.domain.AppSpec;
import dev.gantry.rollout.domain.Gate;
import dev.gantry.rollout.domain.Release;
import dev.gantry.rollout.domain.RolloutSpec;
import dev.gantry.rollout.domain.RolloutStatus;
import java.io.UncheckedIOException;

/**
 * The stored JSON of a rollout's spec and status. Its own mapper, not the application's, so that a
 * change to REST's JSON settings cannot change what is already in the database; the domain stays
 * free of Jackson annotations through a mix-in for the one polymorphic type, {@link Gate}.
 */
public final class RolloutJson {

  private static final ObjectMapper MAPPER =
      JsonMapper.builder()
          .addModule(new JavaTimeModule())
          .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
          .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
          .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
          // a record's isEmpty() and the like are derived, not state
          .visibility(PropertyAccessor.IS_GETTER, JsonAutoDetect.Visibility.NONE)
          .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .addMixIn(Gate.class, GateMixIn.class)
          .build();

  private RolloutJson() {}

  public static String write(RolloutSpec spec) {
    return writeValue(spec);
  }

  public static String write(RolloutStatus status) {
    return writeValue(status);
  }

  public static String write(AppSpec app) {
    return writeValue(app);
  }

  /** Null stays SQL null, so that "no release" is not the JSON literal {@code null}. */
  public static String write(Release release) {
    return release == null ? null : writeValue(release);
  }

  public static AppSpec readApp(String json) {
    return readValue(json, AppSpec.class);
  }

  public static Release readRelease(String json) {
    return json == null ? null : readValue(json, Release.class);
  }

  public static RolloutSpec readSpec(String json) {
    return readValue(json, RolloutSpec.class);
  }

  public static RolloutStatus readStatus(String json) {
    return readValue(json, RolloutStatus.class);
  }

  private static String writeValue(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static <T> T readValue(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
  @JsonSubTypes({
    @JsonSubTypes.Type(value = Gate.Pause.class, name = "pause"),
    @JsonSubTypes.Type(value = Gate.Analysis.class, name = "analysis"),
    @JsonSubTypes.Type(value = Gate.Manual.class, name = "manual")
  })
  private interface GateMixIn {}
}
