package dev.gantry.buildworker;

import dev.gantry.events.CloudEvent;
import dev.gantry.events.Topics;
import dev.gantry.events.build.BuildCancelRequested;
import dev.gantry.events.build.BuildRequested;
import dev.gantry.events.build.RefType;
import dev.gantry.testkit.GitFixture;
import dev.gantry.testkit.GoFixture;
import dev.gantry.testkit.KafkaEvents;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Go sources for the tests: a service that prints the version and commit injected into it, and a
 * dependency it takes from a module proxy in a folder. Each test makes its own repository.
 */
final class Samples {
  static final Path ROOT = Path.of("target", "samples").toAbsolutePath();
  static final String DEP = "example.com/greet";
  static final String DEP_VERSION = "v1.0.0";

  private static GoFixture.ModuleProxy proxy;
  private static String goSum;

  private Samples() {}

  static final String MAIN_GO =
      """
      package main

      import (
      	"fmt"
      	"os"

      	"example.com/greet"
      )

      var (
      	version = "dev"
      	commit  = "none"
      )

      func main() {
      	if len(os.Args) > 1 && os.Args[1] == "version" {
      		fmt.Printf("%s %s\\n", version, commit)
      		return
      	}
      	fmt.Println(greet.Hello("gantry"))
      }
      """;

  static String goMod(String module) {
    return "module " + module + "\n\ngo 1.21\n\nrequire " + DEP + " " + DEP_VERSION + "\n";
  }

  /** The folder module proxy holding the dependency, made once per test JVM. */
  static synchronized GoFixture.ModuleProxy proxy() {
    if (proxy == null) {
      proxy = GoFixture.ModuleProxy.create(ROOT.resolve("proxy"));
      proxy.add(
          DEP,
          DEP_VERSION,
          Map.of(
              "greet.go",
              "package greet\n\nfunc Hello(name string) string { return \"hello, \" + name }\n"));
      goSum =
          proxy.goSum(ROOT.resolve("tidy"), goMod("example.com/hello"), Map.of("main.go", MAIN_GO));
    }
    return proxy;
  }

  /** The files of a buildable service, plus {@code extra} (which may replace any of them). */
  static Map<String, String> service(Map<String, String> extra) {
    proxy();
    Map<String, String> files = new LinkedHashMap<>();
    files.put("go.mod", goMod("example.com/hello"));
    files.put("go.sum", goSum);
    files.put("main.go", MAIN_GO);
    files.putAll(extra);
    return files;
  }

  /**
   * A module {@code example.com/shop} in the standard layout: nothing at the root, a library under
   * {@code internal/}, and a main package {@code ./cmd/<name>/} for each name, whose binary greets
   * with its own name.
   */
  static Map<String, String> cmdLayout(String... names) {
    Map<String, String> files = new LinkedHashMap<>(service(Map.of()));
    files.remove("main.go");
    files.put("go.mod", goMod("example.com/shop"));
    files.put("internal/store/store.go", "package store\n\nconst Name = \"store\"\n");
    for (String name : names) {
      files.put(
          "cmd/" + name + "/main.go",
          MAIN_GO.replace("greet.Hello(\"gantry\")", "greet.Hello(" + quote(name) + ")"));
    }
    return files;
  }

  /**
   * A test that writes its process id to {@code pidFile} and then sleeps: a build with {@code test:
   * true} runs it, so the test can watch a build's process while it runs.
   */
  static Map<String, String> slowTest(Path pidFile, int seconds) {
    return slowTest(pidFile, seconds, null);
  }

  /**
   * Like {@link #slowTest(Path, int)}, but the test sleeps only when {@code gate} exists as it
   * starts: a later run of the same commit, after the gate is removed, passes at once.
   */
  static Map<String, String> slowTest(Path pidFile, int seconds, Path gate) {
    return Map.of(
        "main_test.go",
        """
        package main

        import (
        	"os"
        	"strconv"
        	"testing"
        	"time"
        )

        func TestSlow(t *testing.T) {
        	if gate := %s; gate != "" {
        		if _, err := os.Stat(gate); err != nil {
        			return
        		}
        	}
        	if err := os.WriteFile(%s, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
        		t.Fatal(err)
        	}
        	time.Sleep(%d * time.Second)
        }
        """
            .formatted(
                quote(gate == null ? "" : gate.toString()), quote(pidFile.toString()), seconds),
        ".gantry.yml",
        "test: true\n");
  }

  /** A Go string literal. */
  static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  static GitFixture repo(String name) {
    return GitFixture.createBare(ROOT.resolve("repos").resolve(name + "-" + UUID.randomUUID()));
  }

  static BuildRequested request(GitFixture repo, String app, String commit) {
    return request(repo, app, "refs/heads/main", RefType.BRANCH, "main", commit, null);
  }

  static BuildRequested request(
      GitFixture repo,
      String app,
      String ref,
      RefType type,
      String refName,
      String commit,
      String version) {
    return new BuildRequested(
        UUID.randomUUID().toString(),
        UUID.randomUUID().toString(),
        "local/test/" + app,
        repo.url(),
        "github",
        ref,
        type,
        refName,
        commit,
        version,
        app,
        "test build",
        "Gantry Test",
        "manual",
        Instant.now());
  }

  static void publish(String bootstrap, String topic, BuildRequested req) {
    KafkaEvents.publish(
        bootstrap,
        topic,
        Topics.buildRequestKey(req.repo(), req.refName()),
        CloudEvent.of("test", req));
  }

  static void cancel(String bootstrap, String topic, BuildRequested req, String reason) {
    KafkaEvents.publish(
        bootstrap,
        topic,
        Topics.buildRequestKey(req.repo(), req.refName()),
        CloudEvent.of(
            "test",
            new BuildCancelRequested(
                req.buildId(), req.repo(), req.refName(), reason, null, Instant.now())));
  }
}
