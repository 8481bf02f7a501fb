package dev.gantry.monitor.pprof;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.ExtensionRegistryLite;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.WireFormat;
import dev.gantry.monitor.pprof.proto.ProfileProto.Function;
import dev.gantry.monitor.pprof.proto.ProfileProto.Line;
import dev.gantry.monitor.pprof.proto.ProfileProto.Location;
import dev.gantry.monitor.pprof.proto.ProfileProto.Profile;
import dev.gantry.monitor.pprof.proto.ProfileProto.Sample;
import dev.gantry.monitor.pprof.proto.ProfileProto.ValueType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Reads Go's pprof output (gzipped protobuf, or plain protobuf) against pprof's {@code
 * profile.proto}, whose generated classes define the schema. Every size is bounded: a profile that
 * decompresses beyond {@code maxDecodedBytes} is rejected, not read into memory.
 *
 * <p>Built for throughput (issue 5): the gzip stream is inflated in one call into an array sized
 * from its trailer; the small tables (sample types, locations, functions) are parsed as generated
 * messages, but samples — nearly all of a large profile — are read field by field into flat arrays
 * instead of one message object each; and stacks are aggregated by their sequence of function names
 * as integers, their text only rendered when someone asks for it (see {@link ParsedProfile}).
 */
public final class ProfileParser {
  private static final ExtensionRegistryLite NO_EXTENSIONS =
      ExtensionRegistryLite.getEmptyRegistry();
  private static final int GZIP_FHCRC = 2;
  private static final int GZIP_FEXTRA = 4;
  private static final int GZIP_FNAME = 8;
  private static final int GZIP_FCOMMENT = 16;

  private final int maxDecodedBytes;

  public ProfileParser(int maxDecodedBytes) {
    this.maxDecodedBytes = maxDecodedBytes;
  }

  public ParsedProfile parse(byte[] raw) throws BadProfileException {
    if (raw == null || raw.length == 0) {
      throw new BadProfileException("empty profile");
    }
    byte[] proto = raw;
    int length = raw.length;
    if (isGzip(raw)) {
      Inflated inflated = gunzip(raw);
      proto = inflated.bytes();
      length = inflated.length();
    }
    if (length > maxDecodedBytes) {
      throw new BadProfileException("profile larger than " + maxDecodedBytes + " bytes");
    }
    Decoded d;
    try {
      CodedInputStream in = CodedInputStream.newInstance(proto, 0, length);
      in.setSizeLimit(maxDecodedBytes);
      d = decode(in, length);
    } catch (InvalidProtocolBufferException e) {
      throw new BadProfileException("not a pprof protobuf: " + e.getMessage(), e);
    } catch (IOException e) {
      throw new BadProfileException("unreadable profile: " + e.getMessage(), e);
    }
    return reduce(d);
  }

  static boolean isGzip(byte[] raw) {
    return raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
  }

  // --- gzip (RFC 1952) ---------------------------------------------------------------------------

  private record Inflated(byte[] bytes, int length) {}

