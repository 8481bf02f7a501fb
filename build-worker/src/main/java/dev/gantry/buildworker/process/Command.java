package dev.gantry.buildworker.process;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * One program to run: an argument list (never a shell line), a working directory, and the complete
 * environment: nothing of the worker's own environment is inherited.
 */
public record Command(List<String> argv, Path dir, Map<String, String> env) {
  public Command {
    argv = List.copyOf(argv);
    env = Map.copyOf(env);
    if (argv.isEmpty()) {
      throw new IllegalArgumentException("empty command");
    }
  }

  /** The command as a log line: arguments separated by spaces, for people, never for a shell. */
  public String display() {
    return String.join(" ", argv);
  }
}
