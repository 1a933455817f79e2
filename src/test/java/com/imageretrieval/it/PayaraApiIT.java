package com.imageretrieval.it;

import java.io.IOException;
import java.nio.file.Path;

/** The API contract on Payara Micro 6 (fish.payara.extras:payara-micro, fetched by the build). */
class PayaraApiIT extends ApiContractIT {

    @Override
    ServerProcess newServer(Path work) throws IOException {
        return new PayaraServer(work);
    }
}
