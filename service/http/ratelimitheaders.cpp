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

QByteArray rateLimitHeaders(const Decision &decision, const RateLimitPolicy &policy, const QByteArray &policyName,
                            DraftHeaders draft)
{
    const qint64 remaining = std::max<qint64>(0, decision.remaining);
    ByteBuilder b;
    b << "X-RateLimit-Limit: " << decision.limit << "\r\nX-RateLimit-Remaining: " << remaining
      << "\r\nX-RateLimit-Reset: " << resetEpochSeconds(decision) << "\r\n";
    if (!decision.allowed && !decision.impossible)
        b << "Retry-After: " << retryAfterSeconds(decision) << "\r\n";
    if (draft == DraftHeaders::On) {
        const qint64 window = std::max<qint64>(1, ceilDiv(policy.windowMs, 1000));
        const qint64 untilReset = std::max<qint64>(0, ceilDiv(decision.resetAtMs - decision.nowMs, 1000));
        b << "RateLimit-Policy: \"" << policyName << "\";q=" << decision.limit << ";w=" << window << "\r\n";
        b << "RateLimit: \"" << policyName << "\";r=" << remaining << ";t=" << untilReset << "\r\n";
    }
    return b.take();
}
