package com.imageretrieval.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;

/**
 * The REST API under {@code /api}. Public on purpose: RESTEasy (WildFly) cannot instantiate a package-private
 * subclass. No classes are listed, so both servers scan the WAR for resources and providers.
 */
@ApplicationPath("/api")
public class RestApplication extends Application {
}
