package dev.gantry.buildapi.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One page of builds, newest first; {@code next} is absent on the last page. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BuildPage(List<BuildView> items, String nextCursor, String next) {}
