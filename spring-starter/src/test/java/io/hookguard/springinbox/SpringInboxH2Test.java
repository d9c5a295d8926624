package io.hookguard.springinbox;

import org.springframework.boot.test.context.SpringBootTest;

/** The inbox scenarios on H2, the embedded default (an in-memory database per context here). */
@SpringBootTest(classes = InboxTestApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {"spring.datasource.url=jdbc:h2:mem:springinbox;DB_CLOSE_DELAY=-1"})
class SpringInboxH2Test extends InboxScenarios {
}
