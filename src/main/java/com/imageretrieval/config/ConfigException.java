package com.imageretrieval.config;

/** A configuration value is missing or invalid; the message names the variable. */
public class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
