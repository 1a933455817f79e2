package com.imageretrieval.web;

/** JMX view of the index (jconsole, the server's console): attributes Images, Building, LastBuild; reindex(). */
public interface ReindexControlMBean {

    int getImages();

    boolean isBuilding();

    /** The last build's figures as text, or "none". */
    String getLastBuild();

    /** Starts an incremental rebuild; the answer says whether it started or why not. */
    String reindex();
}
