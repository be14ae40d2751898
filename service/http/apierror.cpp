#include "apierror.h"

int statusFor(ApiErrorKind kind)
{
    switch (kind) {
    case ApiErrorKind::InvalidRequest:
        return 400;
    case ApiErrorKind::Unauthorized:
        return 401;
    case ApiErrorKind::AdminDisabled:
        return 403;
    case ApiErrorKind::NotFound:
        return 404;
    case ApiErrorKind::MethodNotAllowed:
        return 405;
    case ApiErrorKind::PayloadTooLarge:
        return 413;
    case ApiErrorKind::RateLimited:
    case ApiErrorKind::CostExceedsLimit:
        return 429;
    case ApiErrorKind::StoreUnavailable:
    case ApiErrorKind::TooManyConnections:
        return 503;
    case ApiErrorKind::RequestTimeout:
        return 408;
    case ApiErrorKind::UriTooLong:
        return 414;
    case ApiErrorKind::ExpectationFailed:
        return 417;
    case ApiErrorKind::HeaderFieldsTooLarge:
        return 431;
    case ApiErrorKind::NotImplemented:
        return 501;
    case ApiErrorKind::VersionNotSupported:
        return 505;
    case ApiErrorKind::UpstreamUnavailable:
        return 502;
    case ApiErrorKind::UpstreamTimeout:
        return 504;
    }
    Q_UNREACHABLE();
}

ApiErrorKind errorKindForStatus(int status)
{
    switch (status) {
    case 408:
        return ApiErrorKind::RequestTimeout;
    case 413:
        return ApiErrorKind::PayloadTooLarge;
    case 414:
        return ApiErrorKind::UriTooLong;
    case 417:
        return ApiErrorKind::ExpectationFailed;
    case 431:
        return ApiErrorKind::HeaderFieldsTooLarge;
    case 501:
        return ApiErrorKind::NotImplemented;
    case 505:
        return ApiErrorKind::VersionNotSupported;
    default:
        return ApiErrorKind::InvalidRequest;
    }
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
    case ApiErrorKind::RequestTimeout:
        return QByteArrayLiteral("request_timeout");
    case ApiErrorKind::UriTooLong:
        return QByteArrayLiteral("uri_too_long");
    case ApiErrorKind::ExpectationFailed:
        return QByteArrayLiteral("expectation_failed");
    case ApiErrorKind::HeaderFieldsTooLarge:
        return QByteArrayLiteral("header_fields_too_large");
    case ApiErrorKind::NotImplemented:
        return QByteArrayLiteral("not_implemented");
    case ApiErrorKind::VersionNotSupported:
        return QByteArrayLiteral("http_version_not_supported");
    case ApiErrorKind::TooManyConnections:
        return QByteArrayLiteral("too_many_connections");
    case ApiErrorKind::UpstreamUnavailable:
        return QByteArrayLiteral("upstream_unavailable");
    case ApiErrorKind::UpstreamTimeout:
        return QByteArrayLiteral("upstream_timeout");
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

HttpResponse errorResponse(ApiErrorKind kind, const QString &message, std::optional<qint64> retryAfterSeconds)
{
    QByteArray body = QByteArrayLiteral("{\"status\":\"error\",\"error\":\"") + errorCode(kind)
                      + QByteArrayLiteral("\",\"message\":") + jsonString(message);
    if (retryAfterSeconds)
        body += QByteArrayLiteral(",\"retry_after\":") + QByteArray::number(*retryAfterSeconds);
    body += '}';
    return HttpResponse(statusFor(kind), QByteArrayLiteral("application/json"), std::move(body));
}
