#include "httprequestparser.h"

#include <cstring>

namespace {

bool isTokenChar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool isToken(QByteArrayView v)
{
    if (v.isEmpty())
        return false;
    for (char c : v) {
        if (!isTokenChar(c))
            return false;
    }
    return true;
}

// Offset of "\r\n\r\n" in data[from, size), or -1. memchr-driven: QByteArrayView::indexOf with a
// 4-byte needle was a tenth of a decision's CPU.
qsizetype findHeadEnd(const char *data, qsizetype size, qsizetype from)
{
    qsizetype at = from;
    while (at + 4 <= size) {
        const void *hit = std::memchr(data + at, '\r', size_t(size - at - 3));
        if (!hit)
            return -1;
        at = static_cast<const char *>(hit) - data;
        if (data[at + 1] == '\n' && data[at + 2] == '\r' && data[at + 3] == '\n')
            return at;
        ++at;
    }
    return -1;
}

qsizetype findCrlf(const char *data, qsizetype size, qsizetype from)
{
    qsizetype at = from;
    while (at + 2 <= size) {
        const void *hit = std::memchr(data + at, '\n', size_t(size - at));
        if (!hit)
            return -1;
        at = static_cast<const char *>(hit) - data;
        if (at > from && data[at - 1] == '\r')
            return at - 1;
        ++at;
    }
    return -1;
}

bool equalsIgnoringCase(QByteArrayView a, QByteArrayView b)
{
    return a.size() == b.size() && a.compare(b, Qt::CaseInsensitive) == 0;
}

// True when the comma-separated list `value` contains `token` (case-insensitive).
bool listContains(QByteArrayView value, QByteArrayView token)
{
    while (!value.isEmpty()) {
        qsizetype comma = value.indexOf(',');
        const QByteArrayView item = trimmedOws(comma < 0 ? value : value.first(comma));
        if (equalsIgnoringCase(item, token))
            return true;
        if (comma < 0)
            break;
        value = value.sliced(comma + 1);
    }
    return false;
}

bool isHexDigit(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

// A Host field value: uri-host [":" port] (RFC 9110 7.2, RFC 3986 3.2.2); empty is allowed (RFC 9112
// 3.2: a target without an authority). uri-host is a bracketed IPv6 literal or a reg-name (IPv4 and
// host names are reg-names: unreserved, sub-delims and %HH).
bool isValidHost(QByteArrayView v)
{
    qsizetype hostEnd = 0;
    if (v.startsWith('[')) {
        hostEnd = v.indexOf(']');
        if (hostEnd < 2)
            return false;
        for (char c : v.sliced(1, hostEnd - 1)) {
            if (!isHexDigit(c) && c != ':' && c != '.')
                return false;
        }
        ++hostEnd;
    } else {
        hostEnd = v.indexOf(':');
        if (hostEnd < 0)
            hostEnd = v.size();
        for (qsizetype i = 0; i < hostEnd; ++i) {
            const char c = v[i];
            if (c == '%') {
                if (i + 2 >= hostEnd || !isHexDigit(v[i + 1]) || !isHexDigit(v[i + 2]))
                    return false;
                i += 2;
            } else if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') && !(c >= '0' && c <= '9')
                       && (c == '\0' || !std::strchr("-._~!$&'()*+,;=", c))) {
                return false;
            }
        }
    }
    if (hostEnd == v.size())
        return true;
    if (v[hostEnd] != ':')
        return false;
    for (char c : v.sliced(hostEnd + 1)) {
        if (c < '0' || c > '9')
            return false;
    }
    return true;
}

} // namespace

HttpRequestParser::Status HttpRequestParser::fail(int status, QByteArray message)
{
    m_state = State::Failed;
    m_errorStatus = status;
    m_errorMessage = std::move(message);
    return Status::Error;
}

HttpRequest HttpRequestParser::takeRequest()
{
    HttpRequest out = std::move(m_request);
    m_request = HttpRequest();
    m_state = State::Start;
    m_scanFrom = 0;
    m_trailerBytes = 0;
    return out;
}