  /**
   * Inflates every gzip member into one array. The trailer's size (mod 2³²) is only a hint, capped
   * at the limit: a lying trailer costs a larger array or a few regrowths, never more than the
   * limit. Each member's CRC-32 and size are checked, so a corrupt or cut stream is refused.
   */
  private Inflated gunzip(byte[] raw) throws BadProfileException {
    int hint = raw.length >= 18 ? littleEndianInt(raw, raw.length - 4) : 0;
    long capped =
        hint <= 0 ? (long) raw.length * 4 : Math.min(hint & 0xffffffffL, raw.length * 1032L);
    byte[] out = new byte[(int) Math.min(capped, maxDecodedBytes) + 1];
    int n = 0;
    int pos = 0;
    Inflater inflater = new Inflater(true);
    CRC32 crc = new CRC32();
    try {
      while (pos < raw.length) {
        if (pos > 0
            && !(pos + 1 < raw.length
                && (raw[pos] & 0xff) == 0x1f
                && (raw[pos + 1] & 0xff) == 0x8b)) {
          break; // trailing bytes that are no member: ignored, as GZIPInputStream does
        }
        pos = skipHeader(raw, pos);
        inflater.reset();
        inflater.setInput(raw, pos, raw.length - pos);
        int memberStart = n;
        while (!inflater.finished()) {
          if (n == out.length) {
            if (out.length > maxDecodedBytes) {
              throw new BadProfileException(
                  "profile decompresses beyond " + maxDecodedBytes + " bytes");
            }
            out = Arrays.copyOf(out, (int) Math.min(out.length * 2L, maxDecodedBytes + 1L));
          }
          int k = inflater.inflate(out, n, out.length - n);
          n += k;
          if (k == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
            throw new BadProfileException("truncated or corrupt gzip: the stream ends early");
          }
        }
        if (n > maxDecodedBytes) {
          throw new BadProfileException(
              "profile decompresses beyond " + maxDecodedBytes + " bytes");
        }
        int trailer = raw.length - inflater.getRemaining();
        if (trailer + 8 > raw.length) {
          throw new BadProfileException("truncated or corrupt gzip: no trailer");
        }
        crc.reset();
        crc.update(out, memberStart, n - memberStart);
        if ((int) crc.getValue() != littleEndianInt(raw, trailer)
            || n - memberStart != littleEndianInt(raw, trailer + 4)) {
          throw new BadProfileException("truncated or corrupt gzip: CRC or size mismatch");
        }
        pos = trailer + 8;
      }
    } catch (DataFormatException e) {
      throw new BadProfileException("truncated or corrupt gzip: " + e.getMessage(), e);
    } finally {
      inflater.end();
    }
    return new Inflated(out, n);
  }

  private static int skipHeader(byte[] raw, int pos) throws BadProfileException {
    if (pos + 10 > raw.length) {
      throw new BadProfileException("truncated or corrupt gzip: short header");
    }
    if ((raw[pos] & 0xff) != 0x1f || (raw[pos + 1] & 0xff) != 0x8b || raw[pos + 2] != 8) {
      throw new BadProfileException("truncated or corrupt gzip: not a deflate member");
    }
    int flags = raw[pos + 3] & 0xff;
    int p = pos + 10;
    if ((flags & GZIP_FEXTRA) != 0) {
      if (p + 2 > raw.length) {
        throw new BadProfileException("truncated or corrupt gzip: short header");
      }
      p += 2 + ((raw[p] & 0xff) | (raw[p + 1] & 0xff) << 8);
    }
    for (int flag : new int[] {GZIP_FNAME, GZIP_FCOMMENT}) {
      if ((flags & flag) != 0) {
        while (p < raw.length && raw[p] != 0) {
          p++;
        }
        p++;
      }
    }
    if ((flags & GZIP_FHCRC) != 0) {
      p += 2;
    }
    if (p >= raw.length) {
      throw new BadProfileException("truncated or corrupt gzip: short header");
    }
    return p;
  }

  private static int littleEndianInt(byte[] b, int at) {
    return (b[at] & 0xff)
        | (b[at + 1] & 0xff) << 8
        | (b[at + 2] & 0xff) << 16
        | (b[at + 3] & 0xff) << 24;
  }

  // --- protobuf ----------------------------------------------------------------------------------

  /** The profile as read: samples flat, in the order they came. */
  private static final class Decoded {
    final List<ValueType> sampleTypes = new ArrayList<>();
    final List<Location> locations = new ArrayList<>();
    final List<Function> functions = new ArrayList<>();
    final List<String> strings = new ArrayList<>();
    long timeNanos;
    int samples;

    /** Sample i's location ids are {@code locationIds[locationStart[i] .. locationStart[i+1])}. */
    long[] locationIds = new long[1024];

    int[] locationStart = new int[257];
    long[] values = new long[256];
    int[] valueStart = new int[257];
    int locationCount;
    int valueCount;

    void addLocation(long id) {
      if (locationCount == locationIds.length) {
        locationIds = Arrays.copyOf(locationIds, locationIds.length * 2);
      }
      locationIds[locationCount++] = id;
    }

    void addValue(long v) {
      if (valueCount == values.length) {
        values = Arrays.copyOf(values, values.length * 2);
      }
      values[valueCount++] = v;
    }

