package io.realtimegateway.state;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.jboss.logging.Logger;

import io.quarkus.redis.datasource.ReactiveRedisDataSource;
import io.realtimegateway.realtime.RealtimeConfig;

/**
 * Makes the one {@link StateStore} that {@code GATEWAY_STATE} asks for. The Redis data source is looked up only in
 * redis mode, and only at its first use, so memory mode boots and serves with no Redis configured at all.
 */
@ApplicationScoped
class StateStores {

    private static final Logger LOG = Logger.getLogger(StateStores.class);

    @Produces
    @Singleton
    StateStore store(StateConfig config, RealtimeConfig realtime, Instance<ReactiveRedisDataSource> redis) {
        if (config.kind() == StateConfig.Kind.REDIS) {
            LOG.infof("State (tickets, session leases, rate limits, usage) is shared in Redis (GATEWAY_STATE=redis, key prefix '%s')",
                    config.keyPrefix());
            return new RedisStateStore(new Lazy(redis), config);
        }
        LOG.debug("State is kept in this process (GATEWAY_STATE=memory): run one replica, or set GATEWAY_STATE=redis");
        return new MemoryStateStore(realtime.usedTicketCapacity(), config.leaseTtl(), config.usageRetention(), System::currentTimeMillis);
    }

    /** Resolves the data source on first use and keeps it. */
    private static final class Lazy implements Supplier<ReactiveRedisDataSource> {
        private final Instance<ReactiveRedisDataSource> instance;
        private volatile ReactiveRedisDataSource resolved;

        Lazy(Instance<ReactiveRedisDataSource> instance) {
            this.instance = instance;
        }

        @Override
        public ReactiveRedisDataSource get() {
            ReactiveRedisDataSource value = resolved;
            if (value == null) {
                value = instance.get();
                resolved = value;
            }
            return value;
        }
    }
}
