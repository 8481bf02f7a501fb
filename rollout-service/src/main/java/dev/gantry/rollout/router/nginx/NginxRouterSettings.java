package dev.gantry.rollout.router.nginx;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Where the nginx router writes and how it makes nginx load what it wrote. Commands are argument
 * vectors, run without a shell.
 *
 * @param confDir the folder nginx includes ({@code include <confDir>/*.conf;} in its {@code http}
 *     block); the router writes {@code gantry-<app>.conf} there
 * @param testCommand checks the whole configuration, e.g. {@code nginx -p <prefix> -c nginx.conf -t
 *     -q}
 * @param reloadCommand makes the running nginx load it, e.g. {@code nginx -p <prefix> -c nginx.conf
 *     -s reload}
 * @param commandTimeout how long either command may take
 */
public record NginxRouterSettings(
    Path confDir, List<String> testCommand, List<String> reloadCommand, Duration commandTimeout) {

  public NginxRouterSettings {
    Objects.requireNonNull(confDir, "confDir");
    Objects.requireNonNull(commandTimeout, "commandTimeout");
    testCommand = List.copyOf(testCommand);
    reloadCommand = List.copyOf(reloadCommand);
    if (testCommand.isEmpty() || reloadCommand.isEmpty()) {
      throw new IllegalArgumentException("testCommand and reloadCommand must name a program");
    }
    if (commandTimeout.isNegative() || commandTimeout.isZero()) {
      throw new IllegalArgumentException("commandTimeout must be positive");
    }
  }
}
