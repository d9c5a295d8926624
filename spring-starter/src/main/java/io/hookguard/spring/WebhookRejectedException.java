package io.hookguard.spring;

import io.hookguard.servlet.WebhookProblem;
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

  /** Why; not serializable state is not needed after the response. */
  private final transient WebhookProblem problem;

  /**
   * Creates the exception.
   *
   * @param problem why the delivery was refused
   */
  public WebhookRejectedException(WebhookProblem problem) {
    super(HttpStatusCode.valueOf(problem.status()), detail(problem), null);
    this.problem = problem;
    problem.retryAfterHeader().ifPresent(value -> getHeaders().set(HttpHeaders.RETRY_AFTER, value));
  }

  private static ProblemDetail detail(WebhookProblem problem) {
    ProblemDetail detail = ProblemDetail.forStatusAndDetail(HttpStatusCode.valueOf(problem.status()), problem.detail());
    detail.setType(URI.create(problem.type()));
    detail.setTitle(problem.title());
    return detail;
  }

  /** @return why the delivery was refused */
  public WebhookProblem problem() {
    return problem;
  }
}
