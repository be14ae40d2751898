#pragma once

#include "httpresponse.h"

#include <QByteArray>
#include <QHostAddress>
#include <QUrlQuery>

// A header value without the optional white space (spaces and tabs) around it (RFC 9110 5.6.3).
inline QByteArrayView trimmedOws(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

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
