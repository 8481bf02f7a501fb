import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Open-loop load generator for build-api's GitHub webhook. Sends signed push deliveries of about
 * 25 KB at a fixed rate, each with its own commit and delivery id; a request's latency counts from
 * the moment it was due, not from when it was sent, so a stalled server cannot hide queueing
 * (no coordinated omission). Afterwards it reads build.requests and checks that every 202 produced
 * exactly one BuildRequested and nothing else did.
 *
 * <p>Usage: java -cp <kafka-clients classpath> WebhookIngest.java --url URL --secret S --repo NAME
 * --kafka HOST:PORT --phase name:rate:seconds [--phase …] [--body-kb 25]
 */
public class WebhookIngest {
  record Phase(String name, int rate, int seconds) {}

  record Result(int status, long micros, String buildId) {}

  public static void main(String[] argv) throws Exception {
    Map<String, List<String>> args = parse(argv);
    String url = one(args, "url");
    String secret = one(args, "secret");
    String repo = one(args, "repo");
    String kafka = one(args, "kafka");
    int bodyKb = Integer.parseInt(args.getOrDefault("body-kb", List.of("25")).get(0));
    List<Phase> phases = new ArrayList<>();
    for (String p : args.get("phase")) {
      String[] parts = p.split(":");
      phases.add(new Phase(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
    }

    String template = template(repo, bodyKb);
    System.out.printf("payload: %d bytes%n", template.getBytes(StandardCharsets.UTF_8).length);
    HttpClient http =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .executor(Executors.newFixedThreadPool(4))
            .build();

    Map<String, Integer> accepted = new ConcurrentHashMap<>();
    long totalSent = 0;
    for (Phase phase : phases) {
      List<Result> results = run(http, url, secret, template, phase, accepted);
      totalSent += results.size();
      report(phase, results);
    }

    System.out.println("waiting for the outbox to drain, then counting BuildRequested …");
    Counts counts = countEvents(kafka, "github.com/acme/" + repo, accepted.keySet());
    System.out.printf(
        "deliveries sent: %d, answered 202: %d, BuildRequested on topic: %d, distinct builds: %d,"
            + " lost: %d, duplicated: %d, unexpected: %d%n",
        totalSent,
        accepted.size(),
        counts.total,
        counts.distinct,
        counts.lost,
        counts.duplicated,
        counts.unexpected);
    boolean ok = counts.lost == 0 && counts.duplicated == 0 && counts.unexpected == 0;
    System.out.println(ok ? "RESULT: no lost or duplicated BuildRequested" : "RESULT: MISMATCH");
    System.exit(ok ? 0 : 1);
  }

  static List<Result> run(
      HttpClient http,
      String url,
      String secret,
      String template,
      Phase phase,
      Map<String, Integer> accepted)
      throws Exception {
    int total = phase.rate() * phase.seconds();
    List<CompletableFuture<Result>> inFlight = new ArrayList<>(total);
    SecureRandom random = new SecureRandom();
    Mac mac = Mac.getInstance("HmacSHA256");
    mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
    long intervalNanos = 1_000_000_000L / phase.rate();
    long start = System.nanoTime() + 50_000_000L;
    for (int i = 0; i < total; i++) {
      long due = start + i * intervalNanos;
      byte[] shaBytes = new byte[20];
      random.nextBytes(shaBytes);
      String sha = HexFormat.of().formatHex(shaBytes);
      byte[] body = template.replace("__SHA__", sha).getBytes(StandardCharsets.UTF_8);
      String signature = "sha256=" + HexFormat.of().formatHex(mac.doFinal(body));
      HttpRequest request =
          HttpRequest.newBuilder(URI.create(url))
              .timeout(Duration.ofSeconds(30))
              .header("Content-Type", "application/json")
              .header("X-GitHub-Event", "push")
              .header("X-GitHub-Delivery", UUID.randomUUID().toString())
              .header("X-Hub-Signature-256", signature)
              .POST(HttpRequest.BodyPublishers.ofByteArray(body))
              .build();
      long wait = due - System.nanoTime();
      if (wait > 0) {
        LockSupport.parkNanos(wait);
      }
      inFlight.add(
          http.sendAsync(request, HttpResponse.BodyHandlers.ofString())
              .handle(
                  (response, error) -> {
                    long micros = (System.nanoTime() - due) / 1_000;
                    if (error != null) {
                      return new Result(-1, micros, null);
                    }
                    String id = buildId(response.body());
                    if (response.statusCode() == 202 && id != null) {
                      accepted.merge(id, 1, Integer::sum);
                    }
                    return new Result(response.statusCode(), micros, id);
                  }));
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
    List<Result> results = new ArrayList<>(total);
    for (CompletableFuture<Result> f : inFlight) {
      results.add(f.get());
    }
    return results;
  }

  static void report(Phase phase, List<Result> results) {
    long[] micros = results.stream().mapToLong(Result::micros).sorted().toArray();
    Map<Integer, Integer> codes = new HashMap<>();
    results.forEach(r -> codes.merge(r.status(), 1, Integer::sum));
    long fivexx = results.stream().filter(r -> r.status() >= 500 || r.status() < 0).count();
    System.out.printf(
        "phase %-10s rate %5d/s for %3d s: %6d requests  p50 %7.2f ms  p99 %7.2f ms  p99.9 %7.2f ms"
            + "  max %7.2f ms  status %s  5xx/errors %d%n",
        phase.name(),
        phase.rate(),
        phase.seconds(),
        results.size(),
        pct(micros, 50),
        pct(micros, 99),
        pct(micros, 99.9),
        micros[micros.length - 1] / 1000.0,
        codes,
        fivexx);
  }

  static double pct(long[] sorted, double p) {
    int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, idx))] / 1000.0;
  }

