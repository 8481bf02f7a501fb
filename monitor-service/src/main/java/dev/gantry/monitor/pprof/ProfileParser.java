package dev.gantry.monitor.pprof;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.gantry.monitor.pprof.proto.ProfileProto.Function;
import dev.gantry.monitor.pprof.proto.ProfileProto.Line;
import dev.gantry.monitor.pprof.proto.ProfileProto.Location;
import dev.gantry.monitor.pprof.proto.ProfileProto.Profile;
import dev.gantry.monitor.pprof.proto.ProfileProto.Sample;
import dev.gantry.monitor.pprof.proto.ProfileProto.ValueType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads Go's pprof output (gzipped protobuf, or plain protobuf) with classes generated from pprof's
 * {@code profile.proto}. Every size is bounded: a profile that decompresses beyond {@code
 * maxDecodedBytes} is rejected, not read into memory.
 */
public final class ProfileParser {
  private final int maxDecodedBytes;

  public ProfileParser(int maxDecodedBytes) {
    this.maxDecodedBytes = maxDecodedBytes;
  }

  public ParsedProfile parse(byte[] raw) throws BadProfileException {
    if (raw == null || raw.length == 0) {
      throw new BadProfileException("empty profile");
    }
    byte[] proto = isGzip(raw) ? gunzip(raw) : raw;
    if (proto.length > maxDecodedBytes) {
      throw new BadProfileException("profile larger than " + maxDecodedBytes + " bytes");
    }
    Profile p;
    try {
      CodedInputStream in = CodedInputStream.newInstance(proto);
      in.setSizeLimit(maxDecodedBytes);
      p = Profile.parseFrom(in);
      in.checkLastTagWas(0);
    } catch (InvalidProtocolBufferException e) {
      throw new BadProfileException("not a pprof protobuf: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new BadProfileException("unreadable profile: " + e.getMessage(), e);
    }
    return reduce(p);
  }

  static boolean isGzip(byte[] raw) {
    return raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
  }

  private byte[] gunzip(byte[] raw) throws BadProfileException {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw), 64 * 1024)) {
      ByteArrayOutputStream out =
          new ByteArrayOutputStream(Math.min(maxDecodedBytes, raw.length * 4));
      byte[] buf = new byte[64 * 1024];
      int n;
      while ((n = in.read(buf)) > 0) {
        if (out.size() + n > maxDecodedBytes) {
          throw new BadProfileException(
              "profile decompresses beyond " + maxDecodedBytes + " bytes");
        }
        out.write(buf, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new BadProfileException("truncated or corrupt gzip: " + e.getMessage(), e);
    }
  }

  private static ParsedProfile reduce(Profile p) throws BadProfileException {
    List<String> strings = p.getStringTableList();
    if (strings.isEmpty() || !strings.get(0).isEmpty()) {
      throw new BadProfileException("string table must start with the empty string");
    }
    List<String> types = new ArrayList<>();
    for (ValueType vt : p.getSampleTypeList()) {
      types.add(str(strings, vt.getType()) + "/" + str(strings, vt.getUnit()));
    }
    if (types.isEmpty()) {
      throw new BadProfileException("profile has no sample types");
    }
    Map<Long, String> functionNames = new HashMap<>();
    for (Function f : p.getFunctionList()) {
      functionNames.put(f.getId(), str(strings, f.getName()));
    }
    // a location's frames, leaf first, inlined callees before their caller, joined once
    Map<Long, String> locations = new HashMap<>();
    long maxId = 0;
    for (Location loc : p.getLocationList()) {
      StringBuilder frames = new StringBuilder();
      for (Line line : loc.getLineList()) {
        if (frames.length() > 0) {
          frames.append('\n');
        }
        frames.append(functionNames.getOrDefault(line.getFunctionId(), "?"));
      }
      if (frames.length() == 0) {
        frames.append(String.format("0x%x", loc.getAddress()));
      }
      locations.put(loc.getId(), frames.toString());
      maxId = Math.max(maxId, loc.getId());
    }
    // Go numbers locations 1..n: an array lookup per frame instead of a boxed map lookup
    String[] byId = null;
    if (maxId < 4L * locations.size() + 1024) {
      byId = new String[(int) maxId + 1];
      for (Map.Entry<Long, String> e : locations.entrySet()) {
        byId[e.getKey().intValue()] = e.getValue();
      }
    }
    long[] totals = new long[types.size()];
    Map<String, long[]> stacks = new LinkedHashMap<>();
    StringBuilder key = new StringBuilder(4096);
    for (Sample s : p.getSampleList()) {
      if (s.getValueCount() != types.size()) {
        throw new BadProfileException(
            "a sample has " + s.getValueCount() + " values for " + types.size() + " sample types");
      }
      key.setLength(0);
      // location_id[0] is the leaf
      for (int i = 0; i < s.getLocationIdCount(); i++) {
        long id = s.getLocationId(i);
        String frames =
            byId != null
                ? (id >= 0 && id < byId.length ? byId[(int) id] : null)
                : locations.get(id);
        if (frames == null) {
          throw new BadProfileException("a sample names unknown location " + id);
        }
        if (i > 0) {
          key.append('\n');
        }
        key.append(frames);
      }
      long[] values = stacks.computeIfAbsent(key.toString(), k -> new long[types.size()]);
      for (int i = 0; i < types.size(); i++) {
        long v = s.getValue(i);
        values[i] += v;
        totals[i] += v;
      }
    }
    return new ParsedProfile(List.copyOf(types), totals, stacks, p.getTimeNanos());
  }

  private static String str(List<String> strings, long index) throws BadProfileException {
    if (index < 0 || index >= strings.size()) {
      throw new BadProfileException("string index " + index + " out of range");
    }
    return strings.get((int) index);
  }
}
