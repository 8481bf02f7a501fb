package dev.gantry.buildworker.gotool;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import org.jboss.logging.Logger;

/**
 * The worker's side of the go command's GOCACHEPROG protocol, for one build. The go command starts
 * {@code gantry-cacheprog <socket>}, a tiny relay, which connects here; each go invocation is one
 * connection. Requests are JSON lines ({@code get}, {@code put}, {@code close}); a put's body
 * follows as a base64 JSON string on its own line. Answers may go out of order, matched by ID.
 *
 * <p>Gets run on a pool so a slow shared read does not hold up the others; a put is stored locally
 * before it is answered and published to the shared tier in the background; {@code close} is
 * answered once every publication of the connection is done.
 */
public final class CacheProgServer implements AutoCloseable {
  private static final Logger LOG = Logger.getLogger(CacheProgServer.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long MAX_BODY = 1L << 30;
  private static final byte[] ARCHIVE_MAGIC = "!<arch>\n".getBytes(StandardCharsets.US_ASCII);

  private final Path socket;
  private final ServerSocketChannel server;
  private final BuildCache cache;
  private final CacheStatsCounter stats;
  private final ExecutorService pool;
  private final List<SocketChannel> connections = new ArrayList<>();

  /** Copies of shared objects into the local tier, run once the build is over. */
  private final Queue<Runnable> localFills = new ConcurrentLinkedQueue<>();

  /** Actions that missed and may come back as a put (base64 action ids). */
  private final Set<String> missed = ConcurrentHashMap.newKeySet();

  private final Thread acceptor;

  private CacheProgServer(
      Path socket,
      ServerSocketChannel server,
      BuildCache cache,
      CacheStatsCounter stats,
      ExecutorService pool) {
    this.socket = socket;
    this.server = server;
    this.cache = cache;
    this.stats = stats;
    this.pool = pool;
    this.acceptor = new Thread(this::acceptLoop, "cacheprog-" + socket.getFileName());
    this.acceptor.setDaemon(true);
  }

  /** Listens on {@code socket} (a path short enough for a Unix socket, at most 107 bytes). */
  public static CacheProgServer start(
      Path socket, BuildCache cache, CacheStatsCounter stats, ExecutorService pool)
      throws IOException {
    Files.deleteIfExists(socket);
    ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
    server.bind(UnixDomainSocketAddress.of(socket));
    CacheProgServer s = new CacheProgServer(socket, server, cache, stats, pool);
    s.acceptor.start();
    return s;
  }

  public Path socket() {
    return socket;
  }

  private void acceptLoop() {
    while (server.isOpen()) {
      try {
        SocketChannel channel = server.accept();
        synchronized (connections) {
          connections.add(channel);
        }
        Thread t = new Thread(() -> serve(channel), "cacheprog-conn");
        t.setDaemon(true);
        t.start();
      } catch (ClosedChannelException e) {
        return;
      } catch (IOException e) {
        LOG.warnf("cacheprog accept failed: %s", e);
        return;
      }
    }
  }

  private void serve(SocketChannel channel) {
    List<CompletableFuture<?>> pending = new ArrayList<>();
    try (channel;
        InputStream rawIn = new ChannelIn(channel);
        OutputStream out = new java.io.BufferedOutputStream(new ChannelOut(channel), 64 * 1024)) {
      ProtocolReader in = new ProtocolReader(rawIn);
      Responder responder = new Responder(out);
      ObjectNode hello = JSON.createObjectNode().put("ID", 0);
      hello.putArray("KnownCommands").add("get").add("put").add("close");
      responder.send(hello);
      while (true) {
        byte[] line = in.readLine();
        if (line == null) {
          break;
        }
        if (line.length == 0) {
          continue;
        }
        JsonNode request = JSON.readTree(line);
        long id = request.path("ID").asLong();
        String command = request.path("Command").asText("");
        switch (command) {
          case "get" -> {
            byte[] action = bytes(request, "ActionID");
            pending.add(CompletableFuture.runAsync(() -> get(id, action, responder), pool));
          }
          case "put" -> put(id, request, in, responder, pending);
          case "close" -> {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
            responder.send(JSON.createObjectNode().put("ID", id));
            return;
          }
          default -> responder.error(id, "unknown command " + command);
        }
        pending.removeIf(CompletableFuture::isDone);
      }
    } catch (IOException e) {
      if (server.isOpen()) {
        LOG.debugf("cacheprog connection ended: %s", e.getMessage());
      }
    } finally {
      CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).join();
      synchronized (connections) {
        connections.remove(channel);
      }
    }
  }

