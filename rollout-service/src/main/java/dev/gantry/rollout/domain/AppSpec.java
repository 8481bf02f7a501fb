package dev.gantry.rollout.domain;

import dev.gantry.events.id.AppName;
import dev.gantry.events.id.InvalidIdentifierException;
import dev.gantry.events.id.RepoKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A registered app: which repository and branch feed it, how its traffic is routed, and the policy
 * each of its rollouts follows.
 *
 * @param name an {@link AppName} (it names processes, files, Kubernetes objects and nginx
 *     upstreams)
 * @param repo a {@link RepoKey} as build events name it, e.g. {@code github.com/acme/shop}: any key
 *     build-api registers
 * @param branch builds of this branch start rollouts; tags and other branches do not
 * @param router {@code local}, {@code kubernetes} or {@code nginx}
 * @param healthPath answers 2xx once a version is ready, e.g. {@code /healthz}
 * @param listenPort where the app's traffic arrives (local proxy or nginx); 0 for kubernetes
 * @param routerOptions router-specific, e.g. {@code namespace}, {@code replicas}, {@code gateway}
 * @param platform the artifact to run, {@code <goos>_<goarch>}
 */
public record AppSpec(
    String name,
    String repo,
    String branch,
    String router,
    String healthPath,
    int listenPort,
    Map<String, String> routerOptions,
    String platform,
    List<Step> steps,
    Duration stepDeadline,
    OnNewBuild onNewBuild) {

  public static final Set<String> ROUTERS = Set.of("local", "kubernetes", "nginx");
  private static final Pattern BRANCH = Pattern.compile("[A-Za-z0-9._/-]{1,200}");
  private static final Pattern HEALTH_PATH = Pattern.compile("/[A-Za-z0-9._~/-]{0,200}");
  private static final Pattern OPTION_KEY = Pattern.compile("[a-zA-Z][a-zA-Z0-9.-]{0,62}");
  private static final Pattern OPTION_VALUE = Pattern.compile("[A-Za-z0-9._:/@-]{0,253}");
  private static final Pattern PLATFORM = Pattern.compile("[a-z0-9]{2,16}_[a-z0-9]{2,16}");

  public AppSpec {
    routerOptions = routerOptions == null ? Map.of() : Map.copyOf(routerOptions);
    steps = steps == null ? null : List.copyOf(steps);
    List<String> problems = new ArrayList<>();
    try {
      AppName.parse(name);
    } catch (InvalidIdentifierException e) {
      problems.add(problem("name", AppName.RULE, name, e));
    }
    try {
      RepoKey.parse(repo);
    } catch (InvalidIdentifierException e) {
      problems.add(problem("repo", "a path such as github.com/owner/name", repo, e));
    }
    check(problems, BRANCH, "branch", branch, "a branch name");
    if (branch != null
        && (branch.contains("..")
            || branch.startsWith("-")
            || branch.endsWith("/")
            || branch.endsWith(".lock")
            || branch.startsWith("/"))) {
      problems.add("branch is not a valid git branch name: " + branch);
    }
    if (router == null || !ROUTERS.contains(router)) {
      problems.add("router must be one of local, kubernetes, nginx, was " + router);
    }
    check(problems, HEALTH_PATH, "healthPath", healthPath, "a path such as /healthz");
    if (!"kubernetes".equals(router) && (listenPort < 1024 || listenPort > 65535)) {
      problems.add("listenPort must be between 1024 and 65535, was " + listenPort);
    }
    if ("kubernetes".equals(router) && listenPort != 0) {
      problems.add("listenPort is for the local and nginx routers; leave it out for kubernetes");
    }
    routerOptions.forEach(
        (k, v) -> {
          if (k == null || !OPTION_KEY.matcher(k).matches()) {
            problems.add("routerOptions: invalid key " + k);
          } else if (v == null || !OPTION_VALUE.matcher(v).matches()) {
            problems.add("routerOptions." + k + ": invalid value");
          }
        });
    check(problems, PLATFORM, "platform", platform, "<goos>_<goarch>, e.g. linux_amd64");
    problems.addAll(RolloutSpec.stepProblems(steps));
    if (stepDeadline == null || stepDeadline.isNegative() || stepDeadline.isZero()) {
      problems.add("stepDeadline must be positive, was " + stepDeadline);
    }
    if (onNewBuild == null) {
      problems.add("onNewBuild must be QUEUE or REPLACE");
    }
    if (!problems.isEmpty()) {
      throw new InvalidRolloutSpecException(problems);
    }
  }

  /**
   * The rollout of {@code canary}: the app's steps after a stable version, or straight to 100 %
   * once the canary is healthy when nothing serves yet.
   */
  public RolloutSpec rolloutOf(Release canary, Release stable) {
    List<Step> rolloutSteps = stable == null ? List.of(Step.pause(100, 1)) : steps;
    return new RolloutSpec(name, canary, stable, rolloutSteps, stepDeadline);
  }

  private static void check(
      List<String> problems, Pattern pattern, String field, String value, String expected) {
    if (value == null || !pattern.matcher(value).matches()) {
      problems.add(field + " must be " + expected + ", was " + shown(value));
    }
  }

  private static String problem(
      String field, String expected, String value, InvalidIdentifierException e) {
    return field
        + " must be "
        + expected
        + ", was "
        + shown(value)
        + (value == null ? "" : ": " + e.reason());
  }

  private static String shown(String value) {
    return value == null ? "missing" : "'" + abbreviate(value) + "'";
  }

  private static String abbreviate(String value) {
    String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() > 60 ? printable.substring(0, 60) + "…" : printable;
  }
}
