package dev.gantry.edge;

/** What a bearer token grants, and what a request needs. */
public enum Role {
  /** As a grant: no token, or one that matches none. As a need: the path is open to anyone. */
  NONE,
  /** Reads. */
  VIEWER,
  /** Reads and writes. */
  OPERATOR;

  /** What a request needs by its method alone: a read the viewer token, a write the operator's. */
  public static Role neededFor(String method) {
    return "GET".equals(method) || "HEAD".equals(method) ? VIEWER : OPERATOR;
  }
}
