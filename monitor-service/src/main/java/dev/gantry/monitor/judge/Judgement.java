package dev.gantry.monitor.judge;

import dev.gantry.events.analysis.Evidence;
import dev.gantry.events.analysis.Verdict;
import java.util.List;

/** A step's verdict, each check's evidence, and one sentence for the rollout's history. */
public record Judgement(Verdict verdict, List<Evidence> evidence, String reason) {}
