package com.imageretrieval.it;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * The API contract on Payara Micro with INDEX_BACKEND=opensearch, on the shared two-node test cluster. The whole
 * suite runs as for h2; only the corrupt-index case becomes "cluster unreachable" (there is no index file).
 */
class PayaraOpenSearchIT extends ApiContractIT {

    @Override
    ServerProcess newServer(Path work) throws IOException {
        return new PayaraServer(work);
    }

    @Override
    Map<String, String> backendEnvironment() throws Exception {
        return OpenSearchMode.environment("contract-payara");
    }
}
