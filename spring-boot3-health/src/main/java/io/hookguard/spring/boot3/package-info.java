/** Hookguard's Spring Boot 3.5 health indicator; see {@code hookguard-spring-boot-starter}. */
@NullMarked
package io.hookguard.spring.boot3;

import org.jspecify.annotations.NullMarked;
