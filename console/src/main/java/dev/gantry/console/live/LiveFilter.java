package dev.gantry.console.live;

/** What one open page listens to; all null means everything (the apps page). */
public record LiveFilter(String rolloutId, String app, String buildId) {
  public boolean matches(LiveEvent e) {
    if (rolloutId != null) {
      return rolloutId.equals(e.rolloutId());
    }
    if (app != null) {
      return app.equals(e.app());
    }
    if (buildId != null) {
      return buildId.equals(e.buildId());
    }
    return true;
  }
}
