package dev.gantry.e2e;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A push delivery exactly as GitHub sends one: the {@code push} event's payload, signed with
 * HMAC-SHA256 of the raw body in {@code X-Hub-Signature-256}, with a delivery id.
 */
final class GitHubPush {
  private GitHubPush() {}

  record Delivery(String id, byte[] body, Map<String, String> headers) {}

  static Delivery of(String cloneUrl, String repoName, SourceRepo.Commit commit, String secret) {
    ObjectNode root = Api.JSON.createObjectNode();
    root.put("ref", "refs/heads/main");
    root.put("before", commit.before());
    root.put("after", commit.sha());
    ObjectNode repository = root.putObject("repository");
    repository.put("name", repoName);
    repository.put("full_name", "demo/" + repoName);
    repository.put("private", false);
    repository.put("clone_url", cloneUrl);
    repository.put("default_branch", "main");
    root.putObject("pusher").put("name", "gantry-demo").put("email", "demo@gantry.invalid");
    root.putObject("sender").put("login", "gantry-demo").put("type", "User");
    root.put("created", commit.before().chars().allMatch(c -> c == '0'));
    root.put("deleted", false);
    root.put("forced", false);
    ObjectNode head = root.putObject("head_commit");
    head.put("id", commit.sha());
    head.put("distinct", true);
    head.put("message", commit.message());
    head.put("timestamp", commit.pushedAt().toString());
    head.putObject("author").put("name", "Gantry Demo").put("email", "demo@gantry.invalid");
    root.putArray("commits").add(head.deepCopy());
    byte[] body;
    try {
      body = Api.JSON.writeValueAsBytes(root);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the push payload", e);
    }
    String id = UUID.randomUUID().toString();
    return new Delivery(
        id,
        body,
        Map.of(
            "X-GitHub-Event",
            "push",
            "X-GitHub-Delivery",
            id,
            "X-Hub-Signature-256",
            "sha256=" + hmacSha256(secret, body),
            "User-Agent",
            "GitHub-Hookshot/gantry-demo"));
  }

  static String hmacSha256(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return HexFormat.of().formatHex(mac.doFinal(body));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HMAC-SHA256 is not available", e);
    }
  }
}
