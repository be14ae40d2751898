#pragma once

#include "httprequest.h"
#include "serviceconfig.h"

#include <QByteArray>

// Incremental HTTP/1.0 and 1.1 request parser with hard limits, fed from a connection's read buffer.
// Limits are decided as early as possible: the header block is measured while it arrives (431, or 414
// for the request line, before the end of the block is seen), and a Content-Length above the body
// limit is refused as soon as the head is complete, before any body byte is buffered (413).
// Request bodies may be Content-Length or chunked (decoded; trailers are read and dropped); a request
// with both, or with another transfer coding, is refused (400), which closes request smuggling.
// One parser per connection, reused for each request on it. Not thread-safe (connection-owned).
class HttpRequestParser
{
public:
    enum class Status {
        NeedMore,     // nothing to report; feed more bytes
        HeadComplete, // the head is parsed and a body follows (time for 100-continue); parse again
        Complete,     // takeRequest() is ready
        Error,        // errorStatus()/errorMessage(); the connection must answer and close
    };

    explicit HttpRequestParser(const HttpLimits &limits) : m_limits(limits) {}

    // Parses from buffer[*pos]; advances *pos past what it consumed.
    Status parse(const QByteArray &buffer, qsizetype *pos);
    // True between the first byte of a request and its completion.
    bool inProgress() const { return m_state != State::Start; }
    HttpRequest takeRequest();
    const HttpRequest &request() const { return m_request; }
    int errorStatus() const { return m_errorStatus; }
    const QByteArray &errorMessage() const { return m_errorMessage; }

private:
    enum class State { Start, Head, Body, ChunkSize, ChunkData, ChunkDataEnd, Trailers, Done, Failed };

    Status fail(int status, QByteArray message);
    Status parseHead(const QByteArray &buffer, qsizetype begin, qsizetype end);
    Status finishHead();

    const HttpLimits &m_limits;
    State m_state = State::Start;
    HttpRequest m_request;
    qint64 m_remaining = 0;    // body bytes (Content-Length) or chunk bytes still to read
    qsizetype m_scanFrom = 0;  // head bytes already searched for its end (relative to the head's start)
    qsizetype m_trailerBytes = 0;
    int m_errorStatus = 0;
    QByteArray m_errorMessage;
};
