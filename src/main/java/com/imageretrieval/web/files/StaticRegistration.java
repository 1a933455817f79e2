package com.imageretrieval.web.files;

import com.imageretrieval.config.AppConfig;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.ServletRegistration;
import jakarta.servlet.annotation.WebListener;
import java.util.logging.Logger;

/** Maps the dataset servlet at STATIC_PREFIX, which is only known at run time. */
@WebListener
public class StaticRegistration implements ServletContextListener {

    private static final Logger LOG = Logger.getLogger(StaticRegistration.class.getName());

    @Override
    public void contextInitialized(ServletContextEvent event) {
        AppConfig cfg = AppConfig.fromEnvironment();
        ServletContext ctx = event.getServletContext();
        DatasetFiles files = new DatasetFiles(cfg.datasetDir());
        ServletRegistration.Dynamic reg = ctx.addServlet("dataset-images", new DatasetServlet(files));
        reg.addMapping(cfg.staticPrefix() + "/*");
        LOG.info("Image retrieval: serving " + files.root() + " at " + ctx.getContextPath() + cfg.staticPrefix()
                + "/");
    }
}
