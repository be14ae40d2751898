#pragma once

#include "httpresponse.h"

#include <QByteArray>
#include <QHostAddress>
#include <QUrlQuery>

// One parsed HTTP/1.x request, owned by the handler that receives it (nothing is reused behind its
// back, unlike QHttpServerRequest in 6.4). Header names keep their case and wire order; duplicates
// stay separate entries; value() combines them.
struct HttpRequest
{
    QByteArray method;       // as sent (a token, case-sensitive per RFC 9110)
    QByteArray target;       // request-target as sent: "/a/b?x=1"
    int minorVersion = 1;    // HTTP/1.<minorVersion>
    HttpResponse::Headers headers;
    QByteArray body;         // de-chunked
    QHostAddress peer;       // the direct peer (socket address)
    bool keepAlive = true;   // false: Connection: close, or HTTP/1.0 without keep-alive
    bool expectContinue = false;

    // Case-insensitive; duplicate fields joined with ", ". Empty if absent.
    QByteArray value(QByteArrayView name) const;
    bool hasHeader(QByteArrayView name) const;
    bool isHead() const { return method == "HEAD"; }
    QByteArrayView path() const;     // target before '?', still percent-encoded
    QByteArrayView rawQuery() const; // after '?', without it; empty if none
    QUrlQuery query() const;
};
