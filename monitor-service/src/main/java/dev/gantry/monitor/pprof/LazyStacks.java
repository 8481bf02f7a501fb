package dev.gantry.monitor.pprof;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;

/**
 * One value of every stack by its text, built on first use. A goroutine profile is scraped every
 * round, but its stacks' text is read only for the first and last sample of a window that fails:
 * until then the sample holds the profile's compact stack table, not thousands of strings.
 */
final class LazyStacks extends AbstractMap<String, Long> {
  private ParsedProfile profile;
  private final int index;
  private Map<String, Long> text;

  LazyStacks(ParsedProfile profile, int index) {
    this.profile = profile;
    this.index = index;
  }

  private synchronized Map<String, Long> text() {
    if (text == null) {
      text = java.util.Collections.unmodifiableMap(profile.stackValues(index));
      profile = null;
    }
    return text;
  }

  @Override
  public Set<Entry<String, Long>> entrySet() {
    return text().entrySet();
  }

  @Override
  public Long get(Object key) {
    return text().get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return text().containsKey(key);
  }

  @Override
  public int size() {
    return text().size();
  }
}
