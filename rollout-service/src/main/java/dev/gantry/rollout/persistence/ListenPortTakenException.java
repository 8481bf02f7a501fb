package dev.gantry.rollout.persistence;

/** Another app receives its traffic on that port already: two proxies cannot listen on one. */
public class ListenPortTakenException extends RuntimeException {
  private final int port;
  private final String holder;

  public ListenPortTakenException(int port, String holder) {
    super("listenPort " + port + " is taken by app " + holder);
    this.port = port;
    this.holder = holder;
  }

  public int port() {
    return port;
  }

  /** The app that has the port. */
  public String holder() {
    return holder;
  }
}
