#pragma once

#include <QByteArray>
#include <QString>
#include "httpresponse.h"

#include <optional>

// Every way a request can fail, mapped to HTTP status and a stable error code in ONE place
// (errorResponse). Handlers only pick a kind and write a message.
enum class ApiErrorKind {
    InvalidRequest,    // 400 invalid_request: malformed JSON, wrong type, missing field, out of range
    Unauthorized,      // 401 unauthorized: missing or wrong X-Admin-Key
    AdminDisabled,     // 403 admin_disabled: ADMIN_KEY is not set
    NotFound,          // 404 not_found
    MethodNotAllowed,  // 405 method_not_allowed
    PayloadTooLarge,   // 413 payload_too_large
    RateLimited,       // 429 rate_limit_exceeded
    CostExceedsLimit,  // 429 cost_exceeds_limit: the request can never fit; no Retry-After
    StoreUnavailable,  // 503 store_unavailable: no store could decide or persist; never fails open
    // Protocol-level refusals of the HTTP front (HttpConnection / HttpServer):
    RequestTimeout,        // 408 request_timeout: the request did not arrive within REQUEST_TIMEOUT
    UriTooLong,            // 414 uri_too_long
    ExpectationFailed,     // 417 expectation_failed: an Expect other than 100-continue
    HeaderFieldsTooLarge,  // 431 header_fields_too_large: MAX_HEADERS / MAX_HEADER_SIZE
    NotImplemented,        // 501 not_implemented: a transfer coding other than chunked
    VersionNotSupported,   // 505 http_version_not_supported
    TooManyConnections,    // 503 too_many_connections: MAX_CONNECTIONS reached
    // Gateway:
    UpstreamUnavailable,   // 502 upstream_unavailable: refused, reset, bad answer
    UpstreamTimeout,       // 504 upstream_timeout: nothing from the upstream within UPSTREAM_TIMEOUT
};

int statusFor(ApiErrorKind kind);
// The kind for a protocol status produced by the HTTP front (400, 408, 413, 414, 417, 431, 501, 505).
ApiErrorKind errorKindForStatus(int status);
QByteArray errorCode(ApiErrorKind kind);

// {"status":"error","error":"<code>","message":"<message>"[,"retry_after":<s>]} with the kind's status,
// Content-Type application/json. Built without a JSON DOM: it is on the decision path (429).
HttpResponse errorResponse(ApiErrorKind kind, const QString &message,
                                  std::optional<qint64> retryAfterSeconds = std::nullopt);

// JSON string literal (with quotes) for `text`.
QByteArray jsonString(const QString &text);
