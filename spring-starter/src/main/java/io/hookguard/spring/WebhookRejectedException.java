package io.hookguard.spring;

import io.hookguard.delivery.Answer;
import java.net.URI;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A delivery refused before its handler ran. An {@link ErrorResponseException}, so a
 * {@code @ControllerAdvice} (for example one extending {@code ResponseEntityExceptionHandler})
 * can render it its own way; without one, Hookguard answers with the problem as
 * {@code application/problem+json}.
 */
public class WebhookRejectedException extends ErrorResponseException {
  private static final long serialVersionUID = 1L;

  /** The refusal; not needed after the response, so not serialized. */
  private final transient Answer answer;

  /**
   * Creates the exception.
   *
   * @param answer the lifecycle's refusal
   * @throws IllegalArgumentException when the answer is not a refusal
   */
  public WebhookRejectedException(Answer answer) {
    super(HttpStatusCode.valueOf(answer.status()), detail(answer), null);
    this.answer = answer;
    String retryAfter = answer.headers().get(HttpHeaders.RETRY_AFTER);
    if (retryAfter != null) {
      getHeaders().set(HttpHeaders.RETRY_AFTER, retryAfter);
    }
  }

  private static ProblemDetail detail(Answer answer) {
    var reason = answer.reason().orElseThrow(() -> new IllegalArgumentException("not a refusal: " + answer));
    ProblemDetail detail = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(answer.status()), answer.detail());
    detail.setType(URI.create(Answer.TYPE_PREFIX + reason.slug()));
    detail.setTitle(reason.title());
    return detail;
  }

  /** @return the lifecycle's refusal: reason, detail, retry hint */
  public Answer answer() {
    return answer;
  }
}
