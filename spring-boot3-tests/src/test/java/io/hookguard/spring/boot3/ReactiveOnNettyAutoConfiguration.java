package io.hookguard.spring.boot3;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.web.reactive.ReactiveWebServerFactoryAutoConfiguration;
import org.springframework.boot.web.embedded.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.embedded.netty.NettyServerCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Runs this module's reactive test applications on Reactor Netty, as on Boot 4. Boot 3.5 prefers
 * Tomcat for a reactive application when both are on the classpath (its reactive server
 * configuration tries Tomcat, Jetty and Undertow before Netty), and this module needs Tomcat for
 * the Spring MVC tests; without this the shared WebFlux tests would run on Tomcat here and prove
 * nothing about Netty (nor about the event loop). Registered for the tests only
 * ({@code META-INF/spring/...AutoConfiguration.imports} in the test resources).
 */
@AutoConfiguration(before = ReactiveWebServerFactoryAutoConfiguration.class)
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.REACTIVE)
public class ReactiveOnNettyAutoConfiguration {
  @Bean
  NettyReactiveWebServerFactory nettyReactiveWebServerFactory(ObjectProvider<NettyServerCustomizer> customizers) {
    NettyReactiveWebServerFactory factory = new NettyReactiveWebServerFactory();
    customizers.orderedStream().forEach(factory::addServerCustomizers);
    return factory;
  }
}