HttpRequestParser::Status HttpRequestParser::parse(const QByteArray &buffer, qsizetype *pos)
{
    const qsizetype size = buffer.size();
    const char *data = buffer.constData();
    for (;;) {
        switch (m_state) {
        case State::Start:
            // RFC 9112 2.2: ignore empty lines before a request line.
            while (*pos < size && (data[*pos] == '\r' || data[*pos] == '\n'))
                ++*pos;
            if (*pos >= size)
                return Status::NeedMore;
            m_state = State::Head;
            m_scanFrom = 0;
            [[fallthrough]];
        case State::Head: {
            const qsizetype limit = m_limits.maxHeaderBytes;
            const QByteArrayView rest(data + *pos, size - *pos);
            const qsizetype from = std::max<qsizetype>(0, m_scanFrom - 3);
            const qsizetype end = findHeadEnd(rest.data(), rest.size(), from);
            if (end < 0 || end + 4 > limit) {
                if (end < 0 && rest.size() <= limit) {
                    m_scanFrom = rest.size();
                    return Status::NeedMore;
                }
                const qsizetype lineEnd = rest.indexOf('\n');
                if (lineEnd < 0 || lineEnd > limit)
                    return fail(414, "request line longer than the limit");
                return fail(431, "request header block larger than " + QByteArray::number(limit) + " bytes");
            }
            const Status s = parseHead(buffer, *pos, *pos + end);
            *pos += end + 4;
            if (s == Status::Error)
                return s;
            return finishHead();
        }
        case State::Body: {
            const qint64 take = std::min<qint64>(m_remaining, size - *pos);
            m_request.body.append(data + *pos, take);
            *pos += take;
            m_remaining -= take;
            if (m_remaining > 0)
                return Status::NeedMore;
            m_state = State::Done;
            return Status::Complete;
        }
        case State::ChunkSize: {
            const qsizetype lineEnd = QByteArrayView(data + *pos, size - *pos).indexOf("\r\n");
            if (lineEnd < 0) {
                if (size - *pos > 1024)
                    return fail(400, "chunk size line too long");
                return Status::NeedMore;
            }
            QByteArrayView line(data + *pos, lineEnd);
            const qsizetype ext = line.indexOf(';');
            if (ext >= 0)
                line = line.first(ext);
            line = trimmedOws(line);
            qint64 chunk = 0;
            if (line.isEmpty() || line.size() > 15)
                return fail(400, "malformed chunk size");
            for (char c : line) {
                int d = (c >= '0' && c <= '9') ? c - '0' : (c >= 'a' && c <= 'f') ? c - 'a' + 10 : (c >= 'A' && c <= 'F') ? c - 'A' + 10 : -1;
                if (d < 0)
                    return fail(400, "malformed chunk size");
                chunk = chunk * 16 + d;
            }
            *pos += lineEnd + 2;
            if (chunk == 0) {
                m_state = State::Trailers;
                break;
            }
            if (m_request.body.size() + chunk > m_limits.maxBodyBytes)
                return fail(413, "request body larger than " + QByteArray::number(m_limits.maxBodyBytes) + " bytes");
            m_remaining = chunk;
            m_state = State::ChunkData;
            break;
        }
        case State::ChunkData: {
            const qint64 take = std::min<qint64>(m_remaining, size - *pos);
            m_request.body.append(data + *pos, take);
            *pos += take;
            m_remaining -= take;
            if (m_remaining > 0)
                return Status::NeedMore;
            m_state = State::ChunkDataEnd;
            [[fallthrough]];
        }
        case State::ChunkDataEnd:
            if (size - *pos < 2)
                return Status::NeedMore;
            if (data[*pos] != '\r' || data[*pos + 1] != '\n')
                return fail(400, "chunk data not followed by CRLF");
            *pos += 2;
            m_state = State::ChunkSize;
            break;
        case State::Trailers: {
            const qsizetype lineEnd = QByteArrayView(data + *pos, size - *pos).indexOf("\r\n");
            if (lineEnd < 0) {
                if (m_trailerBytes + (size - *pos) > m_limits.maxHeaderBytes)
                    return fail(431, "trailer fields too large");
                return Status::NeedMore;
            }
            m_trailerBytes += lineEnd + 2;
            if (m_trailerBytes > m_limits.maxHeaderBytes)
                return fail(431, "trailer fields too large");
            *pos += lineEnd + 2;
            if (lineEnd == 0) {
                m_state = State::Done;
                return Status::Complete;
            }
            break;
        }
        case State::Done:
            return Status::Complete;
        case State::Failed:
            return Status::Error;
        }
    }
}

