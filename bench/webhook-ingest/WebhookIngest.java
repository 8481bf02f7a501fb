import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
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
 * <p>The generator shares the machine with the server, so sending is kept cheap (well under a
 * millisecond of CPU per request; each phase prints what it used): the body is built once as bytes
 * and each delivery only overwrites its commit sha in place, HMACs it with a reused {@link Mac},
 * and writes head and body with one write on one of a fixed pool of keep-alive HTTP/1.1 connections
 * (plain blocking sockets, one thread each). A scheduler thread releases requests at their due
 * times; a request waits for a free connection after that, and that wait counts as latency.
 *
 * <p>Usage: java -cp <kafka-clients classpath> WebhookIngest.java --url URL --secret S --repo NAME
 * --kafka HOST:PORT --phase name:rate:seconds [--phase …] [--body-kb 25] [--connections 64]
 */
public class WebhookIngest {
  record Phase(String name, int rate, int seconds) {}

  record Result(int status, long micros, String buildId) {}

  /** Stands for the commit sha in the template; as long as a sha, so no offset ever shifts. */
  static final String SHA_PLACEHOLDER = "X".repeat(40);

  static final int SOCKET_TIMEOUT_MS = 30_000;
  static final int CONNECT_TIMEOUT_MS = 5_000;

  public static void main(String[] argv) throws Exception {
    Map<String, List<String>> args = parse(argv);
    String url = one(args, "url");
    // from the environment, not the command line, where ps would show it to every user
    String secret = System.getenv("GANTRY_WEBHOOK_SECRET");
    if (secret == null || secret.isBlank()) {
      throw new IllegalArgumentException("GANTRY_WEBHOOK_SECRET is not set (run.sh reads it from var/local.env)");
    }
    String repo = one(args, "repo");
    String kafka = one(args, "kafka");
    int bodyKb = Integer.parseInt(args.getOrDefault("body-kb", List.of("25")).get(0));
    int connections = Integer.parseInt(args.getOrDefault("connections", List.of("64")).get(0));
    List<Phase> phases = new ArrayList<>();
    for (String p : args.get("phase")) {
      String[] parts = p.split(":");
      phases.add(new Phase(parts[0], Integer.parseInt(parts[1]), Integer.parseInt(parts[2])));
    }

    String template = template(repo, bodyKb);
    System.out.printf("payload: %d bytes%n", template.getBytes(StandardCharsets.UTF_8).length);
    RequestTemplate requests = RequestTemplate.of(URI.create(url), template);
    requests.selfCheck(template, secret);
    Map<String, Integer> accepted = new ConcurrentHashMap<>();
    Dispatcher dispatcher = new Dispatcher();
    Sender[] senders = new Sender[connections];
    for (int i = 0; i < connections; i++) {
      senders[i] =
          new Sender(
              "conn-" + i,
              new Connection(requests.host, requests.port),
              requests.writer(secret),
              dispatcher,
              accepted);
      senders[i].start();
    }

    long totalSent = 0;
    for (Phase phase : phases) {
      List<Result> results = run(senders, dispatcher, phase);
      totalSent += results.size();
      report(phase, results);
    }
    for (Sender sender : senders) {
      sender.connection.close();
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

  /**
   * One phase: the calling thread is the open-loop scheduler and makes request {@code i} due at
   * {@code start + i * interval}; the dispatcher hands each due request to a connection thread,
   * which sends it and records its result at index {@code i}.
   */
  static List<Result> run(Sender[] senders, Dispatcher dispatcher, Phase phase) throws Exception {
    int total = phase.rate() * phase.seconds();
    long intervalNanos = 1_000_000_000L / phase.rate();
    long start = System.nanoTime() + 50_000_000L;
    PhaseRun run = new PhaseRun(total, start, intervalNanos);

    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    var os =
        (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    long processCpu = -os.getProcessCpuTime();
    long threadCpu = -threads.getCurrentThreadCpuTime();
    for (Sender sender : senders) {
      threadCpu -= threads.getThreadCpuTime(sender.getId());
    }

    dispatcher.begin(run);
    int released = 0;
    while (released < total) {
      long now = System.nanoTime();
      int due = now < start ? 0 : (int) Math.min(total, (now - start) / intervalNanos + 1);
      if (due > released) {
        dispatcher.releaseUpTo(due);
        released = due;
      } else {
        LockSupport.parkNanos(run.due(released) - now);
      }
    }
    if (!run.done.await(120, TimeUnit.SECONDS)) {
      // A stuck write has no timeout of its own: closing the sockets fails what is in flight, and
      // what has not been sent yet counts as an error without being sent.
      run.abort = true;
      for (Sender sender : senders) {
        sender.connection.close();
      }
      run.done.await();
    }

    processCpu += os.getProcessCpuTime();
    threadCpu += threads.getCurrentThreadCpuTime();
    for (Sender sender : senders) {
      threadCpu += threads.getThreadCpuTime(sender.getId());
    }
    System.out.printf(
        "generator CPU in phase %s: %.3f ms/request in the scheduler and connection threads,"
            + " %.3f ms/request for the whole process (with JIT compilation and GC)%n",
        phase.name(),
        threadCpu / 1e6 / total,
        processCpu / 1e6 / total);
    return Arrays.asList(run.results);
  }

  /** The requests of one phase and their results. */
  static final class PhaseRun {
    final int total;
    final long start;
    final long intervalNanos;
    final Result[] results;
    final CountDownLatch done;
    volatile boolean abort;

    PhaseRun(int total, long start, long intervalNanos) {
      this.total = total;
      this.start = start;
      this.intervalNanos = intervalNanos;
      this.results = new Result[total];
      this.done = new CountDownLatch(total);
    }

    long due(int i) {
      return start + i * intervalNanos;
    }
  }

  /**
   * The queue between the scheduler and the connection threads: requests are taken in order of
   * their due times, and a due request goes to the connection that became idle most recently, so
   * at low rates a few warm connections do the work instead of all of them in turn.
   */
  static final class Dispatcher {
    private final ArrayDeque<Sender> idle = new ArrayDeque<>();
    private PhaseRun run;
    private int released;
    private int taken;

    synchronized void begin(PhaseRun run) {
      this.run = run;
      this.released = 0;
      this.taken = 0;
    }

    /** Makes requests {@code 0 … n-1} due and hands them to idle connection threads. */
    synchronized void releaseUpTo(int n) {
      released = n;
      while (taken < released && !idle.isEmpty()) {
        idle.pop().assign(run, taken++);
      }
    }

    /** Gives the sender the next due request, or records it as idle and returns false. */
    synchronized boolean next(Sender sender) {
      if (run != null && taken < released) {
        sender.phase = run;
        sender.index = taken++;
        return true;
      }
      idle.push(sender);
      return false;
    }
  }

  /**
   * One keep-alive connection and its thread. It prepares its next delivery (sha, delivery id,
   * HMAC) before it waits for one to become due, so while the generator keeps up that work is not
   * counted as the server's latency.
   */
  static final class Sender extends Thread {
    final Connection connection;
    final RequestWriter writer;
    final Dispatcher dispatcher;
    final Map<String, Integer> accepted;
    volatile PhaseRun phase;
    volatile int index = -1;

    Sender(
        String name,
        Connection connection,
        RequestWriter writer,
        Dispatcher dispatcher,
        Map<String, Integer> accepted) {
      super(name);
      this.connection = connection;
      this.writer = writer;
      this.dispatcher = dispatcher;
      this.accepted = accepted;
      setDaemon(true);
    }

    void assign(PhaseRun phase, int index) {
      this.phase = phase;
      this.index = index;
      LockSupport.unpark(this);
    }

    @Override
    public void run() {
      try {
        writer.next();
        while (true) {
          if (!dispatcher.next(this)) {
            while (index < 0) {
              LockSupport.park(this);
            }
          }
          send(phase, index);
          writer.next();
        }
      } catch (Throwable t) { // a bug here would otherwise hang the phase
        t.printStackTrace();
        System.exit(2);
      }
    }

    private void send(PhaseRun run, int i) {
      index = -1;
      int status = -1;
      String id = null;
      try {
        if (!run.abort) {
          status = connection.exchange(writer.buf, writer.length);
          id = buildId(connection.body, connection.bodyLength);
        }
      } catch (IOException | RuntimeException e) {
        connection.close();
        status = -1;
        id = null;
      }
      long micros = (System.nanoTime() - run.due(i)) / 1_000;
      if (status == 202 && id != null) {
        accepted.merge(id, 1, Integer::sum);
      }
      run.results[i] = new Result(status, micros, id);
      run.done.countDown();
    }
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

  static final byte[] BUILD_ID_MARK = "\"build\":{\"id\":\"".getBytes(StandardCharsets.US_ASCII);

  /** The build id in a webhook answer's JSON, or null. */
  static String buildId(byte[] body, int length) {
    int i = indexOf(body, 0, length, BUILD_ID_MARK);
    if (i < 0) {
      return null;
    }
    int from = i + BUILD_ID_MARK.length;
    int to = from;
    while (to < length && body[to] != '"') {
      to++;
    }
    return to < length ? new String(body, from, to - from, StandardCharsets.UTF_8) : null;
  }

  static int indexOf(byte[] haystack, int from, int to, byte[] needle) {
    outer:
    for (int i = from; i <= to - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  static void hex(byte[] from, int fromOffset, int length, byte[] to, int toOffset) {
    for (int i = 0; i < length; i++) {
      int b = from[fromOffset + i] & 0xff;
      to[toOffset + 2 * i] = HEX[b >>> 4];
      to[toOffset + 2 * i + 1] = HEX[b & 0xf];
    }
  }

  /**
   * A whole request, head and body, as bytes: the body is the push template with the sha
   * placeholder at {@code shaOffsets}; the head has fixed-width slots for the delivery id and the
   * signature, and a fixed Content-Length because every body has the same length.
   */
  static final class RequestTemplate {
    final String host;
    final int port;
    final byte[] bytes;
    final int bodyOffset;
    final int bodyLength;
    final int[] shaOffsets;
    final int deliveryOffset;
    final int signatureOffset;

    private RequestTemplate(
        String host,
        int port,
        byte[] bytes,
        int bodyOffset,
        int[] shaOffsets,
        int deliveryOffset,
        int signatureOffset) {
      this.host = host;
      this.port = port;
      this.bytes = bytes;
      this.bodyOffset = bodyOffset;
      this.bodyLength = bytes.length - bodyOffset;
      this.shaOffsets = shaOffsets;
      this.deliveryOffset = deliveryOffset;
      this.signatureOffset = signatureOffset;
    }

    static RequestTemplate of(URI url, String template) {
      if (!"http".equals(url.getScheme())) {
        throw new IllegalArgumentException("only http:// URLs are supported: " + url);
      }
      int port = url.getPort() < 0 ? 80 : url.getPort();
      String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
      if (url.getRawQuery() != null) {
        path += "?" + url.getRawQuery();
      }
      byte[] body = template.getBytes(StandardCharsets.UTF_8);
      StringBuilder head = new StringBuilder();
      head.append("POST ").append(path).append(" HTTP/1.1\r\n")
          .append("Host: ").append(url.getHost()).append(url.getPort() < 0 ? "" : ":" + port)
          .append("\r\n")
          .append("Content-Type: application/json\r\n")
          .append("Content-Length: ").append(body.length).append("\r\n")
          .append("X-GitHub-Event: push\r\n")
          .append("X-GitHub-Delivery: ");
      int deliveryOffset = head.length();
      head.append("0".repeat(36)).append("\r\n").append("X-Hub-Signature-256: sha256=");
      int signatureOffset = head.length();
      head.append("0".repeat(64)).append("\r\n").append("Connection: keep-alive\r\n\r\n");
      byte[] headBytes = head.toString().getBytes(StandardCharsets.US_ASCII);
      if (headBytes.length != head.length()) {
        throw new IllegalArgumentException("the URL must be ASCII: " + url);
      }
      byte[] bytes = Arrays.copyOf(headBytes, headBytes.length + body.length);
      System.arraycopy(body, 0, bytes, headBytes.length, body.length);

      byte[] placeholder = SHA_PLACEHOLDER.getBytes(StandardCharsets.US_ASCII);
      List<Integer> offsets = new ArrayList<>();
      for (int i = indexOf(body, 0, body.length, placeholder);
          i >= 0;
          i = indexOf(body, i + placeholder.length, body.length, placeholder)) {
        offsets.add(headBytes.length + i);
      }
      if (offsets.isEmpty()) {
        throw new IllegalStateException("the template has no sha placeholder");
      }
      return new RequestTemplate(
          url.getHost(),
          port,
          bytes,
          headBytes.length,
          offsets.stream().mapToInt(Integer::intValue).toArray(),
          deliveryOffset,
          signatureOffset);
    }

    RequestWriter writer(String secret) {
      return new RequestWriter(this, secret);
    }

    /**
     * Proves once that the in-place body is byte for byte what {@code String.replace} of the
     * placeholder gives, and that the signature is the HMAC of exactly that body.
     */
    void selfCheck(String template, String secret) throws Exception {
      RequestWriter w = writer(secret);
      w.next();
      String head = new String(w.buf, 0, bodyOffset, StandardCharsets.US_ASCII);
      String sha = new String(w.buf, shaOffsets[0], 40, StandardCharsets.US_ASCII);
      byte[] expected = template.replace(SHA_PLACEHOLDER, sha).getBytes(StandardCharsets.UTF_8);
      byte[] actual = Arrays.copyOfRange(w.buf, bodyOffset, w.length);
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] sig = mac.doFinal(expected);
      byte[] sigHex = new byte[64];
      hex(sig, 0, 32, sigHex, 0);
      String signature = new String(sigHex, StandardCharsets.US_ASCII);
      String uuid = "[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}";
      if (!Arrays.equals(expected, actual)
          || !sha.matches("[0-9a-f]{40}")
          || !head.contains("X-Hub-Signature-256: sha256=" + signature + "\r\n")
          || !head.matches("(?s).*X-GitHub-Delivery: " + uuid + "\r\n.*")
          || !head.contains("Content-Length: " + expected.length + "\r\n")) {
        throw new IllegalStateException("in-place request differs from the template:\n" + head);
      }
    }
  }

  /**
   * One connection thread's request buffer, rewritten in place for every delivery: a fresh random
   * sha at each placeholder offset, a fresh random delivery id, and the HMAC of the new body. The
   * buffer is reused rather than copied because a thread sends one request at a time.
   */
  static final class RequestWriter {
    final RequestTemplate t;
    final byte[] buf;
    final int length;
    final Mac mac;
    final SecureRandom random;
    final byte[] randomBytes = new byte[20 + 16];
    final byte[] digest = new byte[32];

    RequestWriter(RequestTemplate t, String secret) {
      this.t = t;
      this.buf = Arrays.copyOf(t.bytes, t.bytes.length);
      this.length = buf.length;
      try {
        mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        // A private generator per thread: no shared lock, no read of /dev/urandom per request.
        random = SecureRandom.getInstance("SHA1PRNG");
        random.setSeed(SecureRandom.getSeed(32));
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }

    void next() {
      random.nextBytes(randomBytes);
      for (int offset : t.shaOffsets) {
        hex(randomBytes, 0, 20, buf, offset);
      }
      // A version 4 UUID, formatted like UUID.toString().
      randomBytes[20 + 6] = (byte) ((randomBytes[20 + 6] & 0x0f) | 0x40);
      randomBytes[20 + 8] = (byte) ((randomBytes[20 + 8] & 0x3f) | 0x80);
      int d = t.deliveryOffset;
      hex(randomBytes, 20, 4, buf, d);
      buf[d + 8] = '-';
      hex(randomBytes, 24, 2, buf, d + 9);
      buf[d + 13] = '-';
      hex(randomBytes, 26, 2, buf, d + 14);
      buf[d + 18] = '-';
      hex(randomBytes, 28, 2, buf, d + 19);
      buf[d + 23] = '-';
      hex(randomBytes, 30, 6, buf, d + 24);
      mac.update(buf, t.bodyOffset, t.bodyLength);
      try {
        mac.doFinal(digest, 0);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
      hex(digest, 0, 32, buf, t.signatureOffset);
    }
  }

  /**
   * A persistent HTTP/1.1 connection with blocking I/O, opened on first use and reopened after a
   * failure or a {@code Connection: close}. Only what build-api's answers need: status line,
   * headers, a Content-Length or chunked body (or one delimited by the end of the connection).
   */
  static final class Connection {
    final String host;
    final int port;
    volatile Socket socket;
    InputStream in;
    OutputStream out;
    byte[] buf = new byte[16 * 1024];
    int pos;
    int limit;
    byte[] body = new byte[4 * 1024];
    int bodyLength;

    Connection(String host, int port) {
      this.host = host;
      this.port = port;
    }

    /** Sends one request and reads the whole answer; the body is left in {@link #body}. */
    int exchange(byte[] request, int length) throws IOException {
      if (socket == null) {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(SOCKET_TIMEOUT_MS);
        s.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MS);
        socket = s;
        in = s.getInputStream();
        out = s.getOutputStream();
        pos = 0;
        limit = 0;
      }
      out.write(request, 0, length);
      out.flush();
      while (true) {
        int status = readResponse();
        if (status >= 100 && status < 200 && status != 101) {
          continue; // an interim answer (100 Continue); the real one follows
        }
        return status;
      }
    }

    private int readResponse() throws IOException {
      bodyLength = 0;
      int headEnd;
      while ((headEnd = indexOf(buf, pos, limit, CRLFCRLF)) < 0) {
        fill();
      }
      int lineEnd = indexOf(buf, pos, headEnd + 2, CRLF);
      // "HTTP/1.1 202 Accepted"
      if (lineEnd - pos < 12 || buf[pos] != 'H' || buf[pos + 8] != ' ') {
        throw new IOException("not an HTTP status line");
      }
      int status = (buf[pos + 9] - '0') * 100 + (buf[pos + 10] - '0') * 10 + (buf[pos + 11] - '0');
      long contentLength = -1;
      boolean chunked = false;
      boolean close = false;
      for (int line = lineEnd + 2; line < headEnd + 2; ) {
        int end = indexOf(buf, line, headEnd + 2, CRLF);
        if (startsWithIgnoreCase(line, end, "content-length:")) {
          contentLength = parseLong(line + "content-length:".length(), end, 10);
        } else if (startsWithIgnoreCase(line, end, "transfer-encoding:")) {
          chunked = containsIgnoreCase(line, end, "chunked");
        } else if (startsWithIgnoreCase(line, end, "connection:")) {
          close = containsIgnoreCase(line, end, "close");
        }
        line = end + 2;
      }
      pos = headEnd + 4;

      if ((status >= 100 && status < 200) || status == 204 || status == 304) {
        // no body
      } else if (chunked) {
        while (true) {
          int end;
          while ((end = indexOf(buf, pos, limit, CRLF)) < 0) {
            fill();
          }
          int semicolon = pos;
          while (semicolon < end && buf[semicolon] != ';') {
            semicolon++;
          }
          long size = parseLong(pos, semicolon, 16);
          pos = end + 2;
          if (size == 0) {
            break;
          }
          readBody(size);
          expectCrlf();
        }
        while (true) { // trailers, up to the empty line
          int end;
          while ((end = indexOf(buf, pos, limit, CRLF)) < 0) {
            fill();
          }
          boolean empty = end == pos;
          pos = end + 2;
          if (empty) {
            break;
          }
        }
      } else if (contentLength >= 0) {
        readBody(contentLength);
      } else {
        while (true) { // delimited by the end of the connection
          if (pos == limit && !fillOrEof()) {
            break;
          }
          readBody(limit - pos);
        }
        close = true;
      }
      if (close) {
        close();
      }
      return status;
    }

    private void readBody(long n) throws IOException {
      if (bodyLength + n > 16 * 1024 * 1024) {
        throw new IOException("answer body too large");
      }
      if (bodyLength + n > body.length) {
        body = Arrays.copyOf(body, (int) Math.max(body.length * 2L, bodyLength + n));
      }
      while (n > 0) {
        if (pos == limit) {
          fill();
        }
        int take = (int) Math.min(n, limit - pos);
        System.arraycopy(buf, pos, body, bodyLength, take);
        pos += take;
        bodyLength += take;
        n -= take;
      }
    }

    private void expectCrlf() throws IOException {
      while (limit - pos < 2) {
        fill();
      }
      if (buf[pos] != '\r' || buf[pos + 1] != '\n') {
        throw new IOException("malformed chunk");
      }
      pos += 2;
    }

    private void fill() throws IOException {
      if (!fillOrEof()) {
        throw new EOFException("connection closed by the server");
      }
    }

    /** Reads more into the buffer, compacting or growing it first; false at the end of stream. */
    private boolean fillOrEof() throws IOException {
      if (pos > 0) {
        System.arraycopy(buf, pos, buf, 0, limit - pos);
        limit -= pos;
        pos = 0;
      }
      if (limit == buf.length) {
        if (buf.length >= 1024 * 1024) {
          throw new IOException("answer head too large");
        }
        buf = Arrays.copyOf(buf, buf.length * 2);
      }
      int n = in.read(buf, limit, buf.length - limit);
      if (n < 0) {
        return false;
      }
      limit += n;
      return true;
    }

    private boolean startsWithIgnoreCase(int from, int to, String prefix) {
      if (to - from < prefix.length()) {
        return false;
      }
      for (int i = 0; i < prefix.length(); i++) {
        if (Character.toLowerCase((char) buf[from + i]) != prefix.charAt(i)) {
          return false;
        }
      }
      return true;
    }

    private boolean containsIgnoreCase(int from, int to, String word) {
      for (int i = from; i <= to - word.length(); i++) {
        if (startsWithIgnoreCase(i, to, word)) {
          return true;
        }
      }
      return false;
    }

    private long parseLong(int from, int to, int radix) throws IOException {
      long v = 0;
      int digits = 0;
      for (int i = from; i < to; i++) {
        int d = Character.digit((char) buf[i], radix);
        if (d >= 0) {
          v = v * radix + d;
          digits++;
        } else if (buf[i] != ' ' && buf[i] != '\t') {
          throw new IOException("malformed number in answer");
        }
      }
      if (digits == 0) {
        throw new IOException("missing number in answer");
      }
      return v;
    }

    void close() {
      Socket s = socket;
      socket = null;
      if (s != null) {
        try {
          s.close();
        } catch (IOException ignored) {
          // already broken
        }
      }
    }
  }

  static final byte[] CRLF = {'\r', '\n'};
  static final byte[] CRLFCRLF = {'\r', '\n', '\r', '\n'};

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
    String head =
        String.format(commit, SHA_PLACEHOLDER, "Add the checkout endpoint", repo, SHA_PLACEHOLDER);
    commits.append(head);
    return "{\"ref\":\"refs/heads/main\",\"before\":\"6113728f27ae82c7b1a177c8d03f9e96e0adf246\","
        + "\"after\":\"" + SHA_PLACEHOLDER + "\","
        + "\"repository\":{\"id\":186853002,\"name\":\"" + repo + "\","
        + "\"full_name\":\"acme/" + repo + "\",\"private\":false,"
        + "\"html_url\":\"https://github.com/acme/" + repo + "\","
        + "\"clone_url\":\"https://github.com/acme/" + repo + ".git\","
        + "\"ssh_url\":\"git@github.com:acme/" + repo + ".git\",\"default_branch\":\"main\"},"
        + "\"pusher\":{\"name\":\"monalisa\",\"email\":\"mona@acme.example\"},"
        + "\"sender\":{\"login\":\"monalisa\",\"id\":21031067},"
        + "\"created\":false,\"deleted\":false,\"forced\":false,\"base_ref\":null,"
        + "\"compare\":\"https://github.com/acme/" + repo + "/compare/6113728f27ae..."
        + SHA_PLACEHOLDER + "\","
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
