package io.hookguard.springattack;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The {@link AttackWebhookApplication} on a random port with every endpoint its handlers name,
 * so that the attack test classes share one application context. A class that needs other
 * settings adds them with {@code @TestPropertySource}, which takes precedence (and gets its own
 * context).
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@SpringBootTest(classes = AttackWebhookApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
        "hookguard.endpoints.slack-commands.provider=slack",
        "hookguard.endpoints.slack-commands.secrets=" + AttackWebhookApplication.SLACK_SECRET,
        "hookguard.endpoints.slack-commands.dedup=false",
        // Room for a signed flood of 100,000 parameters: the parameter limit, not the size limit, refuses it.
        "hookguard.endpoints.slack-commands.max-body-size=4MB",
        "hookguard.endpoints.twilio.provider=twilio",
        "hookguard.endpoints.twilio.secrets=" + AttackWebhookApplication.TWILIO_SECRET,
        "hookguard.endpoints.twilio.dedup=false",
        "hookguard.endpoints.standard.provider=standard-webhooks",
        "hookguard.endpoints.standard.secrets=" + AttackWebhookApplication.STANDARD_SECRET,
        "hookguard.endpoints.github.provider=github",
        "hookguard.endpoints.github.secrets=" + AttackWebhookApplication.GITHUB_SECRET,
        "hookguard.endpoints.github-by-id.provider=github",
        "hookguard.endpoints.github-by-id.secrets=" + AttackWebhookApplication.GITHUB_SECRET,
        "hookguard.endpoints.github-by-id.dedup-on-body=false",
        "hookguard.endpoints.github-allowed.provider=github",
        "hookguard.endpoints.github-allowed.secrets=" + AttackWebhookApplication.GITHUB_SECRET,
        "hookguard.endpoints.github-allowed.allowed-sources=192.30.252.0/22",
        "hookguard.endpoints.shopify.provider=shopify",
        "hookguard.endpoints.shopify.secrets=" + AttackWebhookApplication.SHOPIFY_SECRET,
        "hookguard.endpoints.stripe.provider=stripe",
        "hookguard.endpoints.stripe.secrets=" + AttackWebhookApplication.STRIPE_SECRET,
        "hookguard.endpoints.stripe-slow.provider=stripe",
        "hookguard.endpoints.stripe-slow.secrets=" + AttackWebhookApplication.STRIPE_SECRET,
        "hookguard.endpoints.stripe-slow.read-timeout=1s",
        "hookguard.proxies.trusted=127.0.0.1",
        "hookguard.proxies.headers=x-forwarded"})
@interface AttackBootTest {}
