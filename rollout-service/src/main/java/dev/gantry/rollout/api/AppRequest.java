package dev.gantry.rollout.api;

import dev.gantry.rollout.domain.AppSpec;
import dev.gantry.rollout.domain.Gate;
import dev.gantry.rollout.domain.InvalidRolloutSpecException;
import dev.gantry.rollout.domain.OnNewBuild;
import dev.gantry.rollout.domain.RolloutSpec;
import dev.gantry.rollout.domain.Step;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An app as registered through {@code POST /apps} or {@code PUT /apps/{name}}; what is left out
 * takes its default.
 *
 * @param steps default 5, 25, 50 and 100 %, each gated by an analysis verdict
 * @param stepDeadlineSeconds how long an analysis step waits for a verdict; default 600
 * @param onNewBuild {@code queue} (default) or {@code replace}
 */
public record AppRequest(
    String name,
    String repo,
    String branch,
    String router,
    String healthPath,
    Integer listenPort,
    Map<String, String> routerOptions,
    String platform,
    List<StepRequest> steps,
    Long stepDeadlineSeconds,
    String onNewBuild) {

  /**
   * @param gate {@code analysis}, {@code pause} (with {@code seconds}) or {@code manual}
   */
  public record StepRequest(Integer weight, String gate, Long seconds) {}

  AppSpec toSpec(String pathName) {
    List<String> problems = new ArrayList<>();
    String appName = pathName != null ? pathName : name;
    if (pathName != null && name != null && !name.equals(pathName)) {
      problems.add("name in the body (" + name + ") differs from the path (" + pathName + ")");
    }
    int before = problems.size();
    List<Step> parsedSteps = steps == null ? RolloutSpec.defaultSteps() : steps(problems);
    boolean stepsParsed = problems.size() == before;
    OnNewBuild policy = onNewBuild(problems);
    try {
      AppSpec spec =
          new AppSpec(
              appName,
              repo,
              branch == null ? "main" : branch,
              router == null ? "local" : router,
              healthPath == null ? "/healthz" : healthPath,
              listenPort == null ? 0 : listenPort,
              routerOptions,
              platform == null ? "linux_amd64" : platform,
              // steps that did not parse are reported as such, not again as an invalid sequence
              stepsParsed ? parsedSteps : RolloutSpec.defaultSteps(),
              Duration.ofSeconds(
                  stepDeadlineSeconds == null
                      ? RolloutSpec.DEFAULT_STEP_DEADLINE.toSeconds()
                      : stepDeadlineSeconds),
              policy);
      if (problems.isEmpty()) {
        return spec;
      }
    } catch (InvalidRolloutSpecException e) {
      problems.addAll(e.problems());
    }
    throw new InvalidRolloutSpecException(problems);
  }

  private List<Step> steps(List<String> problems) {
    List<Step> parsed = new ArrayList<>();
    for (int i = 0; i < steps.size(); i++) {
      StepRequest s = steps.get(i);
      if (s == null || s.weight() == null) {
        problems.add("step " + i + " needs a weight");
        continue;
      }
      String gate = s.gate() == null ? "analysis" : s.gate().toLowerCase(Locale.ROOT);
      switch (gate) {
        case "analysis" -> parsed.add(new Step(s.weight(), Gate.analysis()));
        case "manual" -> parsed.add(new Step(s.weight(), Gate.manual()));
        case "pause" -> {
          if (s.seconds() == null) {
            problems.add("step " + i + ": a pause gate needs seconds");
          } else {
            parsed.add(new Step(s.weight(), Gate.pause(s.seconds())));
          }
        }
        default ->
            problems.add("step " + i + ": gate must be analysis, pause or manual, was " + s.gate());
      }
    }
    return parsed;
  }

  private OnNewBuild onNewBuild(List<String> problems) {
    if (onNewBuild == null) {
      return OnNewBuild.QUEUE;
    }
    try {
      return OnNewBuild.valueOf(onNewBuild.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      problems.add("onNewBuild must be queue or replace, was " + onNewBuild);
      return OnNewBuild.QUEUE;
    }
  }
}