HttpRequestParser::Status HttpRequestParser::parseHead(const QByteArray &buffer, qsizetype begin, qsizetype end)
{
    const QByteArrayView head(buffer.constData() + begin, end - begin);
    qsizetype lineEnd = findCrlf(head.data(), head.size(), 0);
    if (lineEnd < 0)
        lineEnd = head.size();
    const QByteArrayView line = head.first(lineEnd);
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0)
        return fail(400, "malformed request line");
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isToken(method))
        return fail(400, "malformed method");
    if (target.isEmpty())
        return fail(400, "empty request target");
    for (char c : target) {
        if (static_cast<unsigned char>(c) <= 0x20 || c == 0x7f)
            return fail(400, "request target contains control characters");
    }
    if (version.size() != 8 || !version.startsWith("HTTP/") || version[6] != '.' || version[5] < '0' || version[5] > '9'
        || version[7] < '0' || version[7] > '9')
        return fail(400, "malformed HTTP version");
    if (version[5] != '1')
        return fail(505, "only HTTP/1.0 and HTTP/1.1 are supported");
    m_request.method = method.toByteArray();
    m_request.target = target.toByteArray();
    m_request.minorVersion = version[7] - '0';

    qsizetype at = lineEnd + 2;
    m_request.headers.reserve(16);
    while (at < head.size()) {
        qsizetype next = findCrlf(head.data(), head.size(), at);
        if (next < 0)
            next = head.size();
        const QByteArrayView field = head.sliced(at, next - at);
        at = next + 2;
        if (field.front() == ' ' || field.front() == '\t')
            return fail(400, "obsolete line folding is not accepted");
        // A bare CR or LF inside a field could smuggle a header past us to a lenient upstream.
        if (std::memchr(field.data(), '\n', size_t(field.size())) || std::memchr(field.data(), '\r', size_t(field.size())))
            return fail(400, "bare CR or LF in a header field");
        const qsizetype colon = field.indexOf(':');
        if (colon <= 0 || !isToken(field.first(colon)))
            return fail(400, "malformed header field");
        if (m_request.headers.size() >= m_limits.maxHeaderCount)
            return fail(431, "more than " + QByteArray::number(m_limits.maxHeaderCount) + " header fields");
        m_request.headers.append({field.first(colon).toByteArray(), trimmedOws(field.sliced(colon + 1)).toByteArray()});
    }
    return Status::NeedMore;
}

HttpRequestParser::Status HttpRequestParser::finishHead()
{
    bool chunked = false;
    bool hasLength = false;
    qint64 length = 0;
    bool closeToken = false;
    bool keepAliveToken = false;
    int hostFields = 0;
    for (const auto &h : std::as_const(m_request.headers)) {
        const QByteArrayView name(h.first);
        if (equalsIgnoringCase(name, "host")) {
            // RFC 9112 3.2: more than one Host, or an invalid one, is a 400 in any HTTP version; two
            // Hosts would let us and an upstream disagree on the target authority.
            if (++hostFields > 1)
                return fail(400, "more than one Host header field");
            if (!isValidHost(h.second))
                return fail(400, "invalid Host header field");
        } else if (equalsIgnoringCase(name, "content-length")) {
            const QByteArrayView v(h.second);
            if (v.isEmpty() || v.size() > 18)
                return fail(400, "malformed Content-Length");
            qint64 n = 0;
            for (char c : v) {
                if (c < '0' || c > '9')
                    return fail(400, "malformed Content-Length");
                n = n * 10 + (c - '0');
            }
            if (hasLength && n != length)
                return fail(400, "conflicting Content-Length fields");
            hasLength = true;
            length = n;
        } else if (equalsIgnoringCase(name, "transfer-encoding")) {
            QByteArrayView v = trimmedOws(h.second);
            const qsizetype comma = v.lastIndexOf(',');
            if (!equalsIgnoringCase(trimmedOws(comma < 0 ? v : v.sliced(comma + 1)), "chunked") || chunked)
                return fail(m_request.minorVersion == 0 ? 400 : 501, "unsupported transfer coding (only chunked)");
            chunked = true;
        } else if (equalsIgnoringCase(name, "connection")) {
            closeToken = closeToken || listContains(h.second, "close");
            keepAliveToken = keepAliveToken || listContains(h.second, "keep-alive");
        } else if (equalsIgnoringCase(name, "expect")) {
            if (!equalsIgnoringCase(trimmedOws(h.second), "100-continue"))
                return fail(417, "only Expect: 100-continue is supported");
            m_request.expectContinue = m_request.minorVersion >= 1;
        }
    }
    if (hostFields == 0 && m_request.minorVersion >= 1)
        return fail(400, "HTTP/1.1 request without a Host header field");
    if (chunked && hasLength)
        return fail(400, "both Transfer-Encoding and Content-Length");
    m_request.keepAlive = m_request.minorVersion >= 1 ? !closeToken : (keepAliveToken && !closeToken);
    if (hasLength && length > m_limits.maxBodyBytes)
        return fail(413, "request body larger than " + QByteArray::number(m_limits.maxBodyBytes) + " bytes");
    if (chunked) {
        m_state = State::ChunkSize;
        return Status::HeadComplete;
    }
    if (hasLength && length > 0) {
        m_remaining = length;
        m_request.body.reserve(length);
        m_state = State::Body;
        return Status::HeadComplete;
    }
    m_request.expectContinue = false;
    m_state = State::Done;
    return Status::Complete;
}
