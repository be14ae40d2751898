#include "apierror.h"

using Status = QHttpServerResponder::StatusCode;

QHttpServerResponder::StatusCode statusFor(ApiErrorKind kind)
{
    switch (kind) {
    case ApiErrorKind::InvalidRequest:
        return Status::BadRequest;
    case ApiErrorKind::Unauthorized:
        return Status::Unauthorized;
    case ApiErrorKind::AdminDisabled:
        return Status::Forbidden;
    case ApiErrorKind::NotFound:
        return Status::NotFound;
    case ApiErrorKind::MethodNotAllowed:
        return Status::MethodNotAllowed;
    case ApiErrorKind::PayloadTooLarge:
        return Status::PayloadTooLarge;
    case ApiErrorKind::RateLimited:
    case ApiErrorKind::CostExceedsLimit:
        return Status::TooManyRequests;
    case ApiErrorKind::StoreUnavailable:
        return Status::ServiceUnavailable;
    }
    Q_UNREACHABLE();
}

QByteArray errorCode(ApiErrorKind kind)
{
    switch (kind) {
    case ApiErrorKind::InvalidRequest:
        return QByteArrayLiteral("invalid_request");
    case ApiErrorKind::Unauthorized:
        return QByteArrayLiteral("unauthorized");
    case ApiErrorKind::AdminDisabled:
        return QByteArrayLiteral("admin_disabled");
    case ApiErrorKind::NotFound:
        return QByteArrayLiteral("not_found");
    case ApiErrorKind::MethodNotAllowed:
        return QByteArrayLiteral("method_not_allowed");
    case ApiErrorKind::PayloadTooLarge:
        return QByteArrayLiteral("payload_too_large");
    case ApiErrorKind::RateLimited:
        return QByteArrayLiteral("rate_limit_exceeded");
    case ApiErrorKind::CostExceedsLimit:
        return QByteArrayLiteral("cost_exceeds_limit");
    case ApiErrorKind::StoreUnavailable:
        return QByteArrayLiteral("store_unavailable");
    }
    Q_UNREACHABLE();
}

QByteArray jsonString(const QString &text)
{
    const QByteArray utf8 = text.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 2);
    out += '"';
    for (char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        if (c == '"' || c == '\\') {
            out += '\\';
            out += c;
        } else if (u < 0x20) {
            static const char hex[] = "0123456789abcdef";
            out += "\\u00";
            out += hex[u >> 4];
            out += hex[u & 0xf];
        } else {
            out += c;
        }
    }
    out += '"';
    return out;
}

QHttpServerResponse errorResponse(ApiErrorKind kind, const QString &message, std::optional<qint64> retryAfterSeconds)
{
    QByteArray body = QByteArrayLiteral("{\"status\":\"error\",\"error\":\"") + errorCode(kind)
                      + QByteArrayLiteral("\",\"message\":") + jsonString(message);
    if (retryAfterSeconds)
        body += QByteArrayLiteral(",\"retry_after\":") + QByteArray::number(*retryAfterSeconds);
    body += '}';
    return QHttpServerResponse(QByteArrayLiteral("application/json"), body, statusFor(kind));
}