  static String buildId(String body) {
    int i = body.indexOf("\"build\":{\"id\":\"");
    if (i < 0) {
      return null;
    }
    int from = i + "\"build\":{\"id\":\"".length();
    return body.substring(from, body.indexOf('"', from));
  }

  record Counts(long total, long distinct, long lost, long duplicated, long unexpected) {}

  /** Reads build.requests until it has stopped growing for our repository. */
  static Counts countEvents(String bootstrap, String repoKey, Set<String> accepted)
      throws Exception {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("enable.auto.commit", "false");
    Map<String, Integer> seen = new HashMap<>();
    long quietSince = System.nanoTime();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor("build.requests").stream()
              .map(i -> new TopicPartition(i.topic(), i.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      while (System.nanoTime() < deadline) {
        var records = consumer.poll(Duration.ofMillis(500));
        boolean ours = false;
        for (ConsumerRecord<String, byte[]> r : records) {
          if (r.key() == null || !r.key().startsWith(repoKey + "@")) {
            continue;
          }
          String type = header(r, "ce_type");
          if ("gantry.build.requested.v1".equals(type)) {
            seen.merge(header(r, "ce_subject"), 1, Integer::sum);
            ours = true;
          }
        }
        if (ours) {
          quietSince = System.nanoTime();
        }
        boolean complete = seen.keySet().containsAll(accepted);
        if (complete && System.nanoTime() - quietSince > TimeUnit.SECONDS.toNanos(3)) {
          break;
        }
      }
    }
    long total = seen.values().stream().mapToLong(Integer::longValue).sum();
    Set<String> lost = new HashSet<>(accepted);
    lost.removeAll(seen.keySet());
    long duplicated = seen.values().stream().filter(n -> n > 1).count();
    Set<String> unexpected = new HashSet<>(seen.keySet());
    unexpected.removeAll(accepted);
    return new Counts(total, seen.size(), lost.size(), duplicated, unexpected.size());
  }

  static String header(ConsumerRecord<String, byte[]> r, String name) {
    var h = r.headers().lastHeader(name);
    return h == null ? null : new String(h.value(), StandardCharsets.UTF_8);
  }

  /** A GitHub push payload padded with realistic commits to about {@code kb} kilobytes. */
  static String template(String repo, int kb) {
    StringBuilder commits = new StringBuilder();
    String commit =
        "{\"id\":\"%s\",\"tree_id\":\"f9d2a07e9488b91af2641b26b9407fe22a451433\",\"distinct\":true,"
            + "\"message\":\"%s\",\"timestamp\":\"2026-11-21T10:15:30+01:00\","
            + "\"url\":\"https://github.com/acme/%s/commit/%s\","
            + "\"author\":{\"name\":\"Mona Lisa\",\"email\":\"mona@acme.example\",\"username\":\"monalisa\"},"
            + "\"committer\":{\"name\":\"Mona Lisa\",\"email\":\"mona@acme.example\",\"username\":\"monalisa\"},"
            + "\"added\":[\"internal/cart/cart.go\"],\"removed\":[],"
            + "\"modified\":[\"main.go\",\"internal/checkout/handler.go\",\"internal/checkout/handler_test.go\",\"go.mod\",\"go.sum\"]}";
    int i = 0;
    while (commits.length() < kb * 1024 - 3000) {
      String id = String.format("%040x", i + 1);
      commits.append(String.format(commit, id, "Refactor checkout step " + i + " for clarity", repo, id)).append(',');
      i++;
    }
    String head = String.format(commit, "__SHA__", "Add the checkout endpoint", repo, "__SHA__");
    commits.append(head);
    return "{\"ref\":\"refs/heads/main\",\"before\":\"6113728f27ae82c7b1a177c8d03f9e96e0adf246\","
        + "\"after\":\"__SHA__\",\"repository\":{\"id\":186853002,\"name\":\"" + repo + "\","
        + "\"full_name\":\"acme/" + repo + "\",\"private\":false,"
        + "\"html_url\":\"https://github.com/acme/" + repo + "\","
        + "\"clone_url\":\"https://github.com/acme/" + repo + ".git\","
        + "\"ssh_url\":\"git@github.com:acme/" + repo + ".git\",\"default_branch\":\"main\"},"
        + "\"pusher\":{\"name\":\"monalisa\",\"email\":\"mona@acme.example\"},"
        + "\"sender\":{\"login\":\"monalisa\",\"id\":21031067},"
        + "\"created\":false,\"deleted\":false,\"forced\":false,\"base_ref\":null,"
        + "\"compare\":\"https://github.com/acme/" + repo + "/compare/6113728f27ae...__SHA__\","
        + "\"commits\":[" + commits + "],\"head_commit\":" + head + "}";
  }

  static Map<String, List<String>> parse(String[] argv) {
    Map<String, List<String>> m = new HashMap<>();
    for (int i = 0; i + 1 < argv.length; i += 2) {
      if (!argv[i].startsWith("--")) {
        throw new IllegalArgumentException("unexpected " + argv[i]);
      }
      m.computeIfAbsent(argv[i].substring(2), k -> new ArrayList<>()).add(argv[i + 1]);
    }
    return m;
  }

  static String one(Map<String, List<String>> args, String name) {
    List<String> v = args.get(name);
    if (v == null || v.isEmpty()) {
      throw new IllegalArgumentException("--" + name + " is required");
    }
    return v.get(0);
  }
}
