package dev.gantry.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Loopback ports for the embedded servers. */
final class Ports {
  static final String HOST = "127.0.0.1";

  private Ports() {}

  /**
   * A port that was free a moment ago. Kafka needs its ports before it binds them (advertised
   * listeners, quorum voters), so the usual bind-to-0 cannot be used.
   */
  static int free() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("no free port on " + HOST, e);
    }
  }

  /** Fails with a message that names the port, instead of a bind error deep inside a server. */
  static int requireFree(int port, String what) {
    if (port == 0) {
      return free();
    }
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(true);
      socket.bind(new InetSocketAddress(InetAddress.getByName(HOST), port), 1);
      return port;
    } catch (IOException e) {
      throw new IllegalStateException(
          what + ": port " + port + " on " + HOST + " is already in use by another process", e);
    }
  }
}
