package com.imageretrieval.web;

import java.lang.management.ManagementFactory;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/** The MBean behind {@link ReindexControlMBean}; registered by the engine EJB at start, unregistered at stop. */
public final class ReindexControl implements ReindexControlMBean {

    public static final String OBJECT_NAME = "com.imageretrieval:type=Index,name=ImageRetrieval";
    private static final Logger LOG = Logger.getLogger(ReindexControl.class.getName());

    private final EngineService service;

    ReindexControl(EngineService service) {
        this.service = service;
    }

    @Override
    public int getImages() {
        return service.engine().status().images();
    }

    @Override
    public boolean isBuilding() {
        return service.engine().status().building();
    }

    @Override
    public String getLastBuild() {
        return service.engine().lastBuild().map(Object::toString).orElse("none");
    }

    @Override
    public String reindex() {
        return switch (service.startReindex("jmx")) {
            case STARTED -> "started";
            case ALREADY_RUNNING -> "not started: a build is already running";
            case NOT_READY -> "not started: " + service.engine().status().message();
        };
    }

    /** Registers, replacing a stale registration a crashed undeploy may have left behind. */
    static ObjectName register(ReindexControl bean) {
        try {
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            ObjectName name = new ObjectName(OBJECT_NAME);
            if (server.isRegistered(name)) {
                server.unregisterMBean(name);
            }
            server.registerMBean(bean, name);
            return name;
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, "JMX: could not register " + OBJECT_NAME + ": " + e, e);
            return null;
        }
    }

    static void unregister(ObjectName name) {
        if (name == null) {
            return;
        }
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (JMException | RuntimeException e) {
            LOG.log(Level.WARNING, "JMX: could not unregister " + name + ": " + e);
        }
    }
}
