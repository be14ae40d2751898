#pragma once

#include <QByteArray>
#include <QList>

#include <utility>

// A complete response as a value: status, content type, extra header fields and body. Handlers build
// one and give it to an HttpResponder; HttpConnection adds the framing fields (Content-Length,
// Connection) and leaves the body out for HEAD. No MIME sniffing, no header map: the fields are
// written in the order they were added.
struct HttpResponse
{
    using Headers = QList<std::pair<QByteArray, QByteArray>>;

    int status = 200;
    QByteArray contentType;
    QByteArray body;
    Headers headers;
    QByteArray rawHeaders; // preformatted "Name: value\r\n" lines, written after `headers` (decision path)

    HttpResponse() = default;
    HttpResponse(int statusCode, QByteArray type, QByteArray content)
        : status(statusCode), contentType(std::move(type)), body(std::move(content))
    {
    }

    void addHeader(QByteArray name, QByteArray value) { headers.append({std::move(name), std::move(value)}); }
    // First value of `name` (case-insensitive), empty if absent.
    QByteArray header(const QByteArray &name) const;
};

// "OK", "Too Many Requests", ... ("Unknown" for codes without one).
const char *reasonPhrase(int status);

// Builds short byte strings in a stack buffer and allocates once at the end: the decision path's
// responses are made of a dozen small pieces, and QByteArray::append would grow (reallocate) per piece.
class ByteBuilder
{
public:
    ByteBuilder &operator<<(QByteArrayView text);
    ByteBuilder &operator<<(qint64 number);
    ByteBuilder &operator<<(char c);
    QByteArray take() const; // one allocation
    void appendTo(QByteArray &out) const;

private:
    void put(const char *data, qsizetype size);
    char m_stack[1024];
    qsizetype m_size = 0;
    QByteArray m_overflow; // only when more than the stack buffer is needed
};