    void endSample() {
      samples++;
      if (samples + 1 > locationStart.length) {
        locationStart = Arrays.copyOf(locationStart, locationStart.length * 2);
        valueStart = Arrays.copyOf(valueStart, valueStart.length * 2);
      }
      locationStart[samples] = locationCount;
      valueStart[samples] = valueCount;
    }
  }

  private static Decoded decode(CodedInputStream in, int length) throws IOException {
    Decoded d = new Decoded();
    // each id takes a byte at least; most of a large profile is its samples' ids
    d.locationIds = new long[Math.max(1024, length / 8)];
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      switch (WireFormat.getTagFieldNumber(tag)) {
        case Profile.SAMPLE_FIELD_NUMBER -> {
          if (!lengthDelimited(tag)) {
            throw wrongWireType(tag);
          }
          int limit = in.pushLimit(in.readRawVarint32());
          readSample(in, d);
          in.popLimit(limit);
        }
        case Profile.SAMPLE_TYPE_FIELD_NUMBER ->
            d.sampleTypes.add(message(in, tag, ValueType.parser()));
        case Profile.LOCATION_FIELD_NUMBER -> d.locations.add(message(in, tag, Location.parser()));
        case Profile.FUNCTION_FIELD_NUMBER -> d.functions.add(message(in, tag, Function.parser()));
        case Profile.STRING_TABLE_FIELD_NUMBER -> {
          if (!lengthDelimited(tag)) {
            throw wrongWireType(tag);
          }
          d.strings.add(in.readStringRequireUtf8());
        }
        case Profile.TIME_NANOS_FIELD_NUMBER -> {
          if (WireFormat.getTagWireType(tag) != WireFormat.WIRETYPE_VARINT) {
            throw wrongWireType(tag);
          }
          d.timeNanos = in.readInt64();
        }
        default -> {
          if (!in.skipField(tag)) {
            throw endGroupMismatch();
          }
        }
      }
    }
    return d;
  }

  private static <T extends com.google.protobuf.MessageLite> T message(
      CodedInputStream in, int tag, com.google.protobuf.Parser<T> parser) throws IOException {
    if (!lengthDelimited(tag)) {
      throw wrongWireType(tag);
    }
    return in.readMessage(parser, NO_EXTENSIONS);
  }

  private static InvalidProtocolBufferException wrongWireType(int tag) {
    return new InvalidProtocolBufferException(
        "field "
            + WireFormat.getTagFieldNumber(tag)
            + " has wire type "
            + WireFormat.getTagWireType(tag));
  }

  private static InvalidProtocolBufferException endGroupMismatch() {
    return new InvalidProtocolBufferException(
        "Protocol message end-group tag did not match expected tag.");
  }

  private static boolean lengthDelimited(int tag) {
    return WireFormat.getTagWireType(tag) == WireFormat.WIRETYPE_LENGTH_DELIMITED;
  }

  /**
   * One Sample message, up to the current limit; repeated fields packed or not, as proto3 allows.
   */
  private static void readSample(CodedInputStream in, Decoded d) throws IOException {
    while (true) {
      int tag = in.readTag();
      if (tag == 0) {
        break;
      }
      int field = WireFormat.getTagFieldNumber(tag);
      int wire = WireFormat.getTagWireType(tag);
      if (field == Sample.LOCATION_ID_FIELD_NUMBER || field == Sample.VALUE_FIELD_NUMBER) {
        boolean location = field == Sample.LOCATION_ID_FIELD_NUMBER;
        if (wire == WireFormat.WIRETYPE_VARINT) {
          long v = in.readRawVarint64();
          if (location) {
            d.addLocation(v);
          } else {
            d.addValue(v);
          }
        } else if (wire == WireFormat.WIRETYPE_LENGTH_DELIMITED) {
          int limit = in.pushLimit(in.readRawVarint32());
          while (in.getBytesUntilLimit() > 0) {
            long v = in.readRawVarint64();
            if (location) {
              d.addLocation(v);
            } else {
              d.addValue(v);
            }
          }
          in.popLimit(limit);
        } else {
          throw wrongWireType(tag);
        }
      } else if (!in.skipField(tag)) {
        throw endGroupMismatch();
      }
    }
    d.endSample();
  }

  // --- reduction ---------------------------------------------------------------------------------

  private static ParsedProfile reduce(Decoded d) throws BadProfileException {
    List<String> strings = d.strings;
    if (strings.isEmpty() || !strings.get(0).isEmpty()) {
      throw new BadProfileException("string table must start with the empty string");
    }
    List<String> types = new ArrayList<>();
    for (ValueType vt : d.sampleTypes) {
      types.add(str(strings, vt.getType()) + "/" + str(strings, vt.getUnit()));
    }
    if (types.isEmpty()) {
      throw new BadProfileException("profile has no sample types");
    }
    // function names as small integers: two function ids of the same name are one name, as they
    // were when stacks were keyed by their text
    Names names = new Names();
    Map<Long, Integer> functionNames = new HashMap<>();
    for (Function f : d.functions) {
      functionNames.put(f.getId(), names.id(str(strings, f.getName())));
    }
    int unknownFunction = -1;
    // a location's frames, leaf first, inlined callees before their caller
    Map<Long, int[]> locations = new HashMap<>();
    long maxId = 0;
    for (Location loc : d.locations) {
      int[] frames = new int[Math.max(1, loc.getLineCount())];
      if (loc.getLineCount() == 0) {
        frames[0] = names.id("0x" + Long.toHexString(loc.getAddress()));
      }
      for (int i = 0; i < loc.getLineCount(); i++) {
        Line line = loc.getLine(i);
        Integer name = functionNames.get(line.getFunctionId());
        if (name == null) {
          if (unknownFunction < 0) {
            unknownFunction = names.id("?");
          }
          name = unknownFunction;
        }
        frames[i] = name;
      }
      locations.put(loc.getId(), frames);
      maxId = Math.max(maxId, loc.getId());
    }
    // Go numbers locations 1..n: an array lookup per frame instead of a boxed map lookup
    int[][] byId = null;
    if (maxId >= 0 && maxId < 4L * locations.size() + 1024) {
      byId = new int[(int) maxId + 1][];
      for (Map.Entry<Long, int[]> e : locations.entrySet()) {
        byId[e.getKey().intValue()] = e.getValue();
      }
    }
    int nTypes = types.size();
    long[] totals = new long[nTypes];
    StackTable stacks = new StackTable(nTypes, d.samples, d.locationCount);
    int[] key = new int[256];
    for (int s = 0; s < d.samples; s++) {
      int valueFrom = d.valueStart[s];
      int valueCount = d.valueStart[s + 1] - valueFrom;
      if (valueCount != nTypes) {
        throw new BadProfileException(
            "a sample has " + valueCount + " values for " + nTypes + " sample types");
      }
      int length = 0;
      // location_id[0] is the leaf
      for (int i = d.locationStart[s]; i < d.locationStart[s + 1]; i++) {
        long id = d.locationIds[i];
        int[] frames =
            byId != null
                ? (id >= 0 && id < byId.length ? byId[(int) id] : null)
                : locations.get(id);
        if (frames == null) {
          throw new BadProfileException("a sample names unknown location " + id);
        }
        if (length + frames.length > key.length) {
          key = Arrays.copyOf(key, Math.max(key.length * 2, length + frames.length));
        }
        System.arraycopy(frames, 0, key, length, frames.length);
        length += frames.length;
      }
      long[] values = stacks.valuesOf(key, length);
      int at = stacks.lastValueOffset();
      for (int i = 0; i < nTypes; i++) {
        long v = d.values[valueFrom + i];
        values[at + i] += v;
        totals[i] += v;
      }
    }
    return new ParsedProfile(List.copyOf(types), totals, d.timeNanos, names.table(), stacks);
  }

  private static String str(List<String> strings, long index) throws BadProfileException {
    if (index < 0 || index >= strings.size()) {
      throw new BadProfileException("string index " + index + " out of range");
    }
    return strings.get((int) index);
  }

  /** Distinct function names, numbered in the order they are first seen. */
  private static final class Names {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<String> table = new ArrayList<>();

    int id(String name) {
      Integer id = ids.get(name);
      if (id == null) {
        id = table.size();
        ids.put(name, id);
        table.add(name);
      }
      return id;
    }

    String[] table() {
      return table.toArray(String[]::new);
    }
  }
}
