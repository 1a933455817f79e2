package com.imageretrieval.it;

import java.io.IOException;
import java.nio.file.Path;

/** The API contract on WildFly 39 (org.wildfly:wildfly-dist zip, unpacked by the build). */
class WildFlyApiIT extends ApiContractIT {

    @Override
    ServerProcess newServer(Path work) throws IOException {
        return new WildFlyServer(work);
    }
}
