package dev.gantry.buildapi.git;

import dev.gantry.buildapi.config.BuildApiConfig;
import dev.gantry.buildapi.domain.GitRef;
import dev.gantry.edge.ApiException;
import dev.gantry.events.build.RefType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Asks a remote which commit a ref points at ({@code git ls-remote}), for manual builds that name a
 * ref but no commit. git runs directly — never through a shell — with validated arguments, no
 * prompts, and only the transports a clone URL may use.
 */
@ApplicationScoped
public class GitRemote {
  private static final long TIMEOUT_SECONDS = 20;

  @Inject BuildApiConfig config;

  /** The ref (branch first, then tag for a short name) and the commit it points at. */
  public record Resolved(GitRef ref, String commit) {}

  public Resolved resolve(String cloneUrl, String ref) {
    List<GitRef> candidates = new ArrayList<>();
    if (ref.startsWith("refs/")) {
      candidates.add(GitRef.parse(ref));
    } else {
      candidates.add(GitRef.parseShort(ref, RefType.BRANCH));
      candidates.add(GitRef.parseShort(ref, RefType.TAG));
    }
    Map<String, String> remote = lsRemote(cloneUrl, candidates);
    for (GitRef candidate : candidates) {
      // an annotated tag is listed twice; the peeled ^{} line names the commit
      String commit = remote.getOrDefault(candidate.full() + "^{}", remote.get(candidate.full()));
      if (commit != null) {
        return new Resolved(candidate, commit);
      }
    }
    throw new ApiException.BadRequest(
        "ref '" + ref + "' does not exist in the repository (neither a branch nor a tag)");
  }

  private Map<String, String> lsRemote(String cloneUrl, List<GitRef> refs) {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.add("-c");
    cmd.add("protocol.allow=never");
    for (String scheme :
        config.localMode() ? List.of("https", "ssh", "file") : List.of("https", "ssh")) {
      cmd.add("-c");
      cmd.add("protocol." + scheme + ".allow=always");
    }
    cmd.add("ls-remote");
    cmd.add("--");
    cmd.add(cloneUrl);
    for (GitRef r : refs) {
      cmd.add(r.full());
      cmd.add(r.full() + "^{}");
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    pb.environment().put("GIT_TERMINAL_PROMPT", "0");
    pb.environment().put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    Process process;
    try {
      process = pb.start();
    } catch (IOException e) {
      throw new ApiException.BadGateway(
          "git is not available to resolve the ref: " + e.getMessage());
    }
    try (InputStream out = process.getInputStream()) {
      if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new ApiException.BadGateway(
            "the repository did not answer within " + TIMEOUT_SECONDS + " s");
      }
      String text = new String(out.readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new ApiException.BadGateway(
            "git ls-remote failed (exit " + process.exitValue() + "): " + firstLine(text));
      }
      Map<String, String> byRef = new HashMap<>();
      for (String line : text.split("\n")) {
        String[] parts = line.split("\t", 2);
        if (parts.length == 2) {
          byRef.put(parts[1].trim(), parts[0].trim());
        }
      }
      return byRef;
    } catch (IOException e) {
      throw new ApiException.BadGateway("could not read git's answer: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new ApiException.BadGateway("interrupted while resolving the ref");
    }
  }

  private static String firstLine(String text) {
    String line = text.strip().split("\n", 2)[0];
    return line.length() > 300 ? line.substring(0, 300) : line;
  }
}