  private void get(long id, byte[] action, Responder responder) {
    try {
      Optional<BuildCache.Hit> hit = cache.get(action, stats, localFills);
      ObjectNode answer = JSON.createObjectNode().put("ID", id);
      if (hit.isEmpty()) {
        answer.put("Miss", true);
        missed.add(Base64.getEncoder().encodeToString(action));
      } else {
        BuildCache.Hit h = hit.get();
        if (isPackageArchive(h.diskPath())) {
          stats.compileHits.incrementAndGet();
        }
        answer.put("OutputID", Base64.getEncoder().encodeToString(h.outputId()));
        answer.put("Size", h.size());
        answer.put("Time", h.time().toString());
        answer.put("DiskPath", h.diskPath().toAbsolutePath().toString());
      }
      responder.send(answer);
    } catch (IOException | RuntimeException e) {
      // a cache that cannot answer is a miss, not a failed build
      LOG.debugf("cacheprog get failed: %s", e);
      responder.sendQuietly(JSON.createObjectNode().put("ID", id).put("Miss", true));
    }
  }

  private void put(
      long id,
      JsonNode request,
      ProtocolReader in,
      Responder responder,
      List<CompletableFuture<?>> pending)
      throws IOException {
    byte[] action = bytes(request, "ActionID");
    // Go 1.21–1.23 call it ObjectID, 1.24 and later OutputID
    byte[] output =
        request.hasNonNull("OutputID") ? bytes(request, "OutputID") : bytes(request, "ObjectID");
    long size = request.path("BodySize").asLong(0);
    if (size < 0 || size > MAX_BODY) {
      throw new IOException("put body of " + size + " bytes refused");
    }
    try (InputStream body = size == 0 ? InputStream.nullInputStream() : in.base64Body()) {
      Path disk = cache.put(action, output, size, body, stats);
      if (missed.remove(Base64.getEncoder().encodeToString(action)) && isPackageArchive(disk)) {
        stats.compileMisses.incrementAndGet();
      }
      responder.send(
          JSON.createObjectNode().put("ID", id).put("DiskPath", disk.toAbsolutePath().toString()));
      pending.add(CompletableFuture.runAsync(() -> cache.publish(action, output, stats), pool));
    } catch (IOException e) {
      responder.error(id, e.getMessage());
    }
  }

  /**
   * Whether an output is a compiled package ({@code !<arch>}, the compiler's archive), as opposed
   * to the go command's own bookkeeping (module index, recorded stdout, test results).
   */
  static boolean isPackageArchive(Path file) {
    byte[] head = new byte[ARCHIVE_MAGIC.length];
    try (InputStream in = Files.newInputStream(file)) {
      return in.readNBytes(head, 0, head.length) == head.length
          && java.util.Arrays.equals(head, ARCHIVE_MAGIC);
    } catch (IOException e) {
      return false;
    }
  }

  private static byte[] bytes(JsonNode request, String field) throws IOException {
    JsonNode node = request.get(field);
    if (node == null || !node.isTextual()) {
      throw new IOException("request without " + field);
    }
    return Base64.getDecoder().decode(node.asText());
  }

  @Override
  public void close() {
    try {
      server.close();
    } catch (IOException e) {
      // nothing listens any more either way
    }
    synchronized (connections) {
      for (SocketChannel c : connections) {
        try {
          c.close();
        } catch (IOException ignored) {
          // closing is all we wanted
        }
      }
    }
    try {
      Files.deleteIfExists(socket);
    } catch (IOException ignored) {
      // a stale socket file is replaced by the next build
    }
    cache.fill(localFills);
  }

  /**
   * Reads straight from the channel. {@code Channels.newInputStream} and {@code newOutputStream}
   * both hold the channel's blocking lock while they wait, so a read waiting for the next request
   * would stop every answer from being written: the go command and the worker would wait on each
   * other for ever. The channel's own read and write take separate locks.
   */
  private static final class ChannelIn extends InputStream {
    private final SocketChannel channel;

    ChannelIn(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      return channel.read(java.nio.ByteBuffer.wrap(b, off, len));
    }
  }

  /** Writes straight to the channel; see {@link ChannelIn}. */
  private static final class ChannelOut extends OutputStream {
    private final SocketChannel channel;

    ChannelOut(SocketChannel channel) {
      this.channel = channel;
    }

    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(b, off, len);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    }
  }

  /** Writes whole JSON lines; answers come from several threads. */
  private static final class Responder {
    private final OutputStream out;

    Responder(OutputStream out) {
      this.out = out;
    }

    synchronized void send(JsonNode message) throws IOException {
      out.write(JSON.writeValueAsBytes(message));
      out.write('\n');
      out.flush();
    }

    void sendQuietly(JsonNode message) {
      try {
        send(message);
      } catch (IOException e) {
        LOG.debugf("cacheprog answer lost: %s", e.getMessage());
      }
    }

    void error(long id, String message) throws IOException {
      send(JSON.createObjectNode().put("ID", id).put("Err", message));
    }
  }
}
