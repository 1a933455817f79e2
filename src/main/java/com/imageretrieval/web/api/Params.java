package com.imageretrieval.web.api;

/** Query and form parameters: integers within bounds, else a 400 naming the parameter. */
final class Params {

    private Params() {
    }

    static int intIn(String name, String code, String value, int def, int min, int max) {
        if (value == null || value.isBlank()) {
            return def;
        }
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw ApiException.badRequest(code, name + " must be an integer from " + min + " to " + max + ", got '"
                    + abbreviate(value) + "'");
        }
        if (n < min || n > max) {
            throw ApiException.badRequest(code, name + " must be from " + min + " to " + max + ", got " + n);
        }
        return n;
    }

    private static String abbreviate(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
}
