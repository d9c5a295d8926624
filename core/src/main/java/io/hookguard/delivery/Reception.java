package io.hookguard.delivery;

/**
 * What the {@link DeliveryLifecycle} made of a request: an {@link Answer} to send as it is, or a
 * {@link RunningDelivery} to hand to the application and then finish.
 */
public sealed interface Reception permits Answer, RunningDelivery {}
