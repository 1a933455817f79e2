package com.imageretrieval.web.api;

import com.imageretrieval.web.errors.ErrorCode;
import com.imageretrieval.web.guard.UploadRefusedException;
import java.util.Optional;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/** Anything else: logged with its stack trace under a reference; the client gets the reference, never the trace. */
@Provider
public class UnexpectedErrorMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(UnexpectedErrorMapper.class.getName());

    @Override
    public Response toResponse(Throwable e) {
        Optional<UploadRefusedException> refused = UploadRefusedException.in(e);
        if (refused.isPresent()) { // the upload guard's stream, wrapped by the multipart reader
            // The rest of the body is not read, so the connection cannot be reused.
            return ErrorResponses.of(refused.get().error(), refused.get().getMessage()).header("Connection", "close")
                    .build();
        }
        String ref = UUID.randomUUID().toString().substring(0, 8);
        LOG.log(Level.SEVERE, "Image retrieval API: unexpected error (ref " + ref + ")", e);
        return ErrorResponses.of(ErrorCode.INTERNAL, "unexpected server error; the server log has details under ref "
                + ref).build();
    }
}
