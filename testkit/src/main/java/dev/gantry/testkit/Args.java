package dev.gantry.testkit;

import java.nio.file.Path;

/** {@code --port N --dir PATH}, the command line shared by the standalone servers. */
record Args(int port, Path dir) {

  static Args parse(String[] args, int defaultPort) {
    int port = defaultPort;
    Path dir = null;
    for (int i = 0; i < args.length; i++) {
      String name = args[i];
      if (i + 1 >= args.length) {
        throw new IllegalArgumentException("missing value for " + name);
      }
      String value = args[++i];
      switch (name) {
        case "--port" -> port = Integer.parseInt(value);
        case "--dir" -> dir = Path.of(value).toAbsolutePath();
        default -> throw new IllegalArgumentException("unknown option " + name);
      }
    }
    if (dir == null) {
      throw new IllegalArgumentException("--dir is required");
    }
    return new Args(port, dir);
  }
}
