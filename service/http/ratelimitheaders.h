#pragma once

#include "decision.h"
#include "ratelimitpolicy.h"

#include "httpresponse.h"

// Whether the IETF draft fields (draft-ietf-httpapi-ratelimit-headers) accompany the X-RateLimit-* ones.
enum class DraftHeaders { Off, On };

// The one place that turns a Decision into response header fields:
//   X-RateLimit-Limit, X-RateLimit-Remaining, X-RateLimit-Reset (epoch seconds, resetAtMs rounded up);
//   on a denial that can succeed later: Retry-After = ceil(retryAfterMs / 1000), at least 1;
//   with DraftHeaders::On: RateLimit-Policy: "<name>";q=<limit>;w=<window s>
//                          RateLimit: "<name>";r=<remaining>;t=<seconds until reset>
// `policyName` is "default" or "endpoint".
// Returns the fields as preformatted "Name: value\r\n" lines (HttpResponse::rawHeaders), built with
// one allocation: this runs for every decision.
QByteArray rateLimitHeaders(const Decision &decision, const RateLimitPolicy &policy, const QByteArray &policyName,
                            DraftHeaders draft);
inline void addRateLimitHeaders(HttpResponse &response, const Decision &decision, const RateLimitPolicy &policy,
                                const QByteArray &policyName, DraftHeaders draft)
{
    response.rawHeaders += rateLimitHeaders(decision, policy, policyName, draft);
}

qint64 retryAfterSeconds(const Decision &decision);
qint64 resetEpochSeconds(const Decision &decision);
