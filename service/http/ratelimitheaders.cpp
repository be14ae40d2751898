#include "ratelimitheaders.h"

namespace {

qint64 ceilDiv(qint64 a, qint64 b)
{
    return a >= 0 ? (a + b - 1) / b : -((-a) / b);
}

} // namespace

qint64 retryAfterSeconds(const Decision &decision)
{
    return std::max<qint64>(1, ceilDiv(decision.retryAfterMs, 1000));
}

qint64 resetEpochSeconds(const Decision &decision)
{
    return ceilDiv(decision.resetAtMs, 1000);
}

void addRateLimitHeaders(HttpResponse::Headers &headers, const Decision &decision, const RateLimitPolicy &policy,
                         const QByteArray &policyName, DraftHeaders draft)
{
    headers.reserve(headers.size() + 6);
    headers.append({QByteArrayLiteral("X-RateLimit-Limit"), QByteArray::number(decision.limit)});
    headers.append({QByteArrayLiteral("X-RateLimit-Remaining"), QByteArray::number(std::max<qint64>(0, decision.remaining))});
    headers.append({QByteArrayLiteral("X-RateLimit-Reset"), QByteArray::number(resetEpochSeconds(decision))});
    if (!decision.allowed && !decision.impossible)
        headers.append({QByteArrayLiteral("Retry-After"), QByteArray::number(retryAfterSeconds(decision))});
    if (draft == DraftHeaders::On) {
        const QByteArray name = '"' + policyName + '"';
        headers.append({QByteArrayLiteral("RateLimit-Policy"),
                        name + ";q=" + QByteArray::number(decision.limit) + ";w="
                            + QByteArray::number(std::max<qint64>(1, ceilDiv(policy.windowMs, 1000)))});
        const qint64 untilReset = std::max<qint64>(0, ceilDiv(decision.resetAtMs - decision.nowMs, 1000));
        headers.append({QByteArrayLiteral("RateLimit"),
                        name + ";r=" + QByteArray::number(std::max<qint64>(0, decision.remaining)) + ";t="
                            + QByteArray::number(untilReset)});
    }
}
