package com.imageretrieval.cli;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * A minimal streaming JSON writer for the CLI's output (the core stays free of jakarta.json). It writes compact JSON,
 * escapes strings fully (quotes, backslash, every control character, U+2028/U+2029 and unpaired surrogates), and
 * refuses NaN and infinities, which JSON cannot express. Misuse (a value where a name is due) fails fast.
 */
final class JsonWriter {

    private enum Scope { OBJECT_NAME, OBJECT_VALUE, ARRAY }

    private final StringBuilder out = new StringBuilder();
    private final Deque<Scope> scopes = new ArrayDeque<>();
    private final Deque<Boolean> empty = new ArrayDeque<>();
    private boolean done;

    JsonWriter beginObject() {
        beforeValue();
        out.append('{');
        push(Scope.OBJECT_NAME);
        return this;
    }

    JsonWriter endObject() {
        if (scopes.peek() != Scope.OBJECT_NAME) {
            throw new IllegalStateException("endObject outside an object or after a name");
        }
        pop();
        out.append('}');
        return this;
    }

    JsonWriter beginArray() {
        beforeValue();
        out.append('[');
        push(Scope.ARRAY);
        return this;
    }

    JsonWriter endArray() {
        if (scopes.peek() != Scope.ARRAY) {
            throw new IllegalStateException("endArray outside an array");
        }
        pop();
        out.append(']');
        return this;
    }

    JsonWriter name(String name) {
        if (scopes.peek() != Scope.OBJECT_NAME) {
            throw new IllegalStateException("a name is only allowed inside an object, before its value");
        }
        comma();
        quote(name, out);
        out.append(':');
        scopes.pop();
        scopes.push(Scope.OBJECT_VALUE);
        return this;
    }

    JsonWriter value(String s) {
        beforeValue();
        if (s == null) {
            out.append("null");
        } else {
            quote(s, out);
        }
        return this;
    }

    JsonWriter value(long n) {
        beforeValue();
        out.append(n);
        return this;
    }

    /** Floats are written in their shortest exact form (0.97f is "0.97", not 0.9700000286102295). */
    JsonWriter value(float f) {
        if (!Float.isFinite(f)) {
            throw new IllegalArgumentException("JSON has no representation for " + f);
        }
        beforeValue();
        out.append(Float.toString(f));
        return this;
    }

    JsonWriter value(double d) {
        if (!Double.isFinite(d)) {
            throw new IllegalArgumentException("JSON has no representation for " + d);
        }
        beforeValue();
        out.append(Double.toString(d));
        return this;
    }

    JsonWriter value(boolean b) {
        beforeValue();
        out.append(b);
        return this;
    }

    /** The document; only once every object and array is closed. */
    @Override
    public String toString() {
        if (!scopes.isEmpty()) {
            throw new IllegalStateException("unclosed object or array");
        }
        return out.toString();
    }

    /** Appends {@code s} as a JSON string literal. */
    static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                default -> {
                    boolean paired = Character.isHighSurrogate(c) && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1));
                    if (paired) {
                        sb.append(c).append(s.charAt(++i));
                    } else if (c < 0x20 || c == 0x7f || c == '\u2028' || c == '\u2029' || Character.isSurrogate(c)) {
                        // Control characters must be escaped; the others would break JavaScript or UTF-8 output.
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        sb.append('"');
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        quote(s, sb);
        return sb.toString();
    }

    private void beforeValue() {
        Scope scope = scopes.peek();
        if (scope == null) {
            if (done) {
                throw new IllegalStateException("a JSON document has one top-level value");
            }
            done = true;
        } else if (scope == Scope.OBJECT_NAME) {
            throw new IllegalStateException("a value inside an object needs a name first");
        } else if (scope == Scope.OBJECT_VALUE) {
            scopes.pop();
            scopes.push(Scope.OBJECT_NAME);
        } else {
            comma();
        }
    }

    private void comma() {
        if (!empty.peek()) {
            out.append(',');
        }
        empty.pop();
        empty.push(false);
    }

    private void push(Scope s) {
        scopes.push(s);
        empty.push(true);
    }

    private void pop() {
        scopes.pop();
        empty.pop();
    }
}
