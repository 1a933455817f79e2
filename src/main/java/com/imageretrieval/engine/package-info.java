/**
 * {@link com.imageretrieval.engine.RetrievalEngine}: the one facade the CLI and the web layer use (model + index
 * backend + searchable view + builds), delegating start-up recovery to
 * {@link com.imageretrieval.engine.StartupRecovery}, builds to {@link com.imageretrieval.engine.BuildCoordinator} and
 * the wording of its state to {@link com.imageretrieval.engine.StatusReport}. It never throws at start-up for a
 * missing model, dataset or index; it reports them in {@link com.imageretrieval.engine.EngineStatus} with the
 * variable to set or the command to run.
 */
package com.imageretrieval.engine;
