package io.hostdev.agent.http;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's own error answers (a request line or headers too long, a malformed request, a failure
 * outside our handler) as problem documents, like every other error of the API, instead of Jetty's
 * HTML page.
 */
final class ProblemErrorHandler extends ErrorHandler {

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        // headers over the limit: 413 "request too large" like a body over it (docs/http-api.md)
        int status = code == 431 ? 413 : code;
        String detail = switch (status) {
            case 413 -> "the request's headers or body are larger than this agent accepts";
            case 414 -> "the request line is longer than this agent accepts (a selector that long belongs nowhere)";
            case 500 -> "the agent could not answer; its log says why";
            default -> message;
        };
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        ApiHandler.problem(response, callback, Problem.http(status, detail));
    }
}
