#pragma once

#include <QByteArray>
#include <QString>
#include <QtHttpServer/QHttpServerResponse>

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
};

QHttpServerResponder::StatusCode statusFor(ApiErrorKind kind);
QByteArray errorCode(ApiErrorKind kind);

// {"status":"error","error":"<code>","message":"<message>"[,"retry_after":<s>]} with the kind's status,
// Content-Type application/json. Built without a JSON DOM: it is on the decision path (429).
QHttpServerResponse errorResponse(ApiErrorKind kind, const QString &message,
                                  std::optional<qint64> retryAfterSeconds = std::nullopt);

// JSON string literal (with quotes) for `text`.
QByteArray jsonString(const QString &text);
