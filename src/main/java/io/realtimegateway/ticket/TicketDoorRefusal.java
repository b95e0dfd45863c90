package io.realtimegateway.ticket;

/**
 * Why the ticket endpoint refused before it issued anything, fired as a CDI event: the relay observes it and counts it
 * in its own refusals metric, so this package needs nothing from the relay.
 */
public enum TicketDoorRefusal {
    /** The relay is off (disabled, or no OpenAI key). */
    RELAY_OFF,
    /** The gateway is draining. */
    SHUTTING_DOWN
}
