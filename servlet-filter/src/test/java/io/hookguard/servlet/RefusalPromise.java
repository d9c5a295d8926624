package io.hookguard.servlet;

import java.util.List;
import java.util.Optional;

/**
 * The promise every attack test checks for a request that must not get through: refused with a
 * 4xx (or a 503 that says when to retry), never another 5xx, no stack trace, no secret. Shared
 * with the starter's attack tests through this module's test jar.
 */
public final class RefusalPromise {
  /** Text that only a stack trace puts in a body. */
  public static final List<String> STACK_TRACE_MARKERS = List.of("Exception", "at io.", "at org.", "\tat ");

  private RefusalPromise() {}

  /**
   * What an answer breaks of the promise.
   *
   * @param status the status answered
   * @param retryAfter the Retry-After header, if any
   * @param body the body answered
   * @param secrets the secrets of the setup, none of which may appear
   * @return a description of what is wrong, or empty when the answer keeps the promise
   */
  public static Optional<String> broken(int status, Optional<String> retryAfter, String body, List<String> secrets) {
    if (status >= 500 && !(status == 503 && retryAfter.isPresent())) {
      return Optional.of("a " + status + " (5xx other than 503 + Retry-After)");
    }
    if (status < 400 || status >= 600) {
      return Optional.of("status " + status + ", not a refusal");
    }
    for (String marker : STACK_TRACE_MARKERS) {
      if (body.contains(marker)) {
        return Optional.of("stack trace text '" + marker.replace("\t", "\\t") + "' in the body");
      }
    }
    for (String secret : secrets) {
      if (body.contains(secret)) {
        return Optional.of("a secret in the body");
      }
    }
    return Optional.empty();
  }
}
