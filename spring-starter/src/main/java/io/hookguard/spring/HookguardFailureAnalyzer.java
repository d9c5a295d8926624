package io.hookguard.spring;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/** Turns a {@link HookguardConfigurationException} into Boot's startup failure report. */
public class HookguardFailureAnalyzer extends AbstractFailureAnalyzer<HookguardConfigurationException> {

  /** Creates the analyzer; Boot instantiates it from {@code META-INF/spring.factories}. */
  public HookguardFailureAnalyzer() {}

  @Override
  protected FailureAnalysis analyze(Throwable rootFailure, HookguardConfigurationException cause) {
    return new FailureAnalysis("Invalid Hookguard configuration: " + cause.getMessage(), cause.action(), cause);
  }
}
