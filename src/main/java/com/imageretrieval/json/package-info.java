/**
 * The JSON vocabulary shared by the REST API and the CLI: {@link com.imageretrieval.json.Json} (response records,
 * written by JSON-B) and {@link com.imageretrieval.json.JsonAssembler} (engine types to those records). Plain Java:
 * no jakarta.* import, so the core stays usable without an application server; the CLI bundles a JSON-B
 * implementation to write them, the servers bring their own.
 */
package com.imageretrieval.json;
