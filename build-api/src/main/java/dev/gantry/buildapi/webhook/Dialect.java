package dev.gantry.buildapi.webhook;

import dev.gantry.buildapi.domain.Provider;
import dev.gantry.edge.ApiException;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The headers each forge sends: which event, which delivery, which signature. Forgejo sends the
 * Gitea headers and its own {@code X-Forgejo-*} twins; either is accepted.
 */
public final class Dialect {
  private static final Pattern DELIVERY_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

  private final Provider provider;
  private final Function<String, String> header;

  public Dialect(Provider provider, Function<String, String> header) {
    this.provider = provider;
    this.header = header;
  }

  public Provider provider() {
    return provider;
  }

  /** The event name as the forge spells it. */
  public String eventName() {
    List<String> names =
        switch (provider) {
          case GITHUB -> List.of("X-GitHub-Event");
          case GITLAB -> List.of("X-Gitlab-Event");
          case GITEA -> List.of("X-Forgejo-Event", "X-Gitea-Event", "X-Gogs-Event");
        };
    String value = first(names);
    if (value == null || value.isBlank()) {
      throw new ApiException.BadRequest("missing " + names.get(0) + " header");
    }
    return value.trim();
  }

  public ForgeEvent event() {
    String name = eventName().toLowerCase(Locale.ROOT);
    return switch (provider) {
      case GITHUB, GITEA ->
          switch (name) {
            case "ping" -> ForgeEvent.PING;
            case "push" -> ForgeEvent.PUSH;
            default -> ForgeEvent.OTHER;
          };
      case GITLAB ->
          switch (name) {
            case "push hook", "tag push hook" -> ForgeEvent.PUSH;
            default -> ForgeEvent.OTHER;
          };
    };
  }

  /**
   * The id that stays the same when the forge redelivers. GitLab's {@code Idempotency-Key} is
   * stable across retries; older GitLab versions only send the per-event UUID.
   */
  public String deliveryId() {
    List<String> names =
        switch (provider) {
          case GITHUB -> List.of("X-GitHub-Delivery");
          case GITLAB -> List.of("Idempotency-Key", "X-Gitlab-Event-UUID");
          case GITEA -> List.of("X-Forgejo-Delivery", "X-Gitea-Delivery", "X-Gogs-Delivery");
        };
    String value = first(names);
    if (value == null || value.isBlank()) {
      return null;
    }
    if (!DELIVERY_ID.matcher(value.trim()).matches()) {
      throw new ApiException.BadRequest("delivery id header is malformed");
    }
    return value.trim();
  }

  /** The signature or token header, or null. */
  public String signature() {
    return switch (provider) {
      case GITHUB -> header.apply("X-Hub-Signature-256");
      case GITLAB -> header.apply("X-Gitlab-Token");
      case GITEA -> first(List.of("X-Forgejo-Signature", "X-Gitea-Signature", "X-Gogs-Signature"));
    };
  }

  public String signatureHeaderName() {
    return switch (provider) {
      case GITHUB -> "X-Hub-Signature-256";
      case GITLAB -> "X-Gitlab-Token";
      case GITEA -> "X-Gitea-Signature (or X-Forgejo-Signature)";
    };
  }

  /** GitHub still sends the SHA-1 header next to the SHA-256 one; alone, it is not enough. */
  public boolean hasOnlyLegacySignature() {
    return provider == Provider.GITHUB
        && header.apply("X-Hub-Signature-256") == null
        && header.apply("X-Hub-Signature") != null;
  }

  private String first(List<String> names) {
    for (String name : names) {
      String value = header.apply(name);
      if (value != null) {
        return value;
      }
    }
    return null;
  }
}
