package dev.gantry.console.upstream;

/**
 * A service behind the console did not answer, or did not accept the console's token: the page says
 * which one is away and shows the rest.
 */
public final class UpstreamAway extends RuntimeException {
  private final Service service;

  public UpstreamAway(Service service, String detail, Throwable cause) {
    super(detail, cause, false, false);
    this.service = service;
  }

  public Service service() {
    return service;
  }
}
