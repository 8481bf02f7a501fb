package dev.gantry.buildapi.domain;

import dev.gantry.edge.ApiException;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Which branches of a repository build. Patterns are globs: {@code *} matches within one path
 * component, {@code **} across components. No patterns means every branch.
 */
public record BranchFilter(List<String> patterns) {

  private static final Pattern ALLOWED = Pattern.compile("[A-Za-z0-9._/*+-]{1,200}");

  public BranchFilter {
    patterns = patterns == null ? List.of() : List.copyOf(patterns);
    for (String p : patterns) {
      if (p == null || !ALLOWED.matcher(p).matches()) {
        throw new ApiException.BadRequest(
            "branch pattern '"
                + GitRef.printable(p)
                + "' is not accepted: use letters, digits, '.', '_', '-', '/', '+' and '*' globs");
      }
    }
  }

  public boolean matches(String branch) {
    return patterns.isEmpty() || patterns.stream().anyMatch(p -> glob(p).matcher(branch).matches());
  }

  /** Stored as one pattern per line. */
  public String serialize() {
    return String.join("\n", patterns);
  }

  public static BranchFilter deserialize(String stored) {
    return new BranchFilter(
        stored == null || stored.isEmpty() ? List.of() : List.of(stored.split("\n")));
  }

  private static Pattern glob(String glob) {
    StringBuilder re = new StringBuilder();
    for (int i = 0; i < glob.length(); i++) {
      char c = glob.charAt(i);
      if (c == '*') {
        boolean doubleStar = i + 1 < glob.length() && glob.charAt(i + 1) == '*';
        re.append(doubleStar ? ".*" : "[^/]*");
        if (doubleStar) {
          i++;
        }
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
