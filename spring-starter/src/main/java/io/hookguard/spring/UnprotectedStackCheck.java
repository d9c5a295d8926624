package io.hookguard.spring;

import java.lang.reflect.Method;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.BeansException;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.util.ClassUtils;
import org.springframework.util.ReflectionUtils;

/**
 * Fails startup of a web application Hookguard does not protect (a servlet application without
 * Spring MVC) when it has {@link Webhook} handlers: they would run on every
 * delivery unverified. Runs before the web server starts; applications without such handlers
 * start as usual.
 */
final class UnprotectedStackCheck implements SmartInitializingSingleton {
  private final ListableBeanFactory beans;
  private final String stack;

  UnprotectedStackCheck(ListableBeanFactory beans, String stack) {
    this.beans = beans;
    this.stack = stack;
  }

  @Override
  public void afterSingletonsInstantiated() {
    for (String name : beans.getBeanDefinitionNames()) {
      Class<?> type;
      try {
        type = beans.getType(name, false);
      } catch (BeansException e) {
        continue;
      }
      String handler = type == null ? null : webhookHandler(ClassUtils.getUserClass(type));
      if (handler != null) {
        throw new HookguardConfigurationException("spring.main.web-application-type",
            "Hookguard does not protect " + stack + " yet: " + handler + " would run unverified on every delivery",
            "Serve the @Webhook handlers with Spring MVC (spring-boot-starter-webmvc on Boot 4,"
                + " spring-boot-starter-web on Boot 3.5) or Spring WebFlux (spring-boot-starter-webflux),"
                + " or remove @Webhook and verify deliveries yourself"
                + " with io.hookguard.WebhookVerifier.");
      }
    }
  }

  /** The first {@code @Webhook} on the class or its methods, described, or null if none. */
  private static @Nullable String webhookHandler(Class<?> type) {
    Webhook onClass = AnnotatedElementUtils.findMergedAnnotation(type, Webhook.class);
    if (onClass != null) {
      return "@Webhook(\"" + onClass.value() + "\") on " + type.getName();
    }
    for (Method method : ReflectionUtils.getUniqueDeclaredMethods(type, ReflectionUtils.USER_DECLARED_METHODS)) {
      Webhook onMethod = AnnotatedElementUtils.findMergedAnnotation(method, Webhook.class);
      if (onMethod != null) {
        return "@Webhook(\"" + onMethod.value() + "\") on " + type.getName() + "#" + method.getName();
      }
    }
    return null;
  }
}
