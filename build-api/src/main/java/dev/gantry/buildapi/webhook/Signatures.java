package dev.gantry.buildapi.webhook;

import dev.gantry.buildapi.domain.Provider;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Checks that a delivery came from a forge that knows the repository's secret. */
public final class Signatures {
  private static final String GITHUB_PREFIX = "sha256=";

  private Signatures() {}

  /**
   * GitHub: {@code sha256=<hex HMAC-SHA256 of the raw body>}; Gitea and Forgejo: the bare hex of
   * the same HMAC; GitLab: the secret token itself. All comparisons are constant-time.
   */
  public static boolean verify(Provider provider, String presented, byte[] body, String secret) {
    if (presented == null || secret == null || secret.isEmpty()) {
      return false;
    }
    return switch (provider) {
      case GITHUB ->
          presented.startsWith(GITHUB_PREFIX)
              && hmacMatches(presented.substring(GITHUB_PREFIX.length()), body, secret);
      case GITEA -> hmacMatches(presented, body, secret);
      case GITLAB ->
          MessageDigest.isEqual(
              presented.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    };
  }

  public static String hmacSha256Hex(byte[] body, String secret) {
    return HexFormat.of().formatHex(hmacSha256(body, secret));
  }

  private static boolean hmacMatches(String hex, byte[] body, String secret) {
    byte[] presented;
    try {
      presented = HexFormat.of().parseHex(hex.trim());
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(presented, hmacSha256(body, secret));
  }

  private static byte[] hmacSha256(byte[] body, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
