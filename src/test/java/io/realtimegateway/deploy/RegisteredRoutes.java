package io.realtimegateway.deploy;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import io.quarkus.vertx.http.ManagementInterface;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;

/**
 * Keeps the two routers the application mounts its Vert.x routes on (the main HTTP server and the management
 * interface), so that a test can list the paths they serve once the application is up. Test-only: it observes the
 * same events the gateway's own routes do and adds none.
 */
@Singleton
class RegisteredRoutes {

    private volatile Router main;
    private volatile Router management;

    void onMain(@Observes Router router) {
        this.main = router;
    }

    void onManagement(@Observes ManagementInterface managementInterface) {
        this.management = managementInterface.router();
    }

    /** Every route of both routers, main first. */
    List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        if (main != null) {
            routes.addAll(main.getRoutes());
        }
        if (management != null) {
            routes.addAll(management.getRoutes());
        }
        return routes;
    }
}
